{#
  One row per month, `month_start_date` (date), from the month of `start_date`
  through the month of `end_date`, both included.

  `start_date` and `end_date` are SQL expressions (a literal, or a scalar subquery
  such as "(select first_month from bounds)"); they are evaluated at run time, so
  the spine can follow the data. Engines differ: PostgreSQL's generate_series is
  a set-returning function usable in the select list, DuckDB's scalar
  generate_series returns a list (of timestamps) that must be unnested; other
  engines get a portable numbers table.
#}
{% macro month_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('month_spine', 'sharehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__month_spine(start_date, end_date) -%}
    {#- 2^11 = 2048 months (170 years) is more than any spine we need. -#}
    {%- set max_months = 2048 -%}
    select
        cast({{ dbt.dateadd('month', 'month_offset', 'spine_start') }} as date) as month_start_date
    from (
        select
            cast({{ dbt.date_trunc('month', dbt.cast(start_date, dbt.type_timestamp())) }} as date) as spine_start,
            cast({{ dbt.date_trunc('month', dbt.cast(end_date, dbt.type_timestamp())) }} as date) as spine_end
    ) as bounds
    cross join (
        select generated_number - 1 as month_offset
        from ({{ dbt.generate_series(max_months) }}) as numbers
    ) as offsets
    where {{ dbt.dateadd('month', 'month_offset', 'spine_start') }} <= spine_end
{%- endmacro %}

{% macro postgres__month_spine(start_date, end_date) -%}
    select
        cast(month_start as date) as month_start_date
    from generate_series(
        date_trunc('month', cast({{ start_date }} as timestamp)),
        date_trunc('month', cast({{ end_date }} as timestamp)),
        interval '1 month'
    ) as months (month_start)
{%- endmacro %}

{% macro duckdb__month_spine(start_date, end_date) -%}
    select
        cast(unnest(generate_series(
            date_trunc('month', cast({{ start_date }} as timestamp)),
            date_trunc('month', cast({{ end_date }} as timestamp)),
            interval 1 month
        )) as date) as month_start_date
{%- endmacro %}
