-- Every observed link between a person and a house unit, one row per record
-- (version) that states it, before spells are merged in bridge_person_unit:
--   registered_at  a household registration (HJRK) at the unit: registered
--                  date to deregistration date;
--   lives_at       a floating resident's permit (LDRK) at the unit:
--                  registration date to the permit's valid-until date;
--   tenant         a rental registration's tenant: start to end of the lease;
--   owner          the register's owner across its deliveries: from the first
--                  delivery naming the owner (unknown for the first owner the
--                  warehouse saw) to the first delivery naming another.
-- Persons come from the record's person mention (resolved key, else the key
-- the clean step gave a valid identity number), units from its unit mention;
-- a record whose unit is unresolved links nothing. Addresses from the justice
-- and subsistence rosters are not used here: they place facts, not residence
-- history, and would reveal L4 membership through the bridge.

-- A table, not a view: bridge_person_unit and this model's tests read it,
-- and a view would repeat its joins for each of them.
{{ config(materialized='table') }}

-- One import CTE per kind of mention, each read once: PostgreSQL keeps a CTE
-- read twice as a temporary result without statistics, guesses one row for
-- every filter on it and loops over it (minutes at 50,000 persons); a CTE read
-- once is planned with the mention table's statistics and index.
with

resident_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'police'
      and source_entity = 'household_residents'
      and role = 'registered_at'
      and unit_key is not null

),

resident_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'police'
      and source_entity = 'household_residents'
      and role = 'resident'
      and position = 1

),

floating_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'police'
      and source_entity = 'floating_residents'
      and role = 'lives_at'
      and unit_key is not null

),

floating_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'police'
      and source_entity = 'floating_residents'
      and role = 'floating_resident'
      and position = 1

),

rented_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'housing'
      and source_entity = 'rental_registrations'
      and role = 'rented_unit'
      and unit_key is not null

),

tenant_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'housing'
      and source_entity = 'rental_registrations'
      and role = 'tenant'

),

register_units as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'housing'
      and source_entity = 'house_units'
      and role = 'unit'
      and unit_key is not null

),

owner_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'housing'
      and source_entity = 'house_units'
      and role = 'owner'
      and position = 1

),

household_residents as (

    select * from {{ ref('stg_police__household_residents') }}

),

floating_residents as (

    select * from {{ ref('stg_police__floating_residents') }}

),

rental_registrations as (

    select * from {{ ref('stg_housing__rental_registrations') }}

),

registered_at as (

    select
        coalesce(persons.person_key, household_residents.person_key) as person_key,
        units.unit_key,
        'registered_at' as role,
        household_residents.registered_date as valid_from,
        household_residents.deregistered_date as valid_to,
        'police' as source_system,
        'household_residents' as source_entity,
        household_residents._batch_id as batch_id,
        household_residents.record_id as record_key,
        household_residents._extracted_at as observed_at
    from household_residents
    inner join resident_units as units
        on units.batch_id = household_residents._batch_id
        and units.record_key = household_residents.record_id
    left join resident_persons as persons
        on persons.batch_id = household_residents._batch_id
        and persons.record_key = household_residents.record_id

),

lives_at as (

    select
        coalesce(persons.person_key, floating_residents.person_key) as person_key,
        units.unit_key,
        'lives_at' as role,
        floating_residents.registered_date as valid_from,
        floating_residents.valid_until_date as valid_to,
        'police' as source_system,
        'floating_residents' as source_entity,
        floating_residents._batch_id as batch_id,
        floating_residents.record_id as record_key,
        floating_residents._extracted_at as observed_at
    from floating_residents
    inner join floating_units as units
        on units.batch_id = floating_residents._batch_id
        and units.record_key = floating_residents.record_id
    left join floating_persons as persons
        on persons.batch_id = floating_residents._batch_id
        and persons.record_key = floating_residents.record_id

),

tenants as (

    select
        persons.person_key,
        units.unit_key,
        'tenant' as role,
        rental_registrations.start_date as valid_from,
        rental_registrations.end_date as valid_to,
        'housing' as source_system,
        'rental_registrations' as source_entity,
        rental_registrations._batch_id as batch_id,
        {{ dbt.cast('rental_registrations._source_row', dbt.type_string()) }} as record_key,
        rental_registrations._extracted_at as observed_at
    from rental_registrations
    inner join rented_units as units
        on units.batch_id = rental_registrations._batch_id
        and units.record_key = {{ dbt.cast('rental_registrations._source_row', dbt.type_string()) }}
    inner join tenant_persons as persons
        on persons.batch_id = rental_registrations._batch_id
        and persons.record_key = {{ dbt.cast('rental_registrations._source_row', dbt.type_string()) }}

),

-- Each delivery of a register row, with the person owning it in that delivery
-- (null when the owner is an organization or unknown, which ends a person's
-- ownership just the same).
owner_deliveries as (

    select
        units.unit_key as entity_key,
        owners.person_key as holder_key,
        units._extracted_at as observed_at,
        units.batch_id
    from register_units as units
    left join owner_persons as owners
        on owners.batch_id = units.batch_id
        and owners.record_key = units.record_key

),

owners as (

    select
        spells.holder_key as person_key,
        spells.entity_key as unit_key,
        'owner' as role,
        spells.valid_from,
        spells.valid_to,
        'housing' as source_system,
        'house_units' as source_entity,
        cast(null as {{ dbt.type_string() }}) as batch_id,
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_timestamp() }}) as observed_at
    from ({{ observed_spells('owner_deliveries') }}) as spells

),

links as (

    select * from registered_at
    union all
    select * from lives_at
    union all
    select * from tenants
    union all
    select * from owners

)

select
    person_key,
    unit_key,
    role,
    valid_from,
    -- A lease or permit ending before it starts (a typing error the clean step
    -- flags) is kept as an empty spell rather than an inverted one.
    case when valid_to < valid_from then valid_from else valid_to end as valid_to,
    source_system,
    source_entity,
    batch_id,
    record_key,
    observed_at
from links
where person_key is not null
