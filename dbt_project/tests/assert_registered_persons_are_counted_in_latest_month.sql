-- dim_person and mart_population_monthly agree: every person dim_person holds as
-- household-registered in a community falls in a cell of that community for the
-- latest month, with the same gender and age band (a suppressed cell counts,
-- its count being hidden). A row returned is a registered person the monthly
-- mart leaves out.

-- Dagster shows this test as a check on the mart that must count them.
{{ config(meta={'dagster': {'ref': {'name': 'mart_population_monthly'}}}) }}

with

latest_month as (

    select month_start_date, month_end_date
    from {{ ref('int_population_months_spined') }}
    where month_start_date = (
        select max(month_start_date) from {{ ref('int_population_months_spined') }}
    )

),

registered_persons as (

    select
        dim_person.person_key,
        dim_person.current_division_code,
        dim_person.gender,
        latest_month.month_start_date,
        -- The band at a month's last day depends only on the birth month.
        {{ age_band(
            dbt.cast(dbt.concat(['dim_person.birth_year_month', "'-01'"]), 'date'),
            'latest_month.month_end_date'
        ) }} as age_band
    from {{ ref('dim_person') }} as dim_person
    cross join latest_month
    where dim_person.residency_type in ('registered', 'both')
      and dim_person.birth_year_month is not null

),

cells as (

    select month_start_date, division_code, age_band, gender
    from {{ ref('mart_population_monthly') }}
    where residency_type in ('registered', 'both')
      and (is_suppressed or resident_count > 0)

)

select registered_persons.*
from registered_persons
left join cells
    on registered_persons.month_start_date = cells.month_start_date
    and registered_persons.current_division_code = cells.division_code
    and registered_persons.age_band = cells.age_band
    and registered_persons.gender = cells.gender
where cells.division_code is null
