-- Death registrations (/api/v1/deaths), latest version of each civil-affairs record.
-- A later API page can carry a corrected record under the same recordNo.

with

source as (

    select * from {{ source('clean_civil_affairs', 'deaths') }}

),

renamed as (

    select
        {{ dbt.cast('record_number', dbt.type_string()) }} as record_number,
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('death_date', 'date') }} as death_date,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('record_number') }}
    from renamed

)

select
    record_number,
    person_key,
    death_date,
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
