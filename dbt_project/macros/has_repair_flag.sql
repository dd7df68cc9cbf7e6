{#
  1 when a row's quality_flags record a repair, else 0. The clean step writes
  repairs and warnings into the same comma-separated column; repairs are the
  flags that say a delivered value was changed into its canonical form and
  kept (ingest/common/identity.py id_number_repairs, ingest/common/names.py
  name_repairs, each prefixed with the field: `id_upgraded_15_digit`,
  `male_name_middle_dot`, ...; and a birth date recovered from the identity
  number). Every other flag is a warning: the value was missing, unreadable
  or implausible and was left null or as delivered.
#}
{% macro has_repair_flag(quality_flags) -%}
    case
        when {{ quality_flags }} is null then 0
        {%- for suffix in ['upgraded_15_digit', 'lowercase_x', '_fullwidth', '_whitespace', '_middle_dot', 'birth_date_from_id_number'] %}
        when {{ quality_flags }} like '%{{ suffix }}%' then 1
        {%- endfor %}
        else 0
    end
{%- endmacro %}
