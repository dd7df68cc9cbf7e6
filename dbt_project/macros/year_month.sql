{#
  A date as text `YYYY-MM`. Casting a date to text gives ISO `YYYY-MM-DD` on
  both DuckDB and PostgreSQL, so one portable expression serves both; an engine
  that formats dates differently can add its own `<adapter>__year_month`.
#}
{% macro year_month(date_expression) -%}
    {{ return(adapter.dispatch('year_month', 'sharehouse')(date_expression)) }}
{%- endmacro %}

{% macro default__year_month(date_expression) -%}
    substring(cast(cast({{ date_expression }} as date) as {{ dbt.type_string() }}) from 1 for 7)
{%- endmacro %}
