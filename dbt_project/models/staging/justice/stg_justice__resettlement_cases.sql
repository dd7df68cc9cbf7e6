-- Released persons under resettlement support (sheet 安置帮教), one row per case.
-- The roster has no record number and is re-sent every month; a case is the
-- person plus the release date, and the latest roster carries its status.

with

source as (

    select * from {{ source('clean_justice', 'resettlement_cases') }}

),

renamed as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(" ~ dbt.cast('person_key', dbt.type_string()) ~ ", '')",
            "'|'",
            "coalesce(" ~ dbt.cast(dbt.cast('release_date', 'date'), dbt.type_string()) ~ ", '')",
        ])) }} as resettlement_key,
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('release_date', 'date') }} as release_date,
        {{ dbt.cast('current_district', dbt.type_string()) }} as current_district,
        {{ dbt.cast('current_street', dbt.type_string()) }} as current_street,
        {{ dbt.cast('current_community', dbt.type_string()) }} as current_community,
        {{ dbt.cast('status_code', dbt.type_string()) }} as status_code,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('resettlement_key', updated_at=false) }}
    from renamed

)

select
    resettlement_key,
    person_key,
    release_date,
    current_district,
    current_street,
    current_community,
    status_code,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number <= 1
