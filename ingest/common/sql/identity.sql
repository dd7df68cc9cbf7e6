-- The one restricted schema holding clear identities (level L3). Only the
-- pipeline writes it and only identity_steward reads it.
create schema if not exists identity;

create table if not exists identity.person_mentions (
    source_system  varchar not null,
    source_entity  varchar not null,
    batch_id       varchar not null,
    record_key     varchar not null,
    role           varchar not null,
    position       bigint not null,
    id_number      varchar,
    name           varchar,
    person_key     varchar not null,
    evidence       varchar not null,
    _extracted_at  timestamp not null
);
