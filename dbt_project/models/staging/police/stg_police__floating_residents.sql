-- Floating residents with residence permits (LDRK), latest version of each police record.
-- The police re-deliver a row under the same `ID` whenever it changes (a renewed
-- permit, a new address), so one record_id can arrive in several batches.

with

source as (

    select * from {{ source('clean_police', 'floating_residents') }}

),

renamed as (

    select
        {{ dbt.cast('record_id', dbt.type_string()) }} as record_id,
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('gender_code', dbt.type_string()) }} as gender_code,
        {{ gender_name('gender_code') }} as gender,
        {{ dbt.cast('birth_date', 'date') }} as birth_date,
        {{ dbt.cast('current_district', dbt.type_string()) }} as current_district,
        {{ dbt.cast('current_street', dbt.type_string()) }} as current_street,
        {{ dbt.cast('current_community', dbt.type_string()) }} as current_community,
        {{ dbt.cast('origin_province', dbt.type_string()) }} as origin_province,
        {{ dbt.cast('residence_reason', dbt.type_string()) }} as residence_reason,
        {{ dbt.cast('residence_reason_code', dbt.type_string()) }} as residence_reason_code,
        {{ dbt.cast('employer_name', dbt.type_string()) }} as employer_name,
        {{ dbt.cast('registered_date', 'date') }} as registered_date,
        {{ dbt.cast('valid_until_date', 'date') }} as valid_until_date,
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
    person_key,
    gender_code,
    gender,
    birth_date,
    current_district,
    current_street,
    current_community,
    origin_province,
    residence_reason,
    residence_reason_code,
    employer_name,
    registered_date,
    valid_until_date,
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
