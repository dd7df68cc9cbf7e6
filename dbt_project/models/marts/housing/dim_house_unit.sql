-- One row per resolved house unit: its place (district to room, grid), use,
-- floor area, owner type, and who lives there now. Occupancy, from the current
-- spells of bridge_person_unit:
--   rented          a current tenant;
--   owner_occupied  no tenant, and an owner who is registered at or lives at it;
--   vacant          nobody registered, living or renting there, and the register
--                   knows the unit (a unit known only from an address is unknown);
--   unknown         anything else (residents who are neither owner nor tenant,
--                   an owner we cannot see).

with

units as (

    select * from {{ ref('int_house_units_resolved') }}

),

current_spells as (

    select * from {{ ref('bridge_person_unit') }}
    where is_current

),

counts as (

    select
        unit_key,
        count(distinct case when role = 'registered_at' then person_key end) as registered_residents,
        count(distinct case when role = 'lives_at' then person_key end) as floating_residents,
        count(distinct case when role = 'tenant' then person_key end) as tenants
    from current_spells
    group by unit_key

),

owner_occupants as (

    select distinct owners.unit_key
    from current_spells as owners
    inner join current_spells as occupants
        on owners.unit_key = occupants.unit_key
        and owners.person_key = occupants.person_key
        and occupants.role in ('registered_at', 'lives_at')
    where owners.role = 'owner'

),

described as (

    select
        units.*,
        coalesce(counts.registered_residents, 0) as registered_residents,
        coalesce(counts.floating_residents, 0) as floating_residents,
        coalesce(counts.tenants, 0) as tenants,
        case
            when coalesce(counts.tenants, 0) > 0 then 'rented'
            when owner_occupants.unit_key is not null then 'owner_occupied'
            when units.is_in_register
                and coalesce(counts.registered_residents, 0) = 0
                and coalesce(counts.floating_residents, 0) = 0 then 'vacant'
            else 'unknown'
        end as occupancy
    from units
    left join counts
        on units.unit_key = counts.unit_key
    left join owner_occupants
        on units.unit_key = owner_occupants.unit_key

)

select
    {{ dbt.cast('unit_key', 'varchar') }} as unit_key,
    {{ dbt.cast('district_code', 'varchar') }} as district_code,
    {{ dbt.cast('district_name', 'varchar') }} as district_name,
    {{ dbt.cast('street_code', 'varchar') }} as street_code,
    {{ dbt.cast('street_name', 'varchar') }} as street_name,
    {{ dbt.cast('community_code', 'varchar') }} as community_code,
    {{ dbt.cast('community_name', 'varchar') }} as community_name,
    {{ dbt.cast('estate_name', 'varchar') }} as estate_name,
    {{ dbt.cast('building', 'varchar') }} as building,
    {{ dbt.cast('entrance', 'varchar') }} as entrance,
    {{ dbt.cast('floor', dbt.type_bigint()) }} as floor,
    {{ dbt.cast('room', 'varchar') }} as room,
    {{ dbt.cast('grid_code', 'varchar') }} as grid_code,
    {{ dbt.cast('use_code', 'varchar') }} as use_code,
    {{ dbt.cast('floor_area', 'double precision') }} as floor_area,
    {{ dbt.cast('owner_type', 'varchar') }} as owner_type,
    {{ dbt.cast('owner_org_key', 'varchar') }} as owner_org_key,
    {{ dbt.cast('occupancy', 'varchar') }} as occupancy,
    {{ dbt.cast('registered_residents', dbt.type_bigint()) }} as registered_residents,
    {{ dbt.cast('floating_residents', dbt.type_bigint()) }} as floating_residents,
    {{ dbt.cast('tenants', dbt.type_bigint()) }} as tenants,
    {{ dbt.cast('is_in_register', dbt.type_boolean()) }} as is_in_register
from described
