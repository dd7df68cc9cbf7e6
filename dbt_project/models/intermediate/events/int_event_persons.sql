-- Every person each fact's record names, with the role and position of the
-- mention and the evidence of the link. A mention's resolved key comes first;
-- where no mention exists (a warehouse whose mentions were not written), the
-- key the clean step gave a valid identity number stands in, for the single
-- persons a record carries as a column.
-- Grain: one row per fact, event key, role and position.

-- A table, not a view: several marts read it, and a view would repeat its
-- joins in each of them.
{{ config(materialized='table') }}

with

records as (

    select * from {{ ref('int_event_records') }}

),

person_mentions as (

    select * from {{ ref('stg_identity__person_mentions') }}

),

mentioned as (

    select
        records.fact_name,
        records.event_key,
        person_mentions.role,
        person_mentions.position,
        person_mentions.person_key,
        person_mentions.evidence
    from records
    inner join person_mentions
        on person_mentions.source_system = records.source_system
        and person_mentions.source_entity = records.source_entity
        and person_mentions.batch_id = records.batch_id
        and person_mentions.record_key = records.record_key

),

staged as (

    select 'civil_event' as fact_name, {{ dbt.concat(["'deaths:'", 'record_number']) }} as event_key,
        'deceased' as role, person_key
    from {{ ref('stg_civil_affairs__deaths') }}
    union all
    select 'civil_event', {{ dbt.concat(["'marriages:'", 'registration_number']) }}, 'male_party', male_person_key
    from {{ ref('stg_civil_affairs__marriages') }}
    union all
    select 'civil_event', {{ dbt.concat(["'marriages:'", 'registration_number']) }}, 'female_party', female_person_key
    from {{ ref('stg_civil_affairs__marriages') }}
    union all
    select 'subsistence_case', case_number, 'head', head_person_key
    from {{ ref('stg_civil_affairs__subsistence_cases') }}
    union all
    select 'correction_episode', correction_key, 'corrections_subject', person_key
    from {{ ref('stg_justice__community_corrections') }}

),

linked as (

    select
        coalesce(mentioned.fact_name, staged.fact_name) as fact_name,
        coalesce(mentioned.event_key, staged.event_key) as event_key,
        coalesce(mentioned.role, staged.role) as role,
        coalesce(mentioned.position, 1) as position,
        coalesce(mentioned.person_key, staged.person_key) as person_key,
        case
            when mentioned.person_key is not null then mentioned.evidence
            when staged.person_key is not null then 'rule:id_number'
            else coalesce(mentioned.evidence, 'unresolved')
        end as evidence
    from mentioned
    full outer join staged
        on mentioned.fact_name = staged.fact_name
        and mentioned.event_key = staged.event_key
        and mentioned.role = staged.role
        and mentioned.position = 1

)

select
    fact_name,
    event_key,
    role,
    position,
    person_key,
    evidence
from linked
where person_key is not null
