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
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('registration_number') }}
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
where version_number <= 1
