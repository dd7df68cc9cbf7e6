-- Rental registrations (租赁备案), latest version of each registration number.
-- The record key of a housing file is its data row, so a registration corrected
-- in a later daily increment arrives as a new row under the same 备案编号. The
-- files carry no update time: the later extraction, then the later file (the
-- batch id is the file name, 租赁备案_增量_YYYYMMDD.csv, so it sorts by date), wins.
-- Tenants are not columns here: they are mentions in identity.person_mentions.

with

source as (

    select * from {{ source('clean_housing', 'rental_registrations') }}

),

renamed as (

    select
        {{ dbt.cast('registration_number', dbt.type_string()) }} as registration_number,
        {{ dbt.cast('unit_code', dbt.type_string()) }} as unit_code,
        {{ dbt.cast('address_district', dbt.type_string()) }} as address_district,
        {{ dbt.cast('address_street', dbt.type_string()) }} as address_street,
        {{ dbt.cast('address_community', dbt.type_string()) }} as address_community,
        {{ dbt.cast('landlord_type', dbt.type_string()) }} as landlord_type,
        {{ dbt.cast('landlord_person_key', dbt.type_string()) }} as landlord_person_key,
        {{ dbt.cast('tenant_count', dbt.type_bigint()) }} as tenant_count,
        {{ dbt.cast('start_date', 'date') }} as start_date,
        {{ dbt.cast('end_date', 'date') }} as end_date,
        {{ dbt.cast('monthly_rent', dbt.type_numeric()) }} as monthly_rent,
        {{ dbt.cast('rental_use', dbt.type_string()) }} as rental_use,
        {{ dbt.cast('registered_date', 'date') }} as registered_date,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('registration_number', updated_at=false) }}
    from renamed

)

select
    registration_number,
    unit_code,
    address_district,
    address_street,
    address_community,
    landlord_type,
    landlord_person_key,
    tenant_count,
    start_date,
    end_date,
    monthly_rent,
    rental_use,
    registered_date,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number <= 1
