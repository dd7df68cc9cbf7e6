-- The months mart_population_monthly reports on: from the first month with a
-- household registration, but at most var('population_months') months back,
-- through the month of the latest household-register update. Following the
-- data rather than today's date keeps a rebuild of old deliveries reproducible.

with

household_residents as (

    select * from {{ ref('stg_police__household_residents') }}

),

bounds as (

    select
        cast({{ dbt.date_trunc('month', 'max(updated_at)') }} as date) as last_month,
        cast({{ dbt.date_trunc('month', dbt.cast('min(registered_date)', dbt.type_timestamp())) }} as date) as first_registration_month
    from household_residents

),

limits as (

    select
        case
            when first_registration_month
                > cast({{ dbt.dateadd('month', 1 - var('population_months') | int, 'last_month') }} as date)
                then first_registration_month
            else cast({{ dbt.dateadd('month', 1 - var('population_months') | int, 'last_month') }} as date)
        end as first_month,
        last_month
    from bounds

),

months as (

    {{ month_spine('(select first_month from limits)', '(select last_month from limits)') }}

)

select
    month_start_date,
    {{ dbt.last_day('month_start_date', 'month') }} as month_end_date
from months
