-- The one restricted schema holding clear identities (level L3). Only the
-- pipeline writes it and only identity_steward reads it.
create schema if not exists identity;

-- person_mentions: every person a loaded record names, one row per role and
-- position. person_key is null (evidence 'unresolved') when the mention has no
-- valid identity number: entity resolution decides who that person is.
-- Warehouses created before phone and the nullable person_key are upgraded
-- by ingest/common/warehouse.py when they are opened.
create table if not exists identity.person_mentions (
    source_system  varchar not null,
    source_entity  varchar not null,
    batch_id       varchar not null,
    record_key     varchar not null,
    role           varchar not null,
    position       bigint not null,
    id_number      varchar,
    name           varchar,
    phone          varchar,
    person_key     varchar,
    evidence       varchar not null,
    _extracted_at  timestamp not null
);
