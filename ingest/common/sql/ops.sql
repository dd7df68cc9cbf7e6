-- Tables the ingest layer keeps beside the raw data: one row per delivered
-- batch (the reconciliation ledger) and the extraction watermarks.
create schema if not exists ops;

create table if not exists ops.batch_log (
    source_system       varchar not null,
    source_entity       varchar not null,
    batch_id            varchar not null,
    source              varchar not null,
    delivered_at        timestamp,
    extracted_at        timestamp not null,
    rows_delivered      bigint not null,
    rows_loaded         bigint not null,
    rows_quarantined    bigint not null,
    rows_duplicate      bigint not null,
    fields_dropped      bigint not null,
    dropped_field_names varchar,
    status              varchar not null,  -- loaded | refused
    message             varchar
);

create table if not exists ops.watermarks (
    source_system varchar not null,
    source_entity varchar not null,
    watermark     varchar not null,
    updated_at    timestamp not null
);
