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

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from ingest.common.addresses import address_match_key
from ingest.common.warehouse import WarehouseConnection
from resolution.keys import MENTION_COLUMNS, assign_keys
from resolution.persons_features import mention_features, name_table, neighbour_keys
from resolution.persons_linkage import RARE_NAME_PERSONS, link_mentions

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


def _write_back(connection: WarehouseConnection, resolved: pl.DataFrame) -> None:
    """Set person_key and evidence of the given mentions, through a scratch table."""
    keys = list(MENTION_COLUMNS)
    connection.execute("drop table if exists identity.person_resolution_scratch")
    connection.append("identity", "person_resolution_scratch", resolved.select(*keys, "person_key", "evidence"))
    match = " and ".join(f"m.{c} = s.{c}" for c in keys)
    connection.execute(
        "update identity.person_mentions as m set person_key = s.person_key, evidence = s.evidence "
        f"from identity.person_resolution_scratch as s where {match}"
    )
    connection.execute("drop table identity.person_resolution_scratch")


def _candidate_mentions(
    connection: WarehouseConnection, mentions: pl.DataFrame, names: pl.DataFrame, population: pl.DataFrame
) -> pl.DataFrame:
    """Return the unkeyed mentions and the keyed ones that share a blocking key with one, with addresses.

    Every blocking rule of ``persons_linkage`` holds an identity-number cut
    or the name key with the phone, the birth date, the estate, or a rare
    name; keyed mentions sharing none of these with any unkeyed mention can
    never be compared, so they are left out before the costly features (in
    a city of a million persons, 98% of them).
    """
    frame = mentions.join(names.select("name", "name_key"), on="name", how="left", maintain_order="left")
    unkeyed = frame.filter(pl.col("person_key").is_null())
    keyed = frame.filter(pl.col("person_key").is_not_null())
    unkeyed_names = unkeyed["name_key"].drop_nulls().unique()
    named = keyed.filter(pl.col("name_key").is_in(unkeyed_names.implode()))
    # Addresses only for the mentions that could meet on (name, estate).
    located = with_addresses(connection, pl.concat([unkeyed, named]))
    blocks = located.with_columns(
        phone_norm=pl.col("phone").str.replace_all(r"\D", "").replace("", None),
        birth=pl.col("id_number").str.slice(6, 8),
        estate=pl.col("address_key").str.split("|").list.first().replace("", None),
    )
    rows = blocks.filter(pl.col("person_key").is_null())
    shared = pl.lit(False)
    for columns in (("name_key", "phone_norm"), ("name_key", "birth"), ("name_key", "estate")):
        pairs = rows.select(pl.concat_str(list(columns), separator="\x1f").alias("k"))["k"].drop_nulls().unique()
        shared = shared | pl.concat_str(list(columns), separator="\x1f").is_in(pairs.implode())
    counts = population.group_by("name_key").agg(pl.col("person_key").n_unique() + pl.col("person_key").null_count())
    rare = counts.filter(pl.col("person_key") <= RARE_NAME_PERSONS)["name_key"]
    shared = shared | pl.col("name_key").is_in(rare.implode())
    related_named = blocks.filter(pl.col("person_key").is_not_null() & shared).drop(
        "phone_norm", "birth", "estate"
    )
    cut_columns = [f"id_cut_{n}" for n in range(1, 6)]
    unkeyed_cuts = unkeyed.select(neighbour_keys(pl.col("id_number"))).unpivot(value_name="cut")["cut"].drop_nulls()
    keyed_ids = keyed.select("id_number").unique().with_columns(neighbour_keys(pl.col("id_number")))
    near_ids = keyed_ids.filter(
        pl.any_horizontal(pl.col(c).is_in(unkeyed_cuts.implode()) for c in cut_columns)
    )["id_number"]
    near = keyed.filter(pl.col("id_number").is_in(near_ids.implode()))
    near = with_addresses(connection, near.join(related_named.select("_row"), on="_row", how="anti"))
    return (
        pl.concat([rows.drop("phone_norm", "birth", "estate"), related_named, near], how="diagonal_relaxed")
        .drop("name_key")
        .sort("_row")
    )


def _population(mentions: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Return person_key and name_key of each distinct keyed person-name and each unkeyed mention."""
    keyed = mentions.filter(pl.col("person_key").is_not_null()).select("person_key", "name").unique()
    unkeyed = mentions.filter(pl.col("person_key").is_null()).select("person_key", "name")
    return pl.concat([keyed, unkeyed]).join(names.select("name", "name_key"), on="name", how="left").select(
        "person_key", "name_key"
    )


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
    import time

    started = time.perf_counter()
    say = progress or log.info
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    ensure_person_tables(connection)
    if not connection.table_exists("identity", "person_mentions"):
        say("no identity.person_mentions yet: nothing to resolve")
        return PersonResolution(0, 0, 0, 0, 0, 0, 0, 0, time.perf_counter() - started)
    mentions = read_mentions(connection, addresses=False)
    deterministic = mentions.filter(pl.col("person_key").is_not_null()).height
    say(f"read {mentions.height:,} person mentions; {deterministic:,} keyed by a valid identity number")

    names = name_table(mentions["name"])
    population = _population(mentions, names)
    candidates = _candidate_mentions(connection, mentions, names, population)
    say(f"{candidates.height:,} mentions share a blocking key with an unkeyed one")
    features = mention_features(candidates, names)
    linkage = link_mentions(features, population)
    assignments = linkage.assignments
    say(f"compared {linkage.pairs.height:,} candidate pairs for {assignments.height:,} unkeyed mentions")

    unkeyed = mentions.join(assignments, on="_row", how="inner", suffix="_linked").select(
        *MENTION_COLUMNS, pl.col("person_key_linked").alias("person_key"), "cluster",
        "match_probability",
    )
    previous = connection.read_table("identity", "person_surrogates").select(
        *(pl.col(c).cast(pl.Int64 if c == "position" else pl.Utf8) for c in MENTION_COLUMNS),
        pl.col("person_key").cast(pl.Utf8), pl.col("assigned_at").cast(pl.Datetime("us")),
    )
    keys_in_use = set(mentions["person_key"].drop_nulls().unique().to_list())
    assigned, history = assign_keys(unkeyed.drop("match_probability"), previous, keys_in_use, now)
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
        mentions=mentions.height,
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
