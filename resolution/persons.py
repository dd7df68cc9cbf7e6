"""Resolve every person mention to a person key and write it back to ``identity.person_mentions``.

1. Deterministic: a mention with a valid canonical identity number already
   carries ``person_key`` = HMAC of the number and evidence ``rule:id_number``
   (ingest; 15-digit numbers are upgraded there). Those are left as they are.
2. Probabilistic: every other mention (no number, or one failing its check
   character) is compared with the keyed persons and with the other unkeyed
   mentions (``persons_linkage``) on name (pinyin-aware, term-frequency
   adjusted), the birth date and sex a mistyped number still holds, phone and
   the address the record gives. A match writes the person's key and
   ``match:p=0.9987``.
3. The rest get a stable surrogate (``keys``), evidence ``match:p=...`` when
   joined to other unkeyed mentions or ``new:unmatched`` when alone.

The run is idempotent: it rewrites the key and evidence of every
non-deterministic mention from scratch each time, and the surrogates table
makes the rewritten keys the same as before unless the evidence changed.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from ingest.common.addresses import address_match_key
from ingest.common.warehouse import WarehouseConnection
from resolution.keys import MENTION_COLUMNS, assign_keys
from resolution.persons_features import mention_features, name_table, one_edit_numbers
from resolution.persons_linkage import RARE_NAME_PERSONS, link_mentions, name_frequency

__all__ = ["ADDRESS_SOURCES", "PersonResolution", "ensure_person_tables", "read_mentions", "resolve_persons"]

log = logging.getLogger(__name__)

SQL_FILE = Path(__file__).parent / "sql" / "persons.sql"
RULE_EVIDENCE = "rule:id_number"
NEW_EVIDENCE = "new:unmatched"

@dataclass(frozen=True)
class AddressSource:
    """Where a record places the persons it mentions in some roles.

    Attributes:
        unit_role: The role of the record's ``identity.unit_mentions`` row
            whose parsed components (estate, building, entrance, room) make
            the address key.
        roles: The person mention roles that live there (a landlord does not
            live in the rented unit); ``None`` for every role.
    """

    unit_role: str
    roles: tuple[str, ...] | None = None


#: The address each record gives its persons, by source entity: a unit
#: mention ingest wrote (``ingest.common.mentions``), keyed here as
#: ``estate|building|entrance|room`` (``ingest.common.addresses``) in memory
#: only; the clean tables hold no address. It is where a tenant, floating
#: resident, resettled person, household member or subsistence household
#: lives, and for a mediation the place of the dispute, most often a party's home.
ADDRESS_SOURCES: dict[tuple[str, str], AddressSource] = {
    # The rented unit is where the tenants live. (Giving the landlord the unit
    # too, to meet the owner's mention of it, was measured and lost recall: an
    # owner seldom lives in the unit, so its other mentions disagree.)
    ("housing", "rental_registrations"): AddressSource("rented_unit", roles=("tenant",)),
    ("police", "floating_residents"): AddressSource("lives_at"),
    ("police", "household_residents"): AddressSource("registered_at"),
    ("civil_affairs", "subsistence_cases"): AddressSource("lives_at"),
    ("justice", "resettlement_cases"): AddressSource("lives_at"),
    ("justice", "mediation_cases"): AddressSource("occurred_at"),
}


@dataclass(frozen=True)
class PersonResolution:
    """What one run did (the asset's metadata).

    Attributes:
        mentions: Person mentions in the table.
        deterministic: Mentions keyed by a valid identity number.
        linked_to_keyed: Unkeyed mentions linked to a keyed person.
        linked_to_unkeyed: Unkeyed mentions joined to other unkeyed mentions only.
        unmatched: Unkeyed mentions that matched no one.
        new_surrogates: Surrogate keys handed out for the first time.
        merges: Merge rows written to the key history.
        splits: Split rows written to the key history.
        seconds: Wall time.
    """

    mentions: int
    deterministic: int
    linked_to_keyed: int
    linked_to_unkeyed: int
    unmatched: int
    new_surrogates: int
    merges: int
    splits: int
    seconds: float


def ensure_person_tables(connection: WarehouseConnection) -> None:
    """Create ``identity.person_surrogates`` and ``identity.person_key_history`` if missing."""
    text = SQL_FILE.read_text(encoding="utf-8")
    text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    for statement in text.split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.commit()


_ADDRESS_KEY_SCHEMA = {
    "source_system": pl.Utf8, "source_entity": pl.Utf8, "batch_id": pl.Utf8, "record_key": pl.Utf8,
    "address_key": pl.Utf8, "address_roles": pl.List(pl.Utf8),
}


def _placeholders(name: str, values: list[str]) -> str:
    return ", ".join(f":{name}_{i}" for i in range(len(values)))


def _address_keys(connection: WarehouseConnection, records: pl.DataFrame | None = None) -> pl.DataFrame:
    """Return the address key of the records that give one, with the person roles it applies to.

    Args:
        connection: An open warehouse connection.
        records: Only these records (source_system, source_entity, batch_id,
            record_key); every record when omitted.
    """
    if not connection.table_exists("identity", "unit_mentions"):
        return pl.DataFrame(schema=_ADDRESS_KEY_SCHEMA)
    sources = pl.DataFrame(
        [
            (system, entity, source.unit_role, list(source.roles) if source.roles else None)
            for (system, entity), source in ADDRESS_SOURCES.items()
        ],
        schema={"source_system": pl.Utf8, "source_entity": pl.Utf8, "role": pl.Utf8,
                "address_roles": pl.List(pl.Utf8)},
        orient="row",
    )
    # Filtered in the query: the register's own ``unit`` mentions and the
    # incidents' places are most of the table and never a person's address.
    entities, roles = sorted(sources["source_entity"].unique()), sorted(sources["role"].unique())
    frame = connection.query(
        "select source_system, source_entity, role, batch_id, record_key, estate, building, entrance, room "
        f"from identity.unit_mentions where source_entity in ({_placeholders('entity', entities)}) "
        f"and role in ({_placeholders('role', roles)})",
        {f"entity_{i}": value for i, value in enumerate(entities)} | {f"role_{i}": value for i, value in enumerate(roles)},
    ).with_columns(pl.col(c).cast(pl.Utf8) for c in ("source_system", "source_entity", "role", "batch_id", "record_key"))
    frame = frame.join(sources, on=["source_system", "source_entity", "role"], how="inner")
    if records is not None:
        frame = frame.join(
            records.select("source_system", "source_entity", "batch_id", "record_key").unique(),
            on=["source_system", "source_entity", "batch_id", "record_key"], how="semi",
        )
    components = pl.struct(*(pl.col(c).cast(pl.Utf8) for c in ("estate", "building", "entrance", "room")))
    return (
        frame.select(
            "source_system", "source_entity", "batch_id", "record_key",
            address_match_key(components).alias("address_key"), "address_roles",
        )
        .filter(pl.col("address_key").is_not_null())
        .unique(subset=["source_system", "source_entity", "batch_id", "record_key"], keep="first")
        .cast(_ADDRESS_KEY_SCHEMA)
    )


def read_mentions(
    connection: WarehouseConnection, person_key: str | None = None, addresses: bool = True
) -> pl.DataFrame:
    """Read every person mention, in a stable order, with the address its record gives.

    Args:
        connection: An open warehouse connection.
        person_key: Read only the mentions holding this key.
        addresses: Add ``address_key`` (see :func:`with_addresses`).

    Returns:
        ``identity.person_mentions`` rows plus ``_row`` (0..n-1) and ``address_key``.
    """
    mentions = connection.query(
        "select source_system, source_entity, batch_id, record_key, role, position, id_number, name, phone, "
        "person_key, evidence from identity.person_mentions "
        + ("where person_key = :key " if person_key is not None else "")
        + "order by source_system, source_entity, batch_id, record_key, role, position",
        {"key": person_key} if person_key is not None else None,
    )
    # Rows resolved by an earlier run carry a match or surrogate key: only the
    # ingest rule's keys are facts, the rest are decided again.
    mentions = mentions.with_columns(
        person_key=pl.when(pl.col("evidence") == RULE_EVIDENCE).then(pl.col("person_key")),
        position=pl.col("position").cast(pl.Int64),
    ).with_row_index("_row")
    return with_addresses(connection, mentions) if addresses else mentions


def with_addresses(connection: WarehouseConnection, mentions: pl.DataFrame) -> pl.DataFrame:
    """Add ``address_key``: the address each mention's record gives the person (see ADDRESS_SOURCES)."""
    records = ["source_system", "source_entity", "batch_id", "record_key"]
    addresses = _address_keys(connection, mentions.select(records))
    return (
        mentions.join(addresses, on=records, how="left", maintain_order="left")
        .with_columns(
            address_key=pl.when(pl.col("address_roles").is_null() | pl.col("role").is_in(pl.col("address_roles")))
            .then(pl.col("address_key"))
        )
        .drop("address_roles")
    )


def _evidence() -> pl.Expr:
    probability = pl.col("match_probability").clip(upper_bound=0.9999)
    return (
        pl.when(pl.col("match_probability").is_not_null())
        .then(pl.concat_str(pl.lit("match:p="), probability.round(4).cast(pl.Utf8).str.pad_end(6, "0")))
        .otherwise(pl.lit(NEW_EVIDENCE))
        .alias("evidence")
    )


@functools.cache
def _sql(name: str) -> str:
    """Return the statement in ``sql/<name>.sql`` without its comment lines."""
    text = (SQL_FILE.parent / f"{name}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))


@contextmanager
def _scratch(connection: WarehouseConnection, table: str, frame: pl.DataFrame) -> Iterator[None]:
    """Hold ``frame`` in ``identity.<table>`` for the statements of a ``with`` block.

    Dropped after the block, not on an error: PostgreSQL's rollback removes
    it then (a drop in an aborted transaction would hide the error), and the
    next run drops what DuckDB kept before filling it again.
    """
    connection.execute(f"drop table if exists identity.{table}")
    connection.append("identity", table, frame)
    yield
    connection.execute(f"drop table identity.{table}")


def _write_back(connection: WarehouseConnection, resolved: pl.DataFrame) -> None:
    """Set person_key and evidence of the given mentions in one statement, through a scratch table."""
    scratch = resolved.select(*MENTION_COLUMNS, "person_key", "evidence")
    with _scratch(connection, "person_resolution_scratch", scratch):
        connection.execute(_sql("person_write_back"))


def _unkeyed_mentions(connection: WarehouseConnection) -> pl.DataFrame:
    """Read the mentions the ingest rule did not key, in a stable order (``_row`` 0..n-1)."""
    return connection.query(_sql("person_unkeyed_mentions"), {"rule": RULE_EVIDENCE}).with_columns(
        pl.col("position").cast(pl.Int64), pl.col("name").cast(pl.Utf8), person_key=pl.lit(None, dtype=pl.Utf8),
    ).with_row_index("_row")


def _keys_in_use(connection: WarehouseConnection) -> Callable[[list[str]], set[str]]:
    """Return a lookup: which of some keys are person keys the ingest rule gave (one query per call)."""
    def lookup(keys: list[str]) -> set[str]:
        if not keys:
            return set()
        candidates = pl.DataFrame({"person_key": keys}, schema={"person_key": pl.Utf8})
        with _scratch(connection, "person_resolution_keys", candidates):
            found = connection.query(_sql("person_keys_in_use"), {"rule": RULE_EVIDENCE})
        return set(found["person_key"].to_list())
    return lookup


def _keyed_candidates(connection: WarehouseConnection, unkeyed: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Read the keyed mentions that may meet an unkeyed one: on its name key, or on a number one edit away.

    The warehouse does the selection: the spellings that give the unkeyed
    mentions' name keys and the valid numbers one edit from theirs go in as
    scratch tables, and only the keyed mentions that join them come out (at
    1,000,000 persons, 0.93 million of 2.4 million mentions).

    Returns:
        The keyed mentions with ``name_key`` (null unless it is an unkeyed
        mention's) and ``_near`` (whether the number is one edit from an
        unkeyed one's).
    """
    keys = unkeyed["name_key"].drop_nulls().unique()
    spellings = names.filter(pl.col("name_key").is_in(keys.implode())).select("name", "name_key")
    neighbours = one_edit_numbers(unkeyed["id_number"].drop_nulls()).to_frame()
    with (
        _scratch(connection, "person_resolution_names", spellings),
        _scratch(connection, "person_resolution_numbers", neighbours),
    ):
        keyed = connection.query(_sql("person_keyed_candidates"), {"rule": RULE_EVIDENCE})
    return keyed.with_columns(
        pl.col("position").cast(pl.Int64), pl.col("name").cast(pl.Utf8), pl.col("_near").fill_null(False)
    )


def _candidate_mentions(
    connection: WarehouseConnection, unkeyed: pl.DataFrame, names: pl.DataFrame, persons: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return the unkeyed mentions and the keyed ones sharing a blocking key with one, with addresses.

    Every blocking rule of ``persons_linkage`` holds an identity-number cut
    or the name key with the phone, the birth date, the estate, or a rare
    name; keyed mentions sharing none of these with any unkeyed mention can
    never be compared, so they are left out before the costly features (in
    a city of a million persons, 98% of them).

    Args:
        connection: An open warehouse connection.
        unkeyed: :func:`_unkeyed_mentions` with ``name_key``.
        names: :func:`resolution.persons_features.name_table` of every delivered name.
        persons: Keyed persons plus unkeyed mentions.

    Returns:
        ``(candidates, frequency)``: the mentions (unkeyed first, as given,
        then the keyed ones in mention order, ``_row`` numbering all) with
        ``address_key``, and the :func:`name_frequency` of the unkeyed name keys.
    """
    keyed = _keyed_candidates(connection, unkeyed, names)
    # Every keyed person holding an unkeyed mention's name key is in
    # ``keyed``: the name frequencies of those keys are exact.
    frequency = name_frequency(
        pl.concat([keyed.select("person_key", "name_key"), unkeyed.select("person_key", "name_key")]), persons
    )
    rare = frequency.filter(pl.col("name_persons") <= RARE_NAME_PERSONS)["name_key"]
    # Addresses only for the mentions that could meet on (name, estate) or on a number.
    located = with_addresses(
        connection, pl.concat([unkeyed.drop("_row").with_columns(_near=False), keyed], how="diagonal_relaxed")
    )
    blocks = located.with_columns(
        phone_norm=pl.col("phone").str.replace_all(r"\D", "").replace("", None),
        birth=pl.col("id_number").str.slice(6, 8),
        estate=pl.col("address_key").str.split("|").list.first().replace("", None),
    )
    rows = blocks.filter(pl.col("person_key").is_null())
    shared = pl.col("_near") | pl.col("name_key").is_in(rare.implode())
    for columns in (("name_key", "phone_norm"), ("name_key", "birth"), ("name_key", "estate")):
        pairs = rows.select(pl.concat_str(list(columns), separator="\x1f").alias("k"))["k"].drop_nulls().unique()
        shared = shared | pl.concat_str(list(columns), separator="\x1f").is_in(pairs.implode())
    keyed = blocks.filter(pl.col("person_key").is_not_null() & shared).sort(list(MENTION_COLUMNS))
    candidates = pl.concat([rows, keyed]).drop("phone_norm", "birth", "estate", "_near", "name_key")
    return candidates.with_row_index("_row"), frequency


def resolve_persons(
    connection: WarehouseConnection,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> PersonResolution:
    """Resolve every person mention and write keys and evidence back (idempotent).

    Args:
        connection: An open warehouse connection (DuckDB or PostgreSQL).
        now: The run's time (history and surrogate timestamps); now when omitted.
        progress: Called with a line at each step (the asset's log).

    Returns:
        What the run did.
    """
    started = time.perf_counter()
    say = progress or log.info
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    ensure_person_tables(connection)
    if not connection.table_exists("identity", "person_mentions"):
        say("no identity.person_mentions yet: nothing to resolve")
        return PersonResolution(0, 0, 0, 0, 0, 0, 0, 0, time.perf_counter() - started)
    counts = connection.query(_sql("person_counts"), {"rule": RULE_EVIDENCE}).row(0, named=True)
    unkeyed = _unkeyed_mentions(connection)
    deterministic = counts["keyed"]
    say(f"read {unkeyed.height:,} unkeyed of {counts['mentions']:,} person mentions; "
        f"{deterministic:,} keyed by a valid identity number")

    names = name_table(connection.query(_sql("person_names"))["name"])
    unkeyed = unkeyed.join(names.select("name", "name_key"), on="name", how="left", maintain_order="left")
    persons = counts["persons"] + unkeyed.height
    candidates, frequency = _candidate_mentions(connection, unkeyed, names, persons)
    say(f"{candidates.height - unkeyed.height:,} keyed mentions share a blocking key with an unkeyed one")
    features = mention_features(candidates, names)
    linkage = link_mentions(features, frequency, persons)
    assignments = linkage.assignments
    say(f"compared {linkage.pairs.height:,} candidate pairs for {assignments.height:,} unkeyed mentions")

    # Unkeyed mentions keep their ``_row`` in the candidates (they come first, in order).
    unkeyed = unkeyed.join(assignments, on="_row", how="inner", suffix="_linked").select(
        *MENTION_COLUMNS, pl.col("person_key_linked").alias("person_key"), "cluster",
        "match_probability",
    )
    previous = connection.read_table("identity", "person_surrogates").select(
        *(pl.col(c).cast(pl.Int64 if c == "position" else pl.Utf8) for c in MENTION_COLUMNS),
        pl.col("person_key").cast(pl.Utf8), pl.col("assigned_at").cast(pl.Datetime("us")),
    )
    assigned, history = assign_keys(unkeyed.drop("match_probability"), previous, _keys_in_use(connection), now)
    resolved = unkeyed.select(*MENTION_COLUMNS, "match_probability").join(
        assigned, on=list(MENTION_COLUMNS), how="left", maintain_order="left"
    ).with_columns(_evidence())

    _write_back(connection, resolved)
    # The surrogates table is rewritten whole: it says who each unkeyed mention is now.
    surrogates = assigned.join(unkeyed.select(*MENTION_COLUMNS, "cluster"), on=list(MENTION_COLUMNS)).filter(
        pl.col("cluster").is_not_null()
    ).select(*MENTION_COLUMNS, "person_key", "assigned_at")
    connection.execute("delete from identity.person_surrogates")
    connection.append("identity", "person_surrogates", surrogates)
    if not history.is_empty():
        connection.append("identity", "person_key_history", history)
    connection.commit()

    linked_keyed = unkeyed.filter(pl.col("person_key").is_not_null()).height
    linked_unkeyed = unkeyed.filter(pl.col("person_key").is_null() & pl.col("match_probability").is_not_null()).height
    summary = PersonResolution(
        mentions=counts["mentions"],
        deterministic=deterministic,
        linked_to_keyed=linked_keyed,
        linked_to_unkeyed=linked_unkeyed,
        unmatched=unkeyed.height - linked_keyed - linked_unkeyed,
        new_surrogates=assigned.filter(pl.col("is_new_surrogate"))["person_key"].n_unique(),
        merges=history.filter(pl.col("change") == "merge").height,
        splits=history.filter(pl.col("change") == "split").height,
        seconds=time.perf_counter() - started,
    )
    say(
        f"linked {linked_keyed:,} to keyed persons, {linked_unkeyed:,} to other unkeyed mentions, "
        f"{summary.unmatched:,} unmatched; {summary.new_surrogates:,} new surrogates, {summary.merges:,} merges, "
        f"{summary.splits:,} splits in {summary.seconds:.1f}s"
    )
    return summary
