-- Stable person keys for mentions without a valid identity number
-- (resolution/keys.py). Restricted like the rest of the identity schema.
create schema if not exists identity;

-- person_surrogates: the surrogate person_key each such mention holds, so a
-- rerun or a new delivery keeps it.
create table if not exists identity.person_surrogates (
    source_system  varchar not null,
    source_entity  varchar not null,
    batch_id       varchar not null,
    record_key     varchar not null,
    role           varchar not null,
    position       bigint not null,
    person_key     varchar not null,
    assigned_at    timestamp not null
);

-- person_key_history: every time a surrogate stopped naming the mentions it
-- named: merged into another key (new evidence joined two persons, or a
-- surrogate person turned out to hold a valid number) or split (some of its
-- mentions turned out to be someone else).
create table if not exists identity.person_key_history (
    changed_at     timestamp not null,
    change         varchar not null,
    from_key       varchar not null,
    to_key         varchar not null,
    mentions       bigint not null,
    reason         varchar not null
);
