-- Household-registered residents (HJRK), latest version of each police record.
-- The police re-deliver a row under the same `ID` whenever it changes
-- (deregistration, correction), so one record_id can arrive in several batches.

with

source as (

    select * from {{ source('clean_police', 'household_residents') }}

),

renamed as (

    select
        {{ dbt.cast('record_id', dbt.type_string()) }} as record_id,
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('gender_code', dbt.type_string()) }} as gender_code,
        {{ gender_name('gender_code') }} as gender,
        {{ dbt.cast('birth_date', 'date') }} as birth_date,
        {{ dbt.cast('household_key', dbt.type_string()) }} as household_key,
        {{ dbt.cast('relation_code', dbt.type_string()) }} as relation_code,
        case relation_code
            when '02' then 'head'
            when '10' then 'spouse'
            when '20' then 'child'
            when '50' then 'parent'
            else 'other'
        end as relation_to_head,
        {{ dbt.cast('division_code', dbt.type_string()) }} as division_code,
        {{ dbt.cast('registered_date', 'date') }} as registered_date,
        {{ dbt.cast('deregistered_date', 'date') }} as deregistered_date,
        {{ dbt.cast('deregistration_reason_code', dbt.type_string()) }} as deregistration_reason_code,
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
    household_key,
    relation_code,
    relation_to_head,
    division_code,
    registered_date,
    deregistered_date,
    deregistration_reason_code,
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
