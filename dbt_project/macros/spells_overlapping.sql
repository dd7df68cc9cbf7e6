{#
  The rows of a spell table that break its history: pairs of spells of the
  same partition (e.g. person, unit, role) whose half-open intervals
  [valid_from, valid_to) overlap, with null bounds unbounded, and spells that
  end before they start. For the singular tests of the bridges.
#}
{% macro spells_overlapping(relation, key_column, partition_by) -%}
    {%- set open_start = "cast('0001-01-01' as date)" -%}
    {%- set open_end = "cast('9999-12-31' as date)" -%}
    select
        earlier.{{ key_column }} as spell_key,
        later.{{ key_column }} as overlapping_spell_key,
        earlier.valid_from,
        earlier.valid_to,
        later.valid_from as overlapping_valid_from,
        later.valid_to as overlapping_valid_to
    from {{ relation }} as earlier
    inner join {{ relation }} as later
        on {% for column in partition_by -%}
        earlier.{{ column }} = later.{{ column }}
        and {% endfor -%}
        earlier.{{ key_column }} < later.{{ key_column }}
        and coalesce(earlier.valid_from, {{ open_start }}) < coalesce(later.valid_to, {{ open_end }})
        and coalesce(later.valid_from, {{ open_start }}) < coalesce(earlier.valid_to, {{ open_end }})
    union all
    select
        {{ key_column }},
        {{ key_column }},
        valid_from,
        valid_to,
        valid_from,
        valid_to
    from {{ relation }}
    where valid_to < valid_from
{%- endmacro %}
