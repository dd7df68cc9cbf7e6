-- Police incident reports (JQ), one row per incident record, placed on the
-- unit and grid its address resolved to. The persons involved are in
-- bridge_event_person (fact_name 'incident').

with

incidents as (

    select * from {{ ref('stg_police__incidents') }}

)

select
    {{ dbt.cast('incidents.record_id', 'varchar') }} as incident_id,
    {{ dbt.cast('incidents.incident_number', 'varchar') }} as incident_number,
    {{ dbt.cast('incidents.reported_at', dbt.type_timestamp()) }} as reported_at,
    {{ dbt.cast('incidents.reported_at', 'date') }} as reported_date,
    {{ dbt.cast('incidents.category_code', 'varchar') }} as category_code,
    {{ dbt.cast('incidents.category', 'varchar') }} as category,
    {{ dbt.cast('incidents.subcategory_name', 'varchar') }} as subcategory_name,
    {{ dbt.cast('incidents.outcome_code', 'varchar') }} as outcome_code,
    {{ dbt.cast('incidents.police_station', 'varchar') }} as police_station,
    {{ dbt.cast('incidents.involved_count', dbt.type_bigint()) }} as involved_count,
    {{ dbt.cast('coalesce(linked.person_count, 0)', dbt.type_bigint()) }} as linked_person_count,
    {{ event_place_columns() }}
from incidents
left join {{ linked_person_counts('incident', ['involved']) }} as linked
    on linked.event_key = incidents.record_id
{{ event_place_joins('incident', 'incidents.record_id') }}
