-- The source record behind each fact row: the latest version staging keeps,
-- located by its mention key (source system, entity, batch, record key) so
-- that the persons and places its mentions resolved to can be joined.
-- Grain: one row per fact and event key.

{%- set events = [
    {'fact': 'incident', 'model': 'stg_police__incidents', 'system': 'police', 'entity': 'incidents',
     'event_key': 'record_id', 'record_key': 'record_id'},
    {'fact': 'mediation_case', 'model': 'stg_justice__mediation_cases', 'system': 'justice', 'entity': 'mediation_cases',
     'event_key': 'case_number', 'record_key': dbt.cast('_source_row', dbt.type_string())},
    {'fact': 'correction_episode', 'model': 'stg_justice__community_corrections', 'system': 'justice',
     'entity': 'community_corrections', 'event_key': 'correction_key',
     'record_key': dbt.cast('_source_row', dbt.type_string())},
    {'fact': 'civil_event', 'model': 'stg_civil_affairs__marriages', 'system': 'civil_affairs', 'entity': 'marriages',
     'event_key': dbt.concat(["'marriages:'", 'registration_number']), 'record_key': 'registration_number'},
    {'fact': 'civil_event', 'model': 'stg_civil_affairs__deaths', 'system': 'civil_affairs', 'entity': 'deaths',
     'event_key': dbt.concat(["'deaths:'", 'record_number']), 'record_key': 'record_number'},
    {'fact': 'subsistence_case', 'model': 'stg_civil_affairs__subsistence_cases', 'system': 'civil_affairs',
     'entity': 'subsistence_cases', 'event_key': 'case_number', 'record_key': 'case_number'},
] %}

{%- for event in events %}
select
    cast('{{ event.fact }}' as {{ dbt.type_string() }}) as fact_name,
    {{ dbt.cast(event.event_key, dbt.type_string()) }} as event_key,
    cast('{{ event.system }}' as {{ dbt.type_string() }}) as source_system,
    cast('{{ event.entity }}' as {{ dbt.type_string() }}) as source_entity,
    _batch_id as batch_id,
    {{ dbt.cast(event.record_key, dbt.type_string()) }} as record_key
from {{ ref(event.model) }}
{{ "union all" if not loop.last }}
{% endfor %}
