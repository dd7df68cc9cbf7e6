-- fct_subsistence_case counts the members bridge_event_person links and names
-- the head the bridge names; a case with a unit lies on that unit's grid.

{{ config(meta={'dagster': {'ref': {'name': 'fct_subsistence_case'}}}) }}

{{ fact_disagreements(ref('fct_subsistence_case'), 'subsistence_case_id', 'subsistence_case', 'linked_member_count', ['member']) }}
union all
select
    cases.subsistence_case_id,
    'head differs from bridge_event_person' as disagreement
from {{ ref('fct_subsistence_case') }} as cases
left join {{ ref('bridge_event_person') }} as heads
    on heads.fact_name = 'subsistence_case'
    and heads.event_key = cases.subsistence_case_id
    and heads.role = 'head'
where coalesce(cases.head_person_key, '') <> coalesce(heads.person_key, '')
