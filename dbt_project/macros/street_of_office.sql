{#
  The street (街道/镇/乡) an office is named after: police stations
  (`梅园派出所`) and justice offices (`梅园司法所`) are named for the street
  they serve, with 街道 left out. Returns the street's full name
  (`梅园街道`, or `竹镇` as written when it already ends in 镇/乡/街道), null
  for a null office.
#}
{% macro street_of_office(office_expression, office_suffix) -%}
    case
        when {{ office_expression }} is null or {{ office_expression }} = '{{ office_suffix }}' then null
        when replace({{ office_expression }}, '{{ office_suffix }}', '') like '%街道'
            or replace({{ office_expression }}, '{{ office_suffix }}', '') like '%镇'
            or replace({{ office_expression }}, '{{ office_suffix }}', '') like '%乡'
            then replace({{ office_expression }}, '{{ office_suffix }}', '')
        else {{ dbt.concat(["replace(" ~ office_expression ~ ", '" ~ office_suffix ~ "', '')", "'街道'"]) }}
    end
{%- endmacro %}
