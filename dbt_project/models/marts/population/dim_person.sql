-- One row per person known to any department source, with the person's current
-- registration, residency and status, the grid they live in now and the
-- quality flags of their record. Pseudonymous: no identity number, name or
-- exact birth date.

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
      -- A mention of a household record names the person, not the registration
      -- (null in unit tests that leave the column out: a staged record).
      and coalesce(is_from_mention, false) = false

),

current_registrations as (

    select * from registrations where registration_rank <= 1

),

person_evidence as (

    select
        person_key,
        max(case
            when source_entity = 'household_residents' and deregistered_date is null
                and coalesce(is_from_mention, false) = false then 1
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

-- Where the person lives now: the unit of a current household registration,
-- else of a current floating-resident permit (the latest begun among several).
current_locations as (

    select
        spells.person_key,
        units.grid_code,
        row_number() over (
            partition by spells.person_key
            order by
                case spells.role when 'registered_at' then 0 else 1 end,
                spells.valid_from desc nulls last,
                spells.unit_key
        ) as location_rank
    from {{ ref('bridge_person_unit') }} as spells
    left join {{ ref('dim_house_unit') }} as units
        on spells.unit_key = units.unit_key
    where spells.is_current
      and spells.role in ('registered_at', 'lives_at')

),

mention_evidence as (

    select
        person_key,
        max(case when evidence like 'match:%' then 1 else 0 end) as has_matched_mention,
        max(case when evidence like 'new:%' then 1 else 0 end) as has_surrogate_mention
    from {{ ref('stg_identity__person_mentions') }}
    where person_key is not null
    group by person_key

),

registration_counts as (

    select
        person_key,
        count(distinct case
            when source_entity = 'household_residents' and deregistered_date is null
                and coalesce(is_from_mention, false) = false then record_key
        end) as active_registration_count
    from appearances
    group by person_key

),

-- Why a person's record deserves a second look, as sorted, comma-separated
-- flags (null when none): linked_by_match (a mention was linked by match
-- probability, not by an identity number), surrogate_key (no valid identity
-- number: the key is a resolution surrogate), several_active_registrations,
-- registered_after_death (a death is recorded and a registration is active),
-- no_current_unit (registered in the city, but no unit resolved for it).
quality_flags as (

    select
        person_evidence.person_key,
        {{ dbt.concat([
            "case when mention_evidence.has_matched_mention = 1 then 'linked_by_match,' else '' end",
            "case when current_locations.person_key is null and person_evidence.has_active_registration = 1 then 'no_current_unit,' else '' end",
            "case when person_evidence.has_death_evidence = 1 and person_evidence.has_active_registration = 1 then 'registered_after_death,' else '' end",
            "case when registration_counts.active_registration_count > 1 then 'several_active_registrations,' else '' end",
            "case when mention_evidence.has_surrogate_mention = 1 then 'surrogate_key,' else '' end",
        ]) }} as flag_list
    from person_evidence
    left join mention_evidence
        on person_evidence.person_key = mention_evidence.person_key
    left join registration_counts
        on person_evidence.person_key = registration_counts.person_key
    left join current_locations
        on person_evidence.person_key = current_locations.person_key
        and current_locations.location_rank <= 1

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
        person_evidence.first_seen_at,
        current_locations.grid_code as current_grid_code,
        case
            when quality_flags.flag_list = '' then null
            -- Drop the trailing comma.
            else substring(quality_flags.flag_list from 1 for {{ dbt.length('quality_flags.flag_list') }} - 1)
        end as quality_flags
    from person_evidence
    left join current_registrations
        on person_evidence.person_key = current_registrations.person_key
    left join person_sources
        on person_evidence.person_key = person_sources.person_key
    left join current_locations
        on person_evidence.person_key = current_locations.person_key
        and current_locations.location_rank <= 1
    left join quality_flags
        on person_evidence.person_key = quality_flags.person_key

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
    {{ dbt.cast('first_seen_at', dbt.type_timestamp()) }} as first_seen_at,
    {{ dbt.cast('current_grid_code', 'varchar') }} as current_grid_code,
    {{ dbt.cast('quality_flags', 'varchar') }} as quality_flags
from persons
