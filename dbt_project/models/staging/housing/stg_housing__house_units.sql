-- House units (房屋基础信息), latest version of each unit code.
-- The monthly full snapshot and the daily increments both carry every changed
-- unit, so a unit code appears in many batches; the latest change wins.

with

source as (

    select * from {{ source('clean_housing', 'house_units') }}

),

renamed as (

    select
        {{ dbt.cast('unit_code', dbt.type_string()) }} as unit_code,
        {{ dbt.cast('division_code', dbt.type_string()) }} as division_code,
        {{ dbt.cast('estate_name', dbt.type_string()) }} as estate_name,
        {{ dbt.cast('building', dbt.type_string()) }} as building,
        {{ dbt.cast('entrance', dbt.type_string()) }} as entrance,
        {{ dbt.cast('floor', dbt.type_int()) }} as floor,
        {{ dbt.cast('room', dbt.type_string()) }} as room,
        {{ dbt.cast('floor_area', dbt.type_float()) }} as floor_area,
        {{ dbt.cast('use_code', dbt.type_string()) }} as use_code,
        {{ dbt.cast('owner_type', dbt.type_string()) }} as owner_type,
        {{ dbt.cast('owner_person_key', dbt.type_string()) }} as owner_person_key,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('unit_code') }}
    from renamed

)

select
    unit_code,
    division_code,
    estate_name,
    building,
    entrance,
    floor,
    room,
    floor_area,
    use_code,
    owner_type,
    owner_person_key,
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
