-- Community-corrections roster (sheet 社区矫正), one row per correction episode.
-- The roster is re-sent every month and 序号 (serial_number) is only the row
-- number within that month's sheet, so it cannot identify a record across
-- batches; an episode is the person plus the start date of the correction, and
-- the latest roster carries its current status. The roster has no update time,
-- so the latest extraction wins.

with

source as (

    select * from {{ source('clean_justice', 'community_corrections') }}

),

renamed as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(" ~ dbt.cast('person_key', dbt.type_string()) ~ ", '')",
            "'|'",
            "coalesce(" ~ dbt.cast(dbt.cast('start_date', 'date'), dbt.type_string()) ~ ", '')",
        ])) }} as correction_key,
        {{ dbt.cast('serial_number', dbt.type_string()) }} as serial_number,
        {{ dbt.cast('person_key', dbt.type_string()) }} as person_key,
        {{ dbt.cast('correction_type', dbt.type_string()) }} as correction_type,
        -- The department writes the category in Chinese; keep it and add the
        -- English name the marts and dashboards use.
        case correction_type
            when '管制' then 'public_surveillance'
            when '缓刑' then 'probation'
            when '假释' then 'parole'
            when '暂予监外执行' then 'temporary_service_outside_prison'
            else correction_type
        end as correction_category,
        {{ dbt.cast('start_date', 'date') }} as start_date,
        {{ dbt.cast('end_date', 'date') }} as end_date,
        {{ dbt.cast('justice_office', dbt.type_string()) }} as justice_office,
        {{ dbt.cast('status_code', dbt.type_string()) }} as status_code,
        {{ dbt.cast('quality_flags', dbt.type_string()) }} as quality_flags,
        {{ lineage_columns() }}
    from source

),

versioned as (

    select
        renamed.*,
        {{ version_columns('correction_key', updated_at=false) }}
    from renamed

)

select
    correction_key,
    serial_number,
    person_key,
    correction_type,
    correction_category,
    start_date,
    end_date,
    justice_office,
    status_code,
    quality_flags,
    _batch_id,
    _extracted_at,
    _first_extracted_at,
    _source,
    _source_row,
    _row_hash
from versioned
where version_number <= 1
