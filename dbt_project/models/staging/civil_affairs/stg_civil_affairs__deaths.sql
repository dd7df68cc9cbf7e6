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
            partition by record_number
            order by
                updated_at desc nulls last,
                _extracted_at desc nulls last,
                _batch_id desc nulls last,
                _source_row desc nulls last
        ) as version_number,
        min(_extracted_at) over (partition by record_number) as _first_extracted_at
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
where version_number = 1
