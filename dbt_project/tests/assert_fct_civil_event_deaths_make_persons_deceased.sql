-- Every death in fct_civil_event is a deceased person in dim_person, and only
-- deaths carry a person_key on the fact: marriage and divorce parties live in
-- bridge_event_person. A row returned is an event that breaks either rule.

{{ config(meta={'dagster': {'ref': {'name': 'fct_civil_event'}}}) }}

select
    events.civil_event_key,
    events.event_type,
    events.person_key,
    persons.status
from {{ ref('fct_civil_event') }} as events
left join {{ ref('dim_person') }} as persons
    on events.person_key = persons.person_key
where (events.event_type = 'death' and events.person_key is not null and coalesce(persons.status, '') <> 'deceased')
   or (events.event_type <> 'death' and events.person_key is not null)
