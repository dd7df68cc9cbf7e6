-- Arrivals and departures by month, place (a street, its district or the
-- city: place_level) and residency type: household
-- registrations and deregistrations (police HJRK), and floating residents'
-- permits registered and run out (police LDRK). Kept apart from
-- mart_population_monthly, because there a move counts in a cell of
-- community x age band x gender and is nearly always under the minimum count.
-- Every count from 1 to var('min_cell_count') - 1 is null, and so is any count
-- the shown ones would give back by subtraction (protect_hidden_cells).
-- A floating resident departs in the month the permit runs out (valid_until
-- before the latest LDRK update, so a permit still running is no departure);
-- a renewal extends the same record, so it is no departure either.

with

months as (

    select * from {{ ref('int_population_months_spined') }}

),

household as (

    select
        {{ dbt.concat(["substring(division_code from 1 for 9)", "'000'"]) }} as street_code,
        cast(null as {{ dbt.type_string() }}) as written_district_name,
        cast(null as {{ dbt.type_string() }}) as written_street_name,
        'registered' as residency_type,
        registered_date as arrival_date,
        deregistered_date as departure_date
    from {{ ref('stg_police__household_residents') }}
    where division_code is not null

),

floating_source as (

    select * from {{ ref('stg_police__floating_residents') }}

),

floating as (

    select
        streets.street_code,
        -- The written names only stand in for a street the reference does not
        -- know: a located street groups by its code alone, so spelling
        -- variants of its district cannot split its row.
        case when streets.street_code is null then floating_source.current_district end as written_district_name,
        case when streets.street_code is null then floating_source.current_street end as written_street_name,
        'floating' as residency_type,
        floating_source.registered_date as arrival_date,
        case
            when floating_source.valid_until_date
                < (select cast(max(updated_at) as date) from floating_source)
                then floating_source.valid_until_date
        end as departure_date
    from floating_source
    left join {{ ref('int_streets_located') }} as streets
        on floating_source.current_street = streets.street_name

),

moves as (

    select * from household
    union all
    select * from floating

),

counted as (

    select
        months.month_start_date,
        moves.street_code,
        moves.written_district_name,
        moves.written_street_name,
        moves.residency_type,
        sum(case when moves.arrival_date between months.month_start_date and months.month_end_date then 1 else 0 end) as arrival_count,
        sum(case when moves.departure_date between months.month_start_date and months.month_end_date then 1 else 0 end) as departure_count
    from months
    inner join moves
        on (moves.arrival_date between months.month_start_date and months.month_end_date)
        or (moves.departure_date between months.month_start_date and months.month_end_date)
    group by
        months.month_start_date,
        moves.street_code,
        moves.written_district_name,
        moves.written_street_name,
        moves.residency_type

),

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

),

named as (

    select
        counted.month_start_date,
        {{ dbt.concat(["substring(counted.street_code from 1 for 6)", "'000000'"]) }} as district_code,
        coalesce(district.division_name, counted.written_district_name, '未知') as district_name,
        counted.street_code,
        coalesce(street.division_name, counted.written_street_name, '未知') as street_name,
        counted.residency_type,
        counted.arrival_count,
        counted.departure_count
    from counted
    left join divisions as street
        on counted.street_code = street.division_code
    left join divisions as district
        on {{ dbt.concat(["substring(counted.street_code from 1 for 6)", "'000000'"]) }} = district.division_code

),

{%- set place_columns = ['place_level', 'month_start_date', 'district_code', 'district_name', 'street_code', 'street_name', 'residency_type'] %}
{%- set counts = ['arrival_count', 'departure_count'] %}

leveled as (

    -- Streets, their districts and the whole city in rows of their own
    -- (place_level), each suppressed on its own: a district's or the city's
    -- figure sums its streets' counts before suppression. A city of 10,000
    -- registers a few household arrivals a month, under the minimum in
    -- every street: only its city rows can show the trend.
    select 'street' as place_level, named.* from named

    union all

    {{ roll_up('named', place_columns, ['month_start_date', 'district_code', 'district_name', 'residency_type'], counts, set_to={'place_level': "'district'"}) }}

    union all

    {{ roll_up('named', place_columns, ['month_start_date', 'residency_type'], counts, set_to={'place_level': "'city'"}) }}

),

keyed as (

    select
        leveled.*,
        {{ place_key(dbt.cast('month_start_date', dbt.type_string()), ['place_level', 'residency_type', 'district_code', 'district_name', 'street_code', 'street_name']) }} as cell_id,
        -- The equations the mart publishes: a district's row sums its
        -- streets', the city's its districts'.
        {% set in_district = place_key(dbt.cast('month_start_date', dbt.type_string()), ['residency_type', 'district_code', 'district_name']) %}
        {% set in_city = place_key(dbt.cast('month_start_date', dbt.type_string()), ['residency_type']) %}
        case when place_level = 'street' then {{ in_district }} end as in_district_child_key,
        case when place_level = 'district' then {{ in_district }} end as in_district_parent_key,
        case when place_level = 'district' then {{ in_city }} end as in_city_child_key,
        case when place_level = 'city' then {{ in_city }} end as in_city_parent_key
    from leveled

),

cells_long as (

    {% for measure in ['arrival', 'departure'] -%}
    select
        cell_id,
        '{{ measure }}' as measure,
        {{ measure }}_count as cell_value,
        {{ suppress_small_count(measure ~ '_count') }} is null as is_hidden,
        cast(null as {{ dbt.type_string() }}) as link_key,
        in_district_child_key,
        in_district_parent_key,
        in_city_child_key,
        in_city_parent_key
    from keyed
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

{{ protect_hidden_cells('cells_long', ['in_district', 'in_city']) }},

hidden as (

    select
        cell_id,
        {{ dbt.bool_or("measure = 'arrival' and is_hidden") }} as arrival_hidden,
        {{ dbt.bool_or("measure = 'departure' and is_hidden") }} as departure_hidden
    from cells_long_protected
    group by cell_id

)

select
    {{ dbt.cast('keyed.month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('keyed.place_level', dbt.type_string()) }} as place_level,
    {{ dbt.cast('keyed.district_code', dbt.type_string()) }} as district_code,
    {{ dbt.cast('keyed.district_name', dbt.type_string()) }} as district_name,
    {{ dbt.cast('keyed.street_code', dbt.type_string()) }} as street_code,
    {{ dbt.cast('keyed.street_name', dbt.type_string()) }} as street_name,
    {{ dbt.cast('keyed.residency_type', dbt.type_string()) }} as residency_type,
    {{ dbt.cast('case when not hidden.arrival_hidden then keyed.arrival_count end', dbt.type_bigint()) }} as arrival_count,
    {{ dbt.cast('case when not hidden.departure_hidden then keyed.departure_count end', dbt.type_bigint()) }} as departure_count,
    {{ dbt.cast('hidden.arrival_hidden or hidden.departure_hidden', dbt.type_boolean()) }} as is_suppressed
from keyed
inner join hidden
    on keyed.cell_id = hidden.cell_id
