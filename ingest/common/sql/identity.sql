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

-- unit_mentions: every house unit a loaded record names (the register's own
-- row, a rental, a resident's registered or current address, an incident's
-- place), one row per role and position. Ingest keys unit codes (evidence
-- 'rule:unit_code'); unit resolution (resolution/units.py) links addresses
-- to the register ('rule:address_components' or 'unresolved') and places
-- every mention it can on a grid. address and the components are L3 when
-- they are where a person lives: they never leave this schema.
create table if not exists identity.unit_mentions (
    source_system  varchar not null,
    source_entity  varchar not null,
    batch_id       varchar not null,
    record_key     varchar not null,
    role           varchar not null,
    position       bigint not null,
    unit_code      varchar,
    address        varchar,
    division_code  varchar,
    district       varchar,
    street         varchar,
    community      varchar,
    estate         varchar,
    building       varchar,
    entrance       varchar,
    floor          varchar,
    room           varchar,
    grid_code      varchar,
    unit_key       varchar,
    evidence       varchar not null,
    _extracted_at  timestamp not null
);

-- org_mentions: every organization a loaded record names (the registry's own
-- row, a house owner, a floating resident's employer or school). Ingest keys
-- valid credit codes (evidence 'rule:credit_code'); organization resolution
-- (resolution/organizations.py) links the others by name and address.
create table if not exists identity.org_mentions (
    source_system  varchar not null,
    source_entity  varchar not null,
    batch_id       varchar not null,
    record_key     varchar not null,
    role           varchar not null,
    position       bigint not null,
    credit_code    varchar,
    name           varchar,
    address        varchar,
    org_key        varchar,
    evidence       varchar not null,
    _extracted_at  timestamp not null
);
