-- dim_house_unit's counts and occupancy agree with the current spells of
-- bridge_person_unit: the counts are the distinct current registered
-- residents, floating residents and tenants; a unit is rented exactly when it
-- has a tenant, owner_occupied only with a current owner who lives there, and
-- vacant only when it is in the register and nobody is registered, living or
-- renting there. A row returned is a unit whose occupancy contradicts its spells.

{{ config(meta={'dagster': {'ref': {'name': 'dim_house_unit'}}}) }}

with

current_spells as (

    select * from {{ ref('bridge_person_unit') }}
    where is_current

),

recounted as (

    select
        unit_key,
        count(distinct case when role = 'registered_at' then person_key end) as registered_residents,
        count(distinct case when role = 'lives_at' then person_key end) as floating_residents,
        count(distinct case when role = 'tenant' then person_key end) as tenants
    from current_spells
    group by unit_key

),

owner_occupied as (

    select distinct owners.unit_key
    from current_spells as owners
    inner join current_spells as occupants
        on owners.unit_key = occupants.unit_key
        and owners.person_key = occupants.person_key
        and occupants.role in ('registered_at', 'lives_at')
    where owners.role = 'owner'

),

compared as (

    select
        units.unit_key,
        units.occupancy,
        units.is_in_register,
        units.registered_residents,
        units.floating_residents,
        units.tenants,
        coalesce(recounted.registered_residents, 0) as spell_registered_residents,
        coalesce(recounted.floating_residents, 0) as spell_floating_residents,
        coalesce(recounted.tenants, 0) as spell_tenants,
        owner_occupied.unit_key is not null as has_owner_occupant
    from {{ ref('dim_house_unit') }} as units
    left join recounted
        on units.unit_key = recounted.unit_key
    left join owner_occupied
        on units.unit_key = owner_occupied.unit_key

)

select *
from compared
where registered_residents <> spell_registered_residents
   or floating_residents <> spell_floating_residents
   or tenants <> spell_tenants
   or (occupancy = 'rented') <> (tenants > 0)
   or (occupancy = 'owner_occupied' and not has_owner_occupant)
   or (occupancy = 'vacant' and (not is_in_register or registered_residents + floating_residents + tenants > 0))
