-- Rows that failed a blocking (critical) check. Nothing here is ever deleted:
-- a repaired row is released by setting released_at.
create schema if not exists quarantine;

create table if not exists quarantine.quarantined_rows (
    source_system   varchar not null,
    source_entity   varchar not null,
    batch_id        varchar not null,
    source          varchar not null,
    source_row      bigint not null,
    rule            varchar not null,
    reason          varchar not null,
    original_values varchar not null,  -- JSON object of the raw row, as delivered
    quarantined_at  timestamp not null,
    released_at     timestamp
);
