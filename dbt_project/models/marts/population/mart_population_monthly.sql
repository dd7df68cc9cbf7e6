-- Household-registered residents per month and community, by age band and
-- gender, with the month's arrivals (registrations) and departures
-- (deregistrations). Cells with fewer than var('min_cell_count') residents are
-- suppressed: all their counts are null. Arrival and departure counts from 1
-- to min_cell_count - 1 are nulled on their own too: "2 people moved in" in a
-- cell of 40 can point at a family as surely as a small cell can.

-- Indexed on PostgreSQL by the dashboards' filters (district, street, month
-- range): a filtered chart reads its
-- rows, not the whole table. DuckDB scans by column and needs none.
{{ config(
    indexes=[{'columns': ['district_name', 'street_name', 'month_start_date']}] if target.type == 'postgres' else [],
) }}

with

months as (

    select * from {{ ref('int_population_months_spined') }}

),

registrations as (

    select
        person_key,
        division_code,
        gender,
        birth_date,
        registered_date,
        deregistered_date
    from {{ ref('stg_police__household_residents') }}

),

registrations_by_month as (

    select
        months.month_start_date,
        months.month_end_date,
        registrations.person_key,
        registrations.division_code,
        registrations.gender,
        registrations.registered_date,
        registrations.deregistered_date,
        {{ age_band('registrations.birth_date', 'months.month_end_date') }} as age_band
    from months
    inner join registrations
        -- A registration the register gives no date (HJRK's DJRQ left empty)
        -- is counted as registered since before the first month: the person
        -- is in the register now, as dim_person says; only the day is
        -- unknown, so it is never an arrival. (At 50,000 persons one such
        -- child fell out of every month.)
        on (registrations.registered_date is null or registrations.registered_date <= months.month_end_date)
        -- Not yet born at month end: neither a resident nor an arrival (guards
        -- against registrations dated before the birth).
        and registrations.birth_date <= months.month_end_date
        -- Still registered at the start of the month: a resident at month end,
        -- or a departure during the month.
        and (
            registrations.deregistered_date is null
            or registrations.deregistered_date >= months.month_start_date
        )

),

cells as (

    select
        month_start_date,
        division_code,
        'registered' as residency_type,
        age_band,
        gender,
        count(distinct case
            when deregistered_date is null or deregistered_date > month_end_date then person_key
        end) as resident_count,
        count(distinct case
            when registered_date >= month_start_date then person_key
        end) as arrival_count,
        count(distinct case
            when deregistered_date <= month_end_date then person_key
        end) as departure_count
    from registrations_by_month
    group by
        month_start_date,
        division_code,
        age_band,
        gender

),

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

)

select
    {{ dbt.cast('month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('cells.division_code', 'varchar') }} as division_code,
    {{ dbt.cast("coalesce(district.division_name, '未知')", 'varchar') }} as district_name,
    {{ dbt.cast("coalesce(street.division_name, '未知')", 'varchar') }} as street_name,
    {{ dbt.cast("coalesce(community.division_name, '未知')", 'varchar') }} as community_name,
    {{ dbt.cast('residency_type', 'varchar') }} as residency_type,
    {{ dbt.cast('age_band', 'varchar') }} as age_band,
    {{ dbt.cast('gender', 'varchar') }} as gender,
    {{ dbt.cast('case when resident_count < ' ~ var('min_cell_count') ~ ' then null else resident_count end', dbt.type_bigint()) }} as resident_count,
    {{ dbt.cast('case when resident_count < ' ~ var('min_cell_count') ~ ' then null else ' ~ suppress_small_count('arrival_count') ~ ' end', dbt.type_bigint()) }} as arrival_count,
    {{ dbt.cast('case when resident_count < ' ~ var('min_cell_count') ~ ' then null else ' ~ suppress_small_count('departure_count') ~ ' end', dbt.type_bigint()) }} as departure_count,
    {{ dbt.cast('resident_count < ' ~ var('min_cell_count'), dbt.type_boolean()) }} as is_suppressed
from cells
-- Names from the division reference, by the code's district (6 digits) and
-- street (9 digits) prefixes padded to 12.
left join divisions as community
    on cells.division_code = community.division_code
left join divisions as street
    on {{ dbt.concat(["substring(cells.division_code from 1 for 9)", "'000'"]) }} = street.division_code
left join divisions as district
    on {{ dbt.concat(["substring(cells.division_code from 1 for 6)", "'000000'"]) }} = district.division_code
