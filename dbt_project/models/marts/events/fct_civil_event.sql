-- Civil-status events from civil affairs: marriages, divorces and deaths, one
-- row per registration or death record. A death carries the deceased's
-- person_key (L4); the two parties of a marriage or divorce are in
-- bridge_event_person (fact_name 'civil_event', roles male_party, female_party).

with

marriages as (

    select * from {{ ref('stg_civil_affairs__marriages') }}

),

deaths as (

    select * from {{ ref('stg_civil_affairs__deaths') }}

),

deceased as (

    select event_key, person_key
    from {{ ref('int_event_persons') }}
    where fact_name = 'civil_event'
      and role = 'deceased'
      and position = 1

),

events as (

    select
        {{ dbt.concat(["'marriages:'", 'registration_number']) }} as civil_event_key,
        coalesce(registration_type_code, 'unknown') as event_type,
        registration_date as event_date,
        registration_number as record_number,
        office,
        cast(null as {{ dbt.type_string() }}) as person_key
    from marriages

    union all

    select
        {{ dbt.concat(["'deaths:'", 'deaths.record_number']) }} as civil_event_key,
        'death' as event_type,
        deaths.death_date as event_date,
        deaths.record_number,
        cast(null as {{ dbt.type_string() }}) as office,
        coalesce(deceased.person_key, deaths.person_key) as person_key
    from deaths
    left join deceased
        on deceased.event_key = {{ dbt.concat(["'deaths:'", 'deaths.record_number']) }}

)

select
    {{ dbt.cast('events.civil_event_key', 'varchar') }} as civil_event_key,
    {{ dbt.cast('events.event_type', 'varchar') }} as event_type,
    {{ dbt.cast('events.event_date', 'date') }} as event_date,
    {{ dbt.cast('events.record_number', 'varchar') }} as record_number,
    {{ dbt.cast('events.office', 'varchar') }} as office,
    {{ dbt.cast('events.person_key', 'varchar') }} as person_key,
    {{ dbt.cast('coalesce(linked.person_count, 0)', dbt.type_bigint()) }} as linked_person_count,
    {{ event_place_columns() }}
from events
left join {{ linked_person_counts('civil_event', ['male_party', 'female_party', 'deceased']) }} as linked
    on linked.event_key = events.civil_event_key
{{ event_place_joins('civil_event', 'events.civil_event_key') }}
