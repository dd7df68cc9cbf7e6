-- Every appearance of a person in a staged source record, one row each, with
-- the attributes that source knows about the person. dim_person decides from
-- these which registration is current and what the person's status is.
-- Mentions that no staged column carries (tenants, parties, members, persons
-- involved, owners of superseded unit versions) come from the pseudonymous
-- columns of identity.person_mentions, so every mentioned person is a person.

with

household_residents as (

    select * from {{ ref('stg_police__household_residents') }}

),

deaths as (

    select * from {{ ref('stg_civil_affairs__deaths') }}

),

house_units as (

    select * from {{ ref('stg_housing__house_units') }}

),

community_corrections as (

    select * from {{ ref('stg_justice__community_corrections') }}

),

appearances as (

    select
        person_key,
        'police' as source_system,
        'household_residents' as source_entity,
        record_id as record_key,
        'resident' as role,
        gender_code,
        birth_date,
        division_code,
        registered_date,
        deregistered_date,
        deregistration_reason_code,
        cast(null as date) as death_date,
        updated_at,
        _first_extracted_at as first_seen_at,
        false as is_from_mention
    from household_residents

    union all

    select
        person_key,
        'civil_affairs' as source_system,
        'deaths' as source_entity,
        record_number as record_key,
        'deceased' as role,
        cast(null as {{ dbt.type_string() }}) as gender_code,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as division_code,
        cast(null as date) as registered_date,
        cast(null as date) as deregistered_date,
        cast(null as {{ dbt.type_string() }}) as deregistration_reason_code,
        death_date,
        updated_at,
        _first_extracted_at as first_seen_at,
        false as is_from_mention
    from deaths

    union all

    select
        owner_person_key as person_key,
        'housing' as source_system,
        'house_units' as source_entity,
        unit_code as record_key,
        'owner' as role,
        cast(null as {{ dbt.type_string() }}) as gender_code,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as division_code,
        cast(null as date) as registered_date,
        cast(null as date) as deregistered_date,
        cast(null as {{ dbt.type_string() }}) as deregistration_reason_code,
        cast(null as date) as death_date,
        updated_at,
        _first_extracted_at as first_seen_at,
        false as is_from_mention
    from house_units
    where owner_person_key is not null

    union all

    select
        person_key,
        'justice' as source_system,
        'community_corrections' as source_entity,
        correction_key as record_key,
        'corrections_subject' as role,
        cast(null as {{ dbt.type_string() }}) as gender_code,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as division_code,
        cast(null as date) as registered_date,
        cast(null as date) as deregistered_date,
        cast(null as {{ dbt.type_string() }}) as deregistration_reason_code,
        cast(null as date) as death_date,
        -- The rosters carry no update time; the extraction time stands in.
        _extracted_at as updated_at,
        _first_extracted_at as first_seen_at,
        false as is_from_mention
    from community_corrections

    union all

    select
        person_key,
        source_system,
        source_entity,
        {{ dbt.concat(["batch_id", "'#'", "record_key", "'#'", dbt.cast("position", dbt.type_string())]) }} as record_key,
        role,
        cast(null as {{ dbt.type_string() }}) as gender_code,
        cast(null as date) as birth_date,
        cast(null as {{ dbt.type_string() }}) as division_code,
        cast(null as date) as registered_date,
        cast(null as date) as deregistered_date,
        cast(null as {{ dbt.type_string() }}) as deregistration_reason_code,
        cast(null as date) as death_date,
        _extracted_at as updated_at,
        _extracted_at as first_seen_at,
        true as is_from_mention
    -- The deduplicated pseudonymous view: a record delivered twice in one batch
    -- has its mentions twice in the source.
    from {{ ref('stg_identity__person_mentions') }}
    where person_key is not null

)

select
    {{ dbt.concat(["source_system", "':'", "source_entity", "':'", "record_key", "':'", "role"]) }} as appearance_id,
    person_key,
    source_system,
    source_entity,
    record_key,
    role,
    gender_code,
    birth_date,
    division_code,
    registered_date,
    deregistered_date,
    deregistration_reason_code,
    death_date,
    updated_at,
    first_seen_at,
    is_from_mention
from appearances
