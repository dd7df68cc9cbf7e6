-- Police incident reports (JQ), latest version of each police record.
-- An incident is re-delivered under the same `ID` when its handling changes
-- (处理中 -> 已处理), so the latest GXSJ wins.

with

source as (

    select * from {{ source('clean_police', 'incidents') }}

),

renamed as (

    select
        {{ dbt.cast('record_id', dbt.type_string()) }} as record_id,
        {{ dbt.cast('incident_number', dbt.type_string()) }} as incident_number,
        {{ dbt.cast('reported_at', dbt.type_timestamp()) }} as reported_at,
        {{ dbt.cast('category_code', dbt.type_string()) }} as category_code,
        {{ dbt.cast('category', dbt.type_string()) }} as category,
        {{ dbt.cast('subcategory_name', dbt.type_string()) }} as subcategory_name,
        {{ dbt.cast('location_district', dbt.type_string()) }} as location_district,
        {{ dbt.cast('location_street', dbt.type_string()) }} as location_street,
        {{ dbt.cast('location_community', dbt.type_string()) }} as location_community,
        {{ dbt.cast('longitude', dbt.type_float()) }} as longitude,
        {{ dbt.cast('latitude', dbt.type_float()) }} as latitude,
        {{ dbt.cast('police_station', dbt.type_string()) }} as police_station,
        {{ dbt.cast('outcome', dbt.type_string()) }} as outcome,
        {{ dbt.cast('outcome_code', dbt.type_string()) }} as outcome_code,
        {{ dbt.cast('involved_count', dbt.type_bigint()) }} as involved_count,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('record_id') }}
    from renamed

)

select
    record_id,
    incident_number,
    reported_at,
    category_code,
    category,
    subcategory_name,
    location_district,
    location_street,
    location_community,
    longitude,
    latitude,
    police_station,
    outcome,
    outcome_code,
    involved_count,
    updated_at,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number <= 1
