-- Every event bridge_event_person names is a row of its fact table. A row
-- returned is a person linked to an event no fact holds.

{{ config(meta={'dagster': {'ref': {'name': 'bridge_event_person'}}}) }}

with

events as (

    select 'incident' as fact_name, incident_id as event_key from {{ ref('fct_incident') }}
    union all
    select 'mediation_case', mediation_case_id from {{ ref('fct_mediation_case') }}
    union all
    select 'correction_episode', correction_episode_key from {{ ref('fct_correction_episode') }}
    union all
    select 'civil_event', civil_event_key from {{ ref('fct_civil_event') }}
    union all
    select 'subsistence_case', subsistence_case_id from {{ ref('fct_subsistence_case') }}

)

select bridge.*
from {{ ref('bridge_event_person') }} as bridge
left join events
    on bridge.fact_name = events.fact_name
    and bridge.event_key = events.event_key
where events.event_key is null
