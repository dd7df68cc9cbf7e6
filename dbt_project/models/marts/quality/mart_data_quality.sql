-- The quality ledger per delivered batch: what arrived, what was loaded,
-- repaired, quarantined or found duplicate, how many rows passed the blocking
-- checks, how many person mentions were linked to a person, and how fresh the
-- batch is. ops.batch_log is the ingest's own account; the clean tables and
-- the quarantine are counted again beside it so that a batch whose account
-- does not match what landed shows up (tests/assert_data_quality_reconciles.sql).
-- Counts are of delivered records, not of persons, and carry no attribute of
-- anyone: they are not suppressed.

with

batches as (

    select * from {{ source('ops', 'batch_log') }}

),

clean_rows as (

    select * from {{ ref('int_clean_rows_counted') }}

),

quarantined as (

    select
        source_system,
        source_entity,
        batch_id,
        count(*) as rows_quarantined_found,
        sum(case when released_at is not null then 1 else 0 end) as rows_released
    from {{ source('quarantine', 'quarantined_rows') }}
    group by
        source_system,
        source_entity,
        batch_id

),

mentions as (

    select * from {{ ref('int_person_mentions_linked') }}

),

ledger as (

    select
        batches.source_system,
        batches.source_entity,
        batches.batch_id,
        batches.status as batch_status,
        batches.delivered_at,
        batches.extracted_at,
        coalesce(batches.rows_delivered, 0) as rows_delivered,
        coalesce(batches.rows_loaded, 0) as rows_loaded,
        coalesce(clean_rows.rows_repaired, 0) as rows_repaired,
        coalesce(clean_rows.rows_flagged, 0) as rows_flagged,
        coalesce(batches.rows_quarantined, 0) as rows_quarantined,
        coalesce(batches.rows_duplicate, 0) as rows_duplicate,
        coalesce(batches.fields_dropped, 0) as fields_dropped,
        coalesce(clean_rows.rows_found, 0) as rows_loaded_found,
        coalesce(quarantined.rows_quarantined_found, 0) as rows_quarantined_found,
        coalesce(quarantined.rows_released, 0) as rows_released,
        coalesce(mentions.person_mentions, 0) as person_mentions,
        coalesce(mentions.person_mentions_linked, 0) as person_mentions_linked,
        coalesce(mentions.person_mentions_linked_by_rule, 0) as person_mentions_linked_by_rule
    from batches
    left join clean_rows
        on batches.source_system = clean_rows.source_system
        and batches.source_entity = clean_rows.source_entity
        and batches.batch_id = clean_rows.batch_id
    left join quarantined
        on batches.source_system = quarantined.source_system
        and batches.source_entity = quarantined.source_entity
        and batches.batch_id = quarantined.batch_id
    left join mentions
        on batches.source_system = mentions.source_system
        and batches.source_entity = mentions.source_entity
        and batches.batch_id = mentions.batch_id

),

built as (

    select {{ dbt.current_timestamp() }} as built_at

)

select
    {{ dbt.cast('ledger.source_system', dbt.type_string()) }} as source_system,
    {{ dbt.cast('ledger.source_entity', dbt.type_string()) }} as source_entity,
    {{ dbt.cast('ledger.batch_id', dbt.type_string()) }} as batch_id,
    {{ dbt.cast('ledger.batch_status', dbt.type_string()) }} as batch_status,
    {{ dbt.cast('ledger.delivered_at', dbt.type_timestamp()) }} as delivered_at,
    {{ dbt.cast('ledger.extracted_at', dbt.type_timestamp()) }} as extracted_at,
    {{ dbt.cast(dbt.date_trunc('month', 'coalesce(ledger.delivered_at, ledger.extracted_at)'), 'date') }} as delivery_month_start_date,
    {{ dbt.cast('ledger.rows_delivered', dbt.type_bigint()) }} as rows_delivered,
    {{ dbt.cast('ledger.rows_loaded', dbt.type_bigint()) }} as rows_loaded,
    {{ dbt.cast('ledger.rows_repaired', dbt.type_bigint()) }} as rows_repaired,
    {{ dbt.cast('ledger.rows_flagged', dbt.type_bigint()) }} as rows_flagged,
    {{ dbt.cast('ledger.rows_quarantined', dbt.type_bigint()) }} as rows_quarantined,
    {{ dbt.cast('ledger.rows_duplicate', dbt.type_bigint()) }} as rows_duplicate,
    {{ dbt.cast('ledger.fields_dropped', dbt.type_bigint()) }} as fields_dropped,
    {{ dbt.cast('ledger.rows_loaded_found', dbt.type_bigint()) }} as rows_loaded_found,
    {{ dbt.cast('ledger.rows_quarantined_found', dbt.type_bigint()) }} as rows_quarantined_found,
    {{ dbt.cast('ledger.rows_released', dbt.type_bigint()) }} as rows_released,
    -- Share of the distinct delivered rows (duplicates set aside) that passed
    -- every blocking expectation; null when the batch held none.
    {{ dbt.cast(
        'case when ledger.rows_delivered - ledger.rows_duplicate > 0 then '
        ~ '1.0 * (ledger.rows_delivered - ledger.rows_duplicate - ledger.rows_quarantined) '
        ~ '/ (ledger.rows_delivered - ledger.rows_duplicate) end',
        'double precision') }} as critical_pass_rate,
    -- Share of loaded rows that needed no repair and raised no warning.
    {{ dbt.cast(
        'case when ledger.rows_loaded_found > 0 then '
        ~ '1.0 * (ledger.rows_loaded_found - ledger.rows_flagged) / ledger.rows_loaded_found end',
        'double precision') }} as warning_pass_rate,
    {{ dbt.cast('ledger.person_mentions', dbt.type_bigint()) }} as person_mentions,
    {{ dbt.cast('ledger.person_mentions_linked', dbt.type_bigint()) }} as person_mentions_linked,
    {{ dbt.cast('ledger.person_mentions_linked_by_rule', dbt.type_bigint()) }} as person_mentions_linked_by_rule,
    {{ dbt.cast(
        'case when ledger.person_mentions > 0 then 1.0 * ledger.person_mentions_linked / ledger.person_mentions end',
        'double precision') }} as person_linkage_rate,
    -- Freshness: hours from delivery to extraction, and days from delivery to
    -- this build of the mart.
    {{ dbt.cast(dbt.datediff('ledger.delivered_at', 'ledger.extracted_at', 'hour'), dbt.type_bigint()) }} as hours_delivery_to_extraction,
    {{ dbt.cast(dbt.datediff('coalesce(ledger.delivered_at, ledger.extracted_at)', 'built.built_at', 'day'), dbt.type_bigint()) }} as days_since_delivery,
    {{ dbt.cast('built.built_at', dbt.type_timestamp()) }} as built_at
from ledger
cross join built
