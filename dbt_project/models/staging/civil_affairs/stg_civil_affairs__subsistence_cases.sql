-- Subsistence-allowance households (/api/v1/subsistence), latest version of each case.
-- A case is updated when the allowance changes or stops; the latest updatedAt wins.
-- Members are not columns here: they are mentions in identity.person_mentions.

with

source as (

    select * from {{ source('clean_civil_affairs', 'subsistence_cases') }}

),

renamed as (

    select
        {{ dbt.cast('case_number', dbt.type_string()) }} as case_number,
        {{ dbt.cast('head_person_key', dbt.type_string()) }} as head_person_key,
        {{ dbt.cast('member_count', dbt.type_bigint()) }} as member_count,
        {{ dbt.cast('address_district', dbt.type_string()) }} as address_district,
        {{ dbt.cast('address_street', dbt.type_string()) }} as address_street,
        {{ dbt.cast('address_community', dbt.type_string()) }} as address_community,
        {{ dbt.cast('monthly_amount', dbt.type_numeric()) }} as monthly_amount,
        {{ dbt.cast('start_date', 'date') }} as start_date,
        {{ dbt.cast('end_date', 'date') }} as end_date,
        {{ dbt.cast('status_code', dbt.type_string()) }} as status_code,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('case_number') }}
    from renamed

)

select
    case_number,
    head_person_key,
    member_count,
    address_district,
    address_street,
    address_community,
    monthly_amount,
    start_date,
    end_date,
    status_code,
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
