-- fct_incident counts the persons involved that bridge_event_person links,
-- and places an incident on its unit's grid when it names a unit. A row
-- returned is an incident whose count or grid contradicts the bridge or the unit.

{{ config(meta={'dagster': {'ref': {'name': 'fct_incident'}}}) }}

{{ fact_disagreements(ref('fct_incident'), 'incident_id', 'incident', 'linked_person_count', ['involved']) }}
