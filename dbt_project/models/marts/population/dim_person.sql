-- One row per person known to any department source, with the person's current
-- registration, residency and status. Pseudonymous: no identity number, name
-- or exact birth date.

with

appearances as (

    select * from {{ ref('int_persons_unioned') }}

),

registrations as (

    select
        person_key,
        gender_code,
        birth_date,
        division_code,
        deregistered_date,
        deregistration_reason_code,
        -- The current registration: an active one if any, else the one that
        -- ended last; among equals the most recently registered and updated.
        row_number() over (
            partition by person_key
            order by
                case when deregistered_date is null then 0 else 1 end,
                deregistered_date desc nulls last,
                registered_date desc nulls last,
                updated_at desc nulls last,
                record_key desc
        ) as registration_rank
    from appearances
    where source_system = 'police'
      and source_entity = 'household_residents'

),

current_registrations as (

    select * from registrations where registration_rank = 1

),

person_evidence as (

    select
        person_key,
        max(case
            when source_entity = 'household_residents' and deregistered_date is null then 1
            else 0
        end) as has_active_registration,
        max(case
            when source_entity = 'deaths' then 1
            when deregistration_reason_code = 'death' then 1
            else 0
        end) as has_death_evidence,
        min(first_seen_at) as first_seen_at
    from appearances
    group by person_key

),

person_sources as (

    select
        person_key,
        {{ dbt.listagg('source_system', "','", 'order by source_system') }} as known_by_sources
    from (
        select distinct person_key, source_system
        from appearances
    ) as distinct_sources
    group by person_key

),

persons as (

    select
        person_evidence.person_key,
        current_registrations.gender_code,
        {{ gender_name('current_registrations.gender_code') }} as gender,
        {{ year_month('current_registrations.birth_date') }} as birth_year_month,
        -- floating and both arrive with the LDRK temporary-residents table.
        case
            when person_evidence.has_active_registration = 1 then 'registered'
            else 'none'
        end as residency_type,
        case
            when person_evidence.has_death_evidence = 1 then 'deceased'
            when person_evidence.has_active_registration = 1 then 'active'
            when current_registrations.deregistration_reason_code = 'moved_out' then 'moved_out'
            else 'active'
        end as status,
        case
            when person_evidence.has_active_registration = 1 then current_registrations.division_code
        end as current_division_code,
        person_sources.known_by_sources,
        person_evidence.first_seen_at
    from person_evidence
    left join current_registrations
        on person_evidence.person_key = current_registrations.person_key
    left join person_sources
        on person_evidence.person_key = person_sources.person_key

)

select
    {{ dbt.cast('person_key', 'varchar') }} as person_key,
    {{ dbt.cast('gender_code', 'varchar') }} as gender_code,
    {{ dbt.cast('gender', 'varchar') }} as gender,
    {{ dbt.cast('birth_year_month', 'varchar') }} as birth_year_month,
    {{ dbt.cast('residency_type', 'varchar') }} as residency_type,
    {{ dbt.cast('status', 'varchar') }} as status,
    {{ dbt.cast('current_division_code', 'varchar') }} as current_division_code,
    {{ dbt.cast('known_by_sources', 'varchar') }} as known_by_sources,
    {{ dbt.cast('first_seen_at', dbt.type_timestamp()) }} as first_seen_at
from persons
