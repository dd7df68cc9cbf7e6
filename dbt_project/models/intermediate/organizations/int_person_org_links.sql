-- Every observed link between a person and an organization, before spells are
-- merged in bridge_person_org:
--   legal_representative  the registry's legal representative across its
--                         deliveries: from the first delivery naming the person
--                         (unknown for the first one the warehouse saw) to the
--                         first delivery naming another;
--   employee, student     a floating resident's employer or school (FWCS; a
--                         student when the reason for residence is study), from
--                         the permit's registration to its valid-until date.

-- A table, not a view: bridge_person_org and this model's tests read it, and a
-- view would repeat its joins for each of them.
{{ config(materialized='table') }}

-- One import CTE per kind of mention, each read once (as in
-- int_person_unit_links: PostgreSQL plans a CTE read twice without statistics).
with

registry_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where source_system = 'civil_affairs'
      and source_entity = 'organizations'
      and role = 'organization'
      and org_key is not null

),

representative_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'civil_affairs'
      and source_entity = 'organizations'
      and role = 'legal_representative'
      and position = 1

),

employer_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where source_system = 'police'
      and source_entity = 'floating_residents'
      and role = 'employer'
      and org_key is not null

),

floating_persons as (

    select * from {{ ref('stg_identity__person_mentions') }}
    where source_system = 'police'
      and source_entity = 'floating_residents'
      and role = 'floating_resident'
      and position = 1

),

floating_residents as (

    select * from {{ ref('stg_police__floating_residents') }}

),

representative_deliveries as (

    select
        organizations.org_key as entity_key,
        representatives.person_key as holder_key,
        organizations._extracted_at as observed_at,
        organizations.batch_id
    from registry_orgs as organizations
    left join representative_persons as representatives
        on representatives.batch_id = organizations.batch_id
        and representatives.record_key = organizations.record_key

),

representatives as (

    select
        spells.holder_key as person_key,
        spells.entity_key as org_key,
        'legal_representative' as role,
        spells.valid_from,
        spells.valid_to,
        cast(null as {{ dbt.type_timestamp() }}) as observed_at
    from ({{ observed_spells('representative_deliveries') }}) as spells

),

members as (

    select
        coalesce(persons.person_key, floating_residents.person_key) as person_key,
        employers.org_key,
        case when floating_residents.residence_reason_code = 'study' then 'student' else 'employee' end as role,
        floating_residents.registered_date as valid_from,
        floating_residents.valid_until_date as valid_to,
        floating_residents._extracted_at as observed_at
    from floating_residents
    inner join employer_orgs as employers
        on employers.batch_id = floating_residents._batch_id
        and employers.record_key = floating_residents.record_id
    left join floating_persons as persons
        on persons.batch_id = floating_residents._batch_id
        and persons.record_key = floating_residents.record_id

),

links as (

    select * from representatives
    union all
    select * from members

)

select
    person_key,
    org_key,
    role,
    valid_from,
    case when valid_to < valid_from then valid_from else valid_to end as valid_to,
    observed_at
from links
where person_key is not null
