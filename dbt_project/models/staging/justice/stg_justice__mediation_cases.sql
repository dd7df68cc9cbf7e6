-- People's-mediation cases (sheet 人民调解), one row per case number.
-- A case stays on the monthly roster until it is closed, so it arrives once per
-- month with its current result; the roster has no update time, so the latest
-- extraction (then the later workbook) wins. Parties are not columns here: they
-- are mentions in identity.person_mentions.

with

source as (

    select * from {{ source('clean_justice', 'mediation_cases') }}

),

renamed as (

    select
        {{ dbt.cast('case_number', dbt.type_string()) }} as case_number,
        {{ dbt.cast('accepted_date', 'date') }} as accepted_date,
        {{ dbt.cast('closed_date', 'date') }} as closed_date,
        {{ dbt.cast('days_to_close', dbt.type_bigint()) }} as days_to_close,
        {{ dbt.cast('dispute_type', dbt.type_string()) }} as dispute_type,
        {{ dbt.cast('dispute_type_code', dbt.type_string()) }} as dispute_type_code,
        {{ dbt.cast('location_district', dbt.type_string()) }} as location_district,
        {{ dbt.cast('location_street', dbt.type_string()) }} as location_street,
        {{ dbt.cast('location_community', dbt.type_string()) }} as location_community,
        {{ dbt.cast('mediation_organization', dbt.type_string()) }} as mediation_organization,
        {{ dbt.cast('result_code', dbt.type_string()) }} as result_code,
        {{ dbt.cast('agreement_amount', dbt.type_numeric()) }} as agreement_amount,
        {{ dbt.cast('party_count', dbt.type_bigint()) }} as party_count,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('case_number', updated_at=false) }}
    from renamed

)

select
    case_number,
    accepted_date,
    closed_date,
    days_to_close,
    dispute_type,
    dispute_type_code,
    location_district,
    location_street,
    location_community,
    mediation_organization,
    result_code,
    agreement_amount,
    party_count,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number <= 1
