-- The engine's own month_spine (postgres__ / duckdb__) and the portable
-- default__ produce the same months, across a year end and a leap February,
-- so the fallback stays correct for an engine we add later. A row returned is
-- a month one variant has and the other lacks.

-- Dagster shows this test as a check on the spine it guards.
{{ config(meta={'dagster': {'ref': {'name': 'int_population_months_spined'}}}) }}

{% set start_date = "cast('2023-11-15' as date)" %}
{% set end_date = "cast('2024-03-01' as date)" %}

with

dispatched as (

    {{ month_spine(start_date, end_date) }}

),

portable as (

    {{ sharehouse.default__month_spine(start_date, end_date) }}

),

compared as (

    select
        coalesce(dispatched.month_start_date, portable.month_start_date) as month_start_date,
        dispatched.month_start_date as dispatched_month,
        portable.month_start_date as portable_month
    from dispatched
    full outer join portable
        on dispatched.month_start_date = portable.month_start_date

)

select *
from compared
where dispatched_month is null
   or portable_month is null
   -- Both must hold exactly November 2023 through March 2024.
   or month_start_date < cast('2023-11-01' as date)
   or month_start_date > cast('2024-03-01' as date)
union all
select
    cast(null as date),
    cast(null as date),
    cast(null as date)
from (select count(*) as month_count from dispatched) as counted
where month_count <> 5
