-- One row per resolved organization (org_key) any record mentions, with what
-- the civil-affairs registry says of it (latest version), else what the other
-- mentions say: the credit code a house owner was given with, the employer
-- name a floating resident gave (the clean layer keeps it; the mentioned name
-- in the identity schema is not read). Its grid is that of the registered
-- house unit unit resolution linked its registered office (the located_at
-- unit mention) to; the address itself stays in the identity schema.

-- A table, not a view: dim_organization and this model's tests read it, and
-- a view would repeat its joins for each of them.
{{ config(materialized='table', pre_hook="{{ avoid_nested_loops() }}") }}

-- Each import CTE is read once (as in int_person_unit_links: PostgreSQL plans
-- a CTE read twice without statistics).
with

registry_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where source_system = 'civil_affairs'
      and source_entity = 'organizations'
      and role = 'organization'
      and org_key is not null

),

coded_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where org_key is not null
      and credit_code is not null

),

employer_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where source_system = 'police'
      and source_entity = 'floating_residents'
      and role = 'employer'
      and org_key is not null

),

mentioned_orgs as (

    select * from {{ ref('stg_identity__org_mentions') }}
    where org_key is not null

),

offices as (

    select * from {{ ref('stg_identity__unit_mentions') }}
    where source_system = 'civil_affairs'
        and source_entity = 'organizations'
        and role = 'located_at'
        and unit_key is not null

),

registry as (

    select * from {{ ref('stg_civil_affairs__organizations') }}

),

floating_residents as (

    select * from {{ ref('stg_police__floating_residents') }}

),

units as (

    select * from {{ ref('int_house_units_resolved') }}
    where is_in_register

),

registered as (

    select
        registry_orgs.org_key,
        registry.*,
        offices.unit_key as office_unit_key,
        row_number() over (
            partition by registry_orgs.org_key
            order by registry.updated_at desc nulls last, registry._extracted_at desc nulls last, registry.credit_code
        ) as version_rank
    from registry
    inner join registry_orgs
        on registry_orgs.batch_id = registry._batch_id
        and registry_orgs.record_key = registry.credit_code
    left join offices
        on offices.batch_id = registry._batch_id
        and offices.record_key = registry.credit_code

),

mentioned_codes as (

    select
        org_key,
        credit_code,
        row_number() over (
            partition by org_key
            order by _extracted_at desc nulls last, batch_id desc, record_key desc
        ) as code_rank
    from coded_orgs

),

employer_names as (

    select
        employer_orgs.org_key,
        floating_residents.employer_name,
        row_number() over (
            partition by employer_orgs.org_key
            order by floating_residents._extracted_at desc nulls last, floating_residents.record_id desc
        ) as name_rank
    from floating_residents
    inner join employer_orgs
        on employer_orgs.batch_id = floating_residents._batch_id
        and employer_orgs.record_key = floating_residents.record_id
    where floating_residents.employer_name is not null

),

organizations as (

    select distinct org_key from mentioned_orgs

)

select
    organizations.org_key,
    coalesce(registered.credit_code, mentioned_codes.credit_code) as credit_code,
    registered.has_valid_credit_code,
    coalesce(registered.org_name, employer_names.employer_name) as org_name,
    coalesce(registered.org_type_code, 'unknown') as org_type_code,
    coalesce(registered.status_code, 'unknown') as status_code,
    registered.founded_date,
    registered.org_key is not null as is_in_registry,
    units.grid_code
from organizations
left join registered
    on organizations.org_key = registered.org_key
    and registered.version_rank <= 1
left join mentioned_codes
    on organizations.org_key = mentioned_codes.org_key
    and mentioned_codes.code_rank <= 1
left join employer_names
    on organizations.org_key = employer_names.org_key
    and employer_names.name_rank <= 1
left join units
    on registered.office_unit_key = units.unit_key
