-- Registered social organizations (/api/v1/organizations), latest version of each
-- credit code (normalized: half-width, upper case).

with

source as (

    select * from {{ source('clean_civil_affairs', 'organizations') }}

),

renamed as (

    select
        {{ dbt.cast('credit_code', dbt.type_string()) }} as credit_code,
        {{ dbt.cast('has_valid_credit_code', dbt.type_boolean()) }} as has_valid_credit_code,
        {{ dbt.cast('org_name', dbt.type_string()) }} as org_name,
        {{ dbt.cast('org_type', dbt.type_string()) }} as org_type,
        {{ dbt.cast('org_type_code', dbt.type_string()) }} as org_type_code,
        {{ dbt.cast('legal_representative_person_key', dbt.type_string()) }} as legal_representative_person_key,
        {{ dbt.cast('address_district', dbt.type_string()) }} as address_district,
        {{ dbt.cast('address_street', dbt.type_string()) }} as address_street,
        {{ dbt.cast('address_community', dbt.type_string()) }} as address_community,
        {{ dbt.cast('founded_date', 'date') }} as founded_date,
        {{ dbt.cast('status_code', dbt.type_string()) }} as status_code,
        {{ dbt.cast('updated_at', dbt.type_timestamp()) }} as updated_at,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('credit_code') }}
    from renamed

)

select
    credit_code,
    has_valid_credit_code,
    org_name,
    org_type,
    org_type_code,
    legal_representative_person_key,
    address_district,
    address_street,
    address_community,
    founded_date,
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
