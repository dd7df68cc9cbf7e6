-- previous_month_incident_count of a place and category is the
-- incident_count of the same place and category one month earlier, and
-- same_month_last_year_incident_count the one twelve months earlier,
-- whenever both are shown. Any row returned is a comparison with the wrong
-- month or place.

with

trend as (

    select * from {{ ref('mart_security_trend_monthly') }}

)

select
    this_month.month_start_date,
    this_month.place_key,
    this_month.category_code,
    this_month.previous_month_incident_count,
    earlier.incident_count as earlier_incident_count,
    'previous_month' as comparison
from trend as this_month
inner join trend as earlier
    on earlier.place_key = this_month.place_key
    and earlier.category_code = this_month.category_code
    and earlier.month_start_date = cast({{ dbt.dateadd('month', -1, 'this_month.month_start_date') }} as date)
where this_month.previous_month_incident_count <> earlier.incident_count

union all

select
    this_month.month_start_date,
    this_month.place_key,
    this_month.category_code,
    this_month.same_month_last_year_incident_count,
    earlier.incident_count,
    'same_month_last_year'
from trend as this_month
inner join trend as earlier
    on earlier.place_key = this_month.place_key
    and earlier.category_code = this_month.category_code
    and earlier.month_start_date = cast({{ dbt.dateadd('month', -12, 'this_month.month_start_date') }} as date)
where this_month.same_month_last_year_incident_count <> earlier.incident_count
