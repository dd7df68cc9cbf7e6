-- Person to organization, by role, as history: one row per spell of a legal
-- representative, employee or student. Overlapping or touching intervals of
-- the same person, organization and role are one spell. Current as in
-- bridge_person_unit (macro as_of_date).

with

links as (

    select * from {{ ref('int_person_org_links') }}

),

spells as (

    {{ merge_validity_intervals('links', ['person_key', 'org_key', 'role']) }}

),

as_of as (

    -- With no register loaded at all, an open spell is still current.
    select coalesce({{ as_of_date() }}, cast('9999-12-31' as date)) as as_of_date

)

select
    {{ dbt.cast(dbt.hash(dbt.concat([
        'spells.person_key', "'|'", 'spells.org_key', "'|'", 'spells.role', "'|'",
        "coalesce(" ~ dbt.cast('spells.valid_from', dbt.type_string()) ~ ", '')",
    ])), 'varchar') }} as person_org_key,
    {{ dbt.cast('spells.person_key', 'varchar') }} as person_key,
    {{ dbt.cast('spells.org_key', 'varchar') }} as org_key,
    {{ dbt.cast('spells.role', 'varchar') }} as role,
    {{ dbt.cast('spells.valid_from', 'date') }} as valid_from,
    {{ dbt.cast('spells.valid_to', 'date') }} as valid_to,
    {{ dbt.cast(
        '(spells.valid_to is null or spells.valid_to > as_of.as_of_date)'
        ~ ' and (spells.valid_from is null or spells.valid_from <= as_of.as_of_date)',
        dbt.type_boolean()
    ) }} as is_current,
    {{ dbt.cast('spells.interval_count', dbt.type_bigint()) }} as record_count
from spells
cross join as_of
