-- House units by month, place, use and occupancy, with rented units, their
-- tenants and the group-rental signal. Grain: month_start_date x
-- division_code (the unit's grid where unit resolution placed it, else its
-- community) x use_code x occupancy. A unit counts in every month of the
-- window as it stands in the latest register (the stock changes little and
-- the register carries no history of demolitions); occupancy is `rented` in a
-- month when a rental registration of the unit covers the month's last day,
-- and `unknown` otherwise: telling owner-occupied from vacant needs the
-- residents' addresses resolved to units (marts.dim_house_unit).
-- Group-rental signal: a rented unit whose tenants exceed one per
-- var('group_rental_square_metres_per_tenant') square metres of floor area.
-- Every count from 1 to var('min_cell_count') - 1 is null: a group-rental
-- signal of 1 in a grid points at a dwelling and its landlord.

-- Indexed on PostgreSQL by the dashboards' filters (district, street, month
-- range): a filtered chart reads its
-- rows, not the whole table. DuckDB scans by column and needs none.
{{ config(
    indexes=[{'columns': ['district_name', 'street_name', 'month_start_date']}] if target.type == 'postgres' else [],
) }}

with

units as (

    select * from {{ ref('stg_housing__house_units') }}

),

rentals as (

    select * from {{ ref('stg_housing__rental_registrations') }}

),

unit_grids as (

    -- The grid unit resolution put the register's own row on (role `unit`):
    -- the mention's record key is the data row of the batch the unit came in.
    select
        batch_id,
        record_key,
        max(grid_code) as grid_code
    from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'housing'
        and source_entity = 'house_units'
        and grid_code is not null
    group by
        batch_id,
        record_key

),

bounds as (

    -- A lease registered after the drop that delivered it was extracted is
    -- a typing error and sets no bound (as in mart_justice_monthly).
    select
        cast({{ dbt.date_trunc('month', dbt.cast('max(registered_date)', dbt.type_timestamp())) }} as date) as last_month
    from rentals
    where _extracted_at is null
       or registered_date <= cast(_extracted_at as date)

),

months as (

    {{ month_spine(
        "(select cast(" ~ dbt.dateadd('month', 1 - var('population_months') | int, 'last_month') ~ " as date) from bounds)",
        '(select last_month from bounds)'
    ) }}

),

month_ends as (

    select
        month_start_date,
        cast({{ dbt.last_day('month_start_date', 'month') }} as date) as month_end_date
    from months

),

placed_units as (

    select
        units.unit_code,
        coalesce(unit_grids.grid_code, units.division_code) as division_code,
        coalesce(units.use_code, 'other') as use_code,
        units.floor_area
    from units
    left join unit_grids
        on units._batch_id = unit_grids.batch_id
        and {{ dbt.cast('units._source_row', dbt.type_string()) }} = unit_grids.record_key
    where units.division_code is not null

),

stock as (

    select
        division_code,
        use_code,
        count(*) as unit_count
    from placed_units
    group by
        division_code,
        use_code

),

rented_units as (

    -- One row per unit and month in which a registration covers the month end,
    -- with the tenants of every registration that does.
    select
        month_ends.month_start_date,
        placed_units.unit_code,
        placed_units.division_code,
        placed_units.use_code,
        placed_units.floor_area,
        sum(coalesce(rentals.tenant_count, 0)) as tenant_count
    from month_ends
    inner join rentals
        on rentals.start_date <= month_ends.month_end_date
        and (rentals.end_date is null or rentals.end_date >= month_ends.month_end_date)
    inner join placed_units
        on rentals.unit_code = placed_units.unit_code
    group by
        month_ends.month_start_date,
        placed_units.unit_code,
        placed_units.division_code,
        placed_units.use_code,
        placed_units.floor_area

),

rented as (

    select
        month_start_date,
        division_code,
        use_code,
        count(*) as unit_count,
        sum(tenant_count) as tenant_count,
        sum(case
            when floor_area > 0
                and tenant_count * {{ var('group_rental_square_metres_per_tenant') }} > floor_area
                then 1 else 0
        end) as group_rental_unit_count
    from rented_units
    group by
        month_start_date,
        division_code,
        use_code

),

cells as (

    select
        rented.month_start_date,
        rented.division_code,
        rented.use_code,
        'rented' as occupancy,
        rented.unit_count,
        rented.unit_count as rented_unit_count,
        rented.tenant_count,
        rented.group_rental_unit_count
    from rented

    union all

    select
        month_ends.month_start_date,
        stock.division_code,
        stock.use_code,
        'unknown' as occupancy,
        stock.unit_count - coalesce(rented.unit_count, 0) as unit_count,
        0 as rented_unit_count,
        0 as tenant_count,
        0 as group_rental_unit_count
    from month_ends
    cross join stock
    left join rented
        on rented.month_start_date = month_ends.month_start_date
        and rented.division_code = stock.division_code
        and rented.use_code = stock.use_code
    where stock.unit_count - coalesce(rented.unit_count, 0) > 0

),

divisions as (

    select * from {{ ref('stg_reference__divisions') }}

)

select
    {{ dbt.cast('cells.month_start_date', 'date') }} as month_start_date,
    {{ dbt.cast('cells.division_code', dbt.type_string()) }} as division_code,
    {{ dbt.cast('case when length(cells.division_code) = 15 then cells.division_code end', dbt.type_string()) }} as grid_code,
    {{ dbt.cast('grid.division_name', dbt.type_string()) }} as grid_name,
    {{ dbt.cast('substring(cells.division_code from 1 for 12)', dbt.type_string()) }} as community_code,
    {{ dbt.cast('community.division_name', dbt.type_string()) }} as community_name,
    {{ dbt.cast(dbt.concat(["substring(cells.division_code from 1 for 9)", "'000'"]), dbt.type_string()) }} as street_code,
    {{ dbt.cast("coalesce(street.division_name, '未知')", dbt.type_string()) }} as street_name,
    {{ dbt.cast(dbt.concat(["substring(cells.division_code from 1 for 6)", "'000000'"]), dbt.type_string()) }} as district_code,
    {{ dbt.cast("coalesce(district.division_name, '未知')", dbt.type_string()) }} as district_name,
    {{ dbt.cast('cells.use_code', dbt.type_string()) }} as use_code,
    {{ dbt.cast('cells.occupancy', dbt.type_string()) }} as occupancy,
    {{ dbt.cast(suppress_small_count('cells.unit_count'), dbt.type_bigint()) }} as unit_count,
    {{ dbt.cast(suppress_small_count('cells.rented_unit_count'), dbt.type_bigint()) }} as rented_unit_count,
    {{ dbt.cast(suppress_small_count('cells.tenant_count'), dbt.type_bigint()) }} as tenant_count,
    {{ dbt.cast(suppress_small_count('cells.group_rental_unit_count'), dbt.type_bigint()) }} as group_rental_unit_count,
    {{ dbt.cast(
        '(cells.unit_count > 0 and cells.unit_count < ' ~ var('min_cell_count') ~ ')'
        ~ ' or (cells.group_rental_unit_count > 0 and cells.group_rental_unit_count < ' ~ var('min_cell_count') ~ ')',
        dbt.type_boolean()) }} as is_suppressed
from cells
left join divisions as grid
    on cells.division_code = grid.division_code
left join divisions as community
    on substring(cells.division_code from 1 for 12) = community.division_code
left join divisions as street
    on {{ dbt.concat(["substring(cells.division_code from 1 for 9)", "'000'"]) }} = street.division_code
left join divisions as district
    on {{ dbt.concat(["substring(cells.division_code from 1 for 6)", "'000000'"]) }} = district.division_code
