-- Marriage and divorce registrations (/api/v1/marriages), latest version of each
-- registration number. A later API page can carry a corrected record under the same regNo.

with

source as (

    select * from {{ source('clean_civil_affairs', 'marriages') }}

),

renamed as (

    select
        {{ dbt.cast('registration_number', dbt.type_string()) }} as registration_number,
        {{ dbt.cast('registration_type', dbt.type_string()) }} as registration_type,
        {{ dbt.cast('registration_type_code', dbt.type_string()) }} as registration_type_code,
        {{ dbt.cast('registration_date', 'date') }} as registration_date,
        {{ dbt.cast('male_person_key', dbt.type_string()) }} as male_person_key,
        {{ dbt.cast('female_person_key', dbt.type_string()) }} as female_person_key,
        {{ dbt.cast('office', dbt.type_string()) }} as office,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ dbt.cast('_batch_id', dbt.type_string()) }} as _batch_id,
        {{ dbt.cast('_extracted_at', dbt.type_timestamp()) }} as _extracted_at,
        {{ dbt.cast('_source', dbt.type_string()) }} as _source,
        {{ dbt.cast('_source_row', dbt.type_bigint()) }} as _source_row,
        {{ dbt.cast('_row_hash', dbt.type_string()) }} as _row_hash
    from source

),

versioned as (

    select
        renamed.*,
        row_number() over (
            partition by registration_number
            order by
                updated_at desc nulls last,
                _extracted_at desc nulls last,
                _batch_id desc nulls last,
                _source_row desc nulls last
        ) as version_number,
        min(_extracted_at) over (partition by registration_number) as _first_extracted_at
    from renamed

)

select
    registration_number,
    registration_type,
    registration_type_code,
    registration_date,
    male_person_key,
    female_person_key,
    office,
    updated_at,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number = 1
