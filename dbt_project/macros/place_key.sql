{#
  One text key for a place at any level of a roll-up: the level, then the
  code and name of each level from the district down, `|`-separated, empty
  below the level (`street|320102000000|玄武区|320102001000|梅园街道||||||`).
  Names alone are ambiguous across levels (a district's row and its streets'
  rows share the district name), and a place may be known only by the name
  its record wrote, without a code; level, codes and names together are not.
#}
{% macro place_key(level, place_columns) -%}
    {%- set parts = [level] -%}
    {%- for column in place_columns -%}
        {%- do parts.append("'|'") -%}
        {%- do parts.append("coalesce(" ~ column ~ ", '')") -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
