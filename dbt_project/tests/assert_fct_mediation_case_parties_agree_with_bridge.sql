-- fct_mediation_case counts the parties that bridge_event_person links, and a
-- case with a unit lies on that unit's grid.

{{ config(meta={'dagster': {'ref': {'name': 'fct_mediation_case'}}}) }}

{{ fact_disagreements(ref('fct_mediation_case'), 'mediation_case_id', 'mediation_case', 'linked_party_count', ['party']) }}
