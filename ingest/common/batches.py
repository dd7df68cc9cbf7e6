"""Load one delivered batch: raw, gate, quarantine, clean, mentions, and the ledger.

Every department's pipeline hands its extracted batches here, so the rules
that make the warehouse trustworthy are written once:

* raw keeps every delivered row as received (text), with lineage columns;
* a batch already loaded is not loaded again (re-delivery changes nothing);
* exact duplicates (same record key, same content) are counted, not loaded;
* the critical Great Expectations suite splits rows into loaded and quarantined;
* clear identities go to ``identity.person_mentions``, clean rows carry keys;
* ``delivered = loaded + quarantined + duplicates`` or the load fails loudly.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from ingest.common.keys import keyed_hash, row_hash
from ingest.common.mentions import PersonMention, valid_person_key, write_person_mentions
from ingest.common.mentions import OrgMention, UnitMention, write_org_mentions, write_unit_mentions
from ingest.common.warehouse import WarehouseConnection
from quality.gate import BatchRefused, GateResult, check_batch, run_gate

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = ("_batch_id", "_extracted_at", "_source", "_source_row", "_row_hash")
# Tables every dataset writes to, keyed by source_system, source_entity and batch_id.
SHARED_BATCH_TABLES = (
    ("quarantine", "quarantined_rows"),
    ("identity", "person_mentions"),
    ("identity", "unit_mentions"),
    ("identity", "org_mentions"),
)
# A delivered row: its batch and its row within it (rows restart at 1 in every file).
ROW_ID = ["_batch_id", "_source_row"]


class ReconciliationError(RuntimeError):
    """Delivered rows are not all accounted for as loaded, quarantined or duplicate."""


@dataclass(frozen=True)
class KeyedColumn:
    """A column replaced by a keyed hash before loading (e.g. household number -> household_key).

    Attributes:
        column: the clean-table column that receives the key.
        source: the cleaned column whose value is hashed.
        namespace: kept apart from person keys so equal values never collide across kinds.
    """

    column: str
    source: str
    namespace: str


@dataclass(frozen=True)
class Dataset:
    """One source entity of one department, and how to load it.

    Attributes:
        source_system: department slug (``police``).
        source_entity: warehouse table name (``household_residents``).
        record_key: the raw column that identifies a record within the source.
        columns: raw warehouse columns, in order.
        clean: pure ``LazyFrame -> LazyFrame`` standardization of raw rows,
            row by row: a row's clean values depend on its delivered values only.
        clean_columns: the columns written to ``clean_<slug>.<entity>``.
        mentions: persons the dataset mentions.
        keyed: other identifying columns replaced by keyed hashes.
        unit_mentions: house units the dataset mentions (by code or address).
        org_mentions: organizations the dataset mentions (by credit code or name).
    """

    source_system: str
    source_entity: str
    record_key: str
    columns: tuple[str, ...]
    clean: Callable[[pl.LazyFrame], pl.LazyFrame]
    clean_columns: tuple[str, ...]
    mentions: tuple[PersonMention, ...] = ()
    keyed: tuple[KeyedColumn, ...] = ()
    unit_mentions: tuple[UnitMention, ...] = ()
    org_mentions: tuple[OrgMention, ...] = ()

    @property
    def raw_schema(self) -> str:
        """Return the raw schema, ``raw_<slug>``."""
        return f"raw_{self.source_system}"

    @property
    def clean_schema(self) -> str:
        """Return the clean schema, ``clean_<slug>``."""
        return f"clean_{self.source_system}"


@dataclass
class DeliveredBatch:
    """One delivery as extracted: its rows, or the reason it was refused.

    Attributes:
        batch_id: stable identifier; delivering the same batch again yields the same id.
        source: file name, URL or table the rows came from.
        frame: raw columns (text) plus ``_source_row``; ``None`` if refused.
        delivered_at: when the department delivered it (file date, API call time).
        dropped_fields: out-of-scope headers dropped before anything was written.
        refused: why the whole batch was refused (empty, undecodable, unreadable ...).
        row_problems: ``_source_row`` -> (rule, reason) for rows the reader
            found broken as delivered (a row cut off by a truncated file): they
            are written to raw as received and quarantined before the gate under
            the rule ``raw.<entity>.delivery:<rule>``.
        note: what the reader noticed but did not refuse (an ignored extra
            sheet); it becomes the ledger's message.
        header_only: the delivery is well formed (its header is there) but
            has no data row: a month without mediation cases, a day without
            changes. It is recorded as loaded with no rows, not refused, so it
            is not read again; an empty file (no header at all) stays refused.
    """

    batch_id: str
    source: str
    frame: pl.DataFrame | None
    delivered_at: datetime | None = None
    dropped_fields: list[str] = field(default_factory=list)
    refused: str | None = None
    row_problems: dict[int, tuple[str, str]] = field(default_factory=dict)
    note: str | None = None
    header_only: bool = False


@dataclass
class BatchOutcome:
    """What happened to one batch; one row of ``ops.batch_log``."""

    source_system: str
    source_entity: str
    batch_id: str
    source: str
    status: str
    rows_delivered: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_duplicate: int = 0
    fields_dropped: int = 0
    message: str = ""
    gate: GateResult | None = None
    skipped: bool = False
    # Seconds per load stage (raw, clean, gate, mentions ...), wall time under
    # the stage's name and the process's CPU time under ``<stage>.cpu``;
    # shared by the batches loaded together, for bench/ingest.py.
    timings: dict[str, float] = field(default_factory=dict)

    def ledger_row(self, delivered_at: datetime | None, extracted_at: datetime, dropped: list[str]) -> dict:
        """Return this outcome as one row of ``ops.batch_log`` (see ``LEDGER_SCHEMA``)."""
        return {
            "source_system": self.source_system,
            "source_entity": self.source_entity,
            "batch_id": self.batch_id,
            "source": self.source,
            "delivered_at": delivered_at,
            "extracted_at": extracted_at,
            "rows_delivered": self.rows_delivered,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "rows_duplicate": self.rows_duplicate,
            "fields_dropped": self.fields_dropped,
            "dropped_field_names": ",".join(dropped) or None,
            "status": self.status,
            "message": self.message or None,
        }


LEDGER_SCHEMA = {
    "source_system": pl.Utf8, "source_entity": pl.Utf8, "batch_id": pl.Utf8, "source": pl.Utf8,
    "delivered_at": pl.Datetime("us"), "extracted_at": pl.Datetime("us"),
    "rows_delivered": pl.Int64, "rows_loaded": pl.Int64, "rows_quarantined": pl.Int64,
    "rows_duplicate": pl.Int64, "fields_dropped": pl.Int64, "dropped_field_names": pl.Utf8,
    "status": pl.Utf8, "message": pl.Utf8,
}


def ensure_tables(connection: WarehouseConnection, dataset: Dataset, *, secret: bytes) -> None:
    """Create the dataset's raw and clean tables, empty, if they do not exist yet.

    dbt's staging views read every clean table; a department that has not
    delivered yet (or is left out of the sources file) must still present its
    tables, empty and correctly typed, so the models build.
    """
    if connection.table_exists(dataset.raw_schema, dataset.source_entity) and connection.table_exists(
        dataset.clean_schema, dataset.source_entity
    ):
        return
    empty = pl.DataFrame(
        {"_source_row": pl.Series([], dtype=pl.Int64), **{column: pl.Series([], dtype=pl.Utf8) for column in dataset.columns}}
    )
    placeholder = DeliveredBatch(batch_id="", source="", frame=empty)
    raw = _with_lineage(_tagged(empty, dataset, placeholder), dataset, datetime(1970, 1, 1))
    connection.ensure_table(dataset.raw_schema, dataset.source_entity, raw)
    clean = _with_person_keys(dataset.clean(raw.lazy()).collect(), dataset, secret)
    connection.ensure_table(dataset.clean_schema, dataset.source_entity, clean.select(*LINEAGE_COLUMNS, *dataset.clean_columns))


def loaded_batch_ids(connection: WarehouseConnection, dataset: Dataset) -> set[str]:
    """Return the ids of the dataset's batches loaded before (loading them again changes nothing)."""
    if not connection.table_exists("ops", "batch_log"):
        return set()
    return set(
        connection.query(
            "select batch_id from ops.batch_log where source_system = :system "
            "and source_entity = :entity and status = 'loaded'",
            {"system": dataset.source_system, "entity": dataset.source_entity},
        )["batch_id"].to_list()
    )


def load_batch(
    connection: WarehouseConnection,
    dataset: Dataset,
    batch: DeliveredBatch,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> BatchOutcome:
    """Load one batch through raw, the gate, quarantine and clean; record it in the ledger."""
    return load_batches(connection, dataset, [batch], secret=secret, extracted_at=extracted_at)[0]


def load_batches(
    connection: WarehouseConnection,
    dataset: Dataset,
    batches: Iterable[DeliveredBatch],
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Load a dataset's batches, in delivery order, in one pass; one ledger row per batch.

    A housing folder holds a file per day: judged one at a time, each paid
    the fixed cost of a gate run, a dedupe query and a dozen small writes
    (about 0.35 s, most of a demo run). Here every accepted batch is
    concatenated, cleaned, gated, deduplicated and written once; the
    ledger is then counted per batch, and each batch must balance on its own.
    Refused and header-only batches are recorded one by one, as before.
    """
    batches = list(batches)
    loaded_before = loaded_batch_ids(connection, dataset)
    outcomes: list[BatchOutcome] = []
    accepted: list[tuple[DeliveredBatch, BatchOutcome, pl.DataFrame]] = []
    expected = ["_source_row", *dataset.columns]
    for batch in batches:
        outcome = BatchOutcome(
            dataset.source_system, dataset.source_entity, batch.batch_id, batch.source, status="loaded",
            fields_dropped=len(batch.dropped_fields), message=batch.note or "",
        )
        outcomes.append(outcome)
        if batch.batch_id in loaded_before:
            outcome.skipped = True
            outcome.message = "already loaded; re-delivery ignored"
            log.info("%s.%s batch %s already loaded; skipped", dataset.source_system, dataset.source_entity, batch.batch_id)
            continue
        loaded_before.add(batch.batch_id)
        if (
            batch.refused is None and batch.header_only and batch.frame is not None and batch.frame.height == 0
            and all(column in batch.frame.columns for column in expected)
        ):
            outcome.message = "; ".join(part for part in (batch.note, "header only: no rows delivered") if part)
            log.info("%s.%s batch %s has no rows", dataset.source_system, dataset.source_entity, batch.batch_id)
            continue
        if batch.refused is None and batch.frame is not None:
            try:
                check_batch(batch.frame, dataset.source_entity, expected_columns=expected)
            except BatchRefused as error:
                batch.refused = str(error)
        if batch.refused is not None:
            outcome.status = "refused"
            outcome.message = batch.refused
            outcome.rows_delivered = batch.frame.height if batch.frame is not None else 0
            log.error("%s.%s batch %s refused: %s", dataset.source_system, dataset.source_entity, batch.batch_id, batch.refused)
            continue
        outcome.rows_delivered = batch.frame.height
        accepted.append((batch, outcome, _tagged(batch.frame, dataset, batch)))

    if accepted:
        _load_rows(connection, dataset, accepted, secret=secret, extracted_at=extracted_at)
    recorded = [(batch, outcome) for batch, outcome in zip(batches, outcomes, strict=True) if not outcome.skipped]
    _write_ledger(connection, dataset, recorded, extracted_at)
    return outcomes


def _load_rows(
    connection: WarehouseConnection,
    dataset: Dataset,
    accepted: list[tuple[DeliveredBatch, BatchOutcome, pl.DataFrame]],
    *,
    secret: bytes,
    extracted_at: datetime,
) -> None:
    """Write the accepted batches' rows through raw, the gate, quarantine and clean, and count them per batch."""
    timings: dict[str, float] = {}
    batch_ids = [batch.batch_id for batch, _, _ in accepted]
    with _timed(timings, "raw"):
        raw = _with_lineage(pl.concat([frame for _, _, frame in accepted], how="diagonal_relaxed"), dataset, extracted_at)
    with _timed(timings, "write_raw"):
        # A batch cut off half-way by an earlier crash left rows but no ledger
        # row: they are replaced, never doubled.
        for schema in (dataset.raw_schema, dataset.clean_schema):
            connection.delete_batches(schema, dataset.source_entity, batch_ids)
        shared = {"source_system": dataset.source_system, "source_entity": dataset.source_entity}
        for schema, table in SHARED_BATCH_TABLES:
            connection.delete_batches(schema, table, batch_ids, column="batch_id", where=shared)
        connection.append(dataset.raw_schema, dataset.source_entity, raw)

    with _timed(timings, "dedupe"):
        broken = _broken_rows(raw, dataset, {batch.batch_id: batch.row_problems for batch, _, _ in accepted})
        # A row cut off by a truncated file is not a record to judge or
        # deduplicate: its values are partial. It stays in raw as received.
        to_judge = raw.join(broken.select(ROW_ID), on=ROW_ID, how="anti") if broken.height else raw
        unique = _unique_within_batches(to_judge, dataset)

    with _timed(timings, "clean"):
        cleaned = _cleaned(dataset, unique)
    with _timed(timings, "gate"):
        gate = run_gate(cleaned, dataset.source_entity)
    with _timed(timings, "quarantine"):
        passed = _unique_across_batches(connection, dataset, gate.passed)
        _write_quarantine(
            connection, dataset, raw, pl.concat([broken, gate.quarantined.select(*ROW_ID, "rule", "reason")]), extracted_at
        )

    with _timed(timings, "keys"):
        passed = _with_person_keys(passed, dataset, secret)
    with _timed(timings, "person_mentions"):
        write_person_mentions(
            connection, dataset.source_system, dataset.source_entity, dataset.record_key, dataset.mentions,
            passed, extracted_at, secret,
        )
    with _timed(timings, "unit_mentions"):
        write_unit_mentions(
            connection, dataset.source_system, dataset.source_entity, dataset.record_key, dataset.unit_mentions,
            passed, extracted_at, secret,
        )
    with _timed(timings, "org_mentions"):
        write_org_mentions(
            connection, dataset.source_system, dataset.source_entity, dataset.record_key, dataset.org_mentions,
            passed, extracted_at, secret,
        )
    with _timed(timings, "write_clean"):
        clean = passed.select(*LINEAGE_COLUMNS, *dataset.clean_columns)
        connection.append(dataset.clean_schema, dataset.source_entity, clean)

    delivered = _count_by_batch(raw)
    loaded = _count_by_batch(clean)
    quarantined = _count_by_batch(pl.concat([broken.select("_batch_id"), gate.quarantined.select("_batch_id")]))
    within = _count_by_batch(to_judge)
    kept = _count_by_batch(unique)
    passed_before = _count_by_batch(gate.passed)
    for batch, outcome, _ in accepted:
        batch_id = batch.batch_id
        outcome.gate = gate
        outcome.timings = timings
        outcome.rows_loaded = loaded.get(batch_id, 0)
        outcome.rows_quarantined = quarantined.get(batch_id, 0)
        outcome.rows_duplicate = (within.get(batch_id, 0) - kept.get(batch_id, 0)) + (
            passed_before.get(batch_id, 0) - outcome.rows_loaded
        )
        accounted = outcome.rows_loaded + outcome.rows_quarantined + outcome.rows_duplicate
        if accounted != delivered.get(batch_id, 0) or accounted != outcome.rows_delivered:
            raise ReconciliationError(
                f"{dataset.source_system}.{dataset.source_entity} batch {batch_id}: delivered "
                f"{outcome.rows_delivered} rows but loaded {outcome.rows_loaded} + quarantined "
                f"{outcome.rows_quarantined} + duplicates {outcome.rows_duplicate} = {accounted}"
            )
        # A housing folder delivers a file a day: a line for each clean one
        # would bury the batches that need a look. Those stay at INFO; the
        # dataset's totals follow in one line.
        log.log(
            logging.INFO if outcome.rows_quarantined or outcome.fields_dropped else logging.DEBUG,
            "%s.%s batch %s: delivered %d, loaded %d, quarantined %d, duplicates %d, out-of-scope fields dropped %d",
            dataset.source_system, dataset.source_entity, batch_id, outcome.rows_delivered,
            outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_duplicate, outcome.fields_dropped,
        )
    outcomes = [outcome for _, outcome, _ in accepted]
    log.info(
        "%s.%s: %d batch(es) loaded: delivered %d, loaded %d, quarantined %d, duplicates %d, out-of-scope fields dropped %d",
        dataset.source_system, dataset.source_entity, len(outcomes),
        *(sum(getattr(outcome, field) for outcome in outcomes) for field in (
            "rows_delivered", "rows_loaded", "rows_quarantined", "rows_duplicate", "fields_dropped",
        )),
    )


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Add the wall seconds the block takes to ``timings[stage]``, its CPU seconds to ``timings[stage.cpu]``."""
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
        cpu = f"{stage}.cpu"
        timings[cpu] = timings.get(cpu, 0.0) + time.process_time() - started_cpu


def _count_by_batch(frame: pl.DataFrame) -> dict[str, int]:
    """Return rows per ``_batch_id``."""
    if frame.is_empty():
        return {}
    counts = frame.group_by("_batch_id").len()
    return dict(zip(counts["_batch_id"].to_list(), counts["len"].to_list(), strict=True))


def _tagged(frame: pl.DataFrame, dataset: Dataset, batch: DeliveredBatch) -> pl.DataFrame:
    """Name the batch and source on each row, and fold undeclared columns into ``_extra``.

    This is the only per-batch work; ``_with_lineage`` does the rest once for
    all batches of a load.
    """
    extra = [column for column in frame.columns if column not in (*dataset.columns, "_source_row", "_extra")]
    if extra:
        # Columns a department added without notice are kept, not dropped: raw
        # holds everything delivered except out-of-scope fields.
        frame = frame.with_columns(pl.struct(extra).struct.json_encode().alias("_extra")).drop(extra)
    return frame.with_columns(pl.lit(batch.batch_id).alias("_batch_id"), pl.lit(batch.source).alias("_source"))


def _with_lineage(frame: pl.DataFrame, dataset: Dataset, extracted_at: datetime) -> pl.DataFrame:
    """Type the tagged rows as raw text, add the remaining lineage columns and order the columns."""
    if "_extra" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_extra"))
    return frame.with_columns(
        *(pl.col(column).cast(pl.Utf8) for column in dataset.columns),
        pl.col("_source_row").cast(pl.Int64),
        pl.col("_extra").cast(pl.Utf8),
        pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
        row_hash(list(dataset.columns)).alias("_row_hash"),
    ).select(*LINEAGE_COLUMNS, *dataset.columns, "_extra")


def _broken_rows(
    raw: pl.DataFrame, dataset: Dataset, problems: dict[str, dict[int, tuple[str, str]]]
) -> pl.DataFrame:
    """Return the rows the readers found broken, shaped like gate quarantine rows (``rule``, ``reason``)."""
    rows = [
        (batch_id, source_row, f"raw.{dataset.source_entity}.delivery:{rule}", reason)
        for batch_id, batch_problems in problems.items()
        for source_row, (rule, reason) in batch_problems.items()
    ]
    schema = {"_batch_id": pl.Utf8, "_source_row": pl.Int64, "rule": pl.Utf8, "reason": pl.Utf8}
    broken = pl.DataFrame(rows, schema=schema, orient="row")
    return broken.join(raw.select(ROW_ID), on=ROW_ID, how="semi") if broken.height else broken


def _unique_within_batches(raw: pl.DataFrame, dataset: Dataset) -> pl.DataFrame:
    """Drop rows whose record key and content appear earlier in the same batch.

    When the record key is the data row itself (housing files, justice
    sheets), two rows can never share it: the same record delivered twice in
    one file is then recognised by its content alone.
    """
    key = dataset.record_key
    subset = ["_batch_id", "_row_hash"] if key == "_source_row" else ["_batch_id", key, "_row_hash"]
    return raw.unique(subset=subset, keep="first", maintain_order=True)


def _cleaned(dataset: Dataset, raw: pl.DataFrame) -> pl.DataFrame:
    """Clean the rows, each delivered content once.

    Cleaning is row by row, so rows with the same content (the same
    ``_row_hash``) clean alike: the housing register arrives as full
    snapshots that repeat every unchanged unit (966,986 rows, 502,338
    contents in the 1,000,000-person city). Each content is cleaned once and
    its clean values given to every row that delivered it; a row keeps its
    own lineage and ``_extra`` (which the hash does not cover), and the gate
    still judges every row.
    """
    representatives = raw.filter(pl.col("_row_hash").is_first_distinct())
    if representatives.height == raw.height:
        return dataset.clean(raw.lazy()).collect()
    cleaned = dataset.clean(representatives.lazy()).collect()
    own = [*LINEAGE_COLUMNS, "_extra"]
    return (
        raw.select(own)
        .join(cleaned.drop([column for column in own if column != "_row_hash"]), on="_row_hash", how="left", maintain_order="left")
        .select(cleaned.columns)
    )


def _unique_across_batches(connection: WarehouseConnection, dataset: Dataset, passed: pl.DataFrame) -> pl.DataFrame:
    """Drop passed rows already loaded: by an earlier batch of this pass, or before it.

    Only rows that passed the gate count as loaded, so a row quarantined in
    one batch and sent again is judged (and quarantined) again, not counted
    as a duplicate. The content hash covers the record key.
    """
    unique = passed.filter(pl.col("_row_hash").is_first_distinct())
    if connection.table_exists(dataset.clean_schema, dataset.source_entity) and unique.height:
        seen = connection.query(f"select distinct _row_hash from {dataset.clean_schema}.{dataset.source_entity}")
        if seen.height:
            unique = unique.join(seen, on="_row_hash", how="anti")
    return unique


def _write_quarantine(
    connection: WarehouseConnection,
    dataset: Dataset,
    raw: pl.DataFrame,
    quarantined: pl.DataFrame,
    extracted_at: datetime,
) -> None:
    if quarantined.is_empty():
        return
    originals = raw.join(quarantined.select(*ROW_ID, "rule", "reason"), on=ROW_ID, how="inner")
    rows = originals.select(
        pl.lit(dataset.source_system).alias("source_system"),
        pl.lit(dataset.source_entity).alias("source_entity"),
        pl.col("_batch_id").alias("batch_id"),
        pl.col("_source").alias("source"),
        pl.col("_source_row").alias("source_row"),
        pl.col("rule"),
        pl.col("reason"),
        pl.struct(list(dataset.columns)).struct.json_encode().alias("original_values"),
        pl.lit(extracted_at).cast(pl.Datetime("us")).alias("quarantined_at"),
        pl.lit(None, dtype=pl.Datetime("us")).alias("released_at"),
    )
    connection.append("quarantine", "quarantined_rows", rows)


def _with_person_keys(frame: pl.DataFrame, dataset: Dataset, secret: bytes) -> pl.DataFrame:
    for keyed in dataset.keyed:
        frame = frame.with_columns(keyed_hash(pl.col(keyed.source), secret, keyed.namespace).alias(keyed.column))
    for mention in dataset.mentions:
        if mention.many:
            continue
        issues = pl.col(mention.issue_column) if mention.issue_column else None
        key = valid_person_key(pl.col(mention.id_column), secret, issues)
        if mention.applies is not None:
            key = pl.when(mention.applies).then(key).otherwise(None)
        frame = frame.with_columns(key.alias(mention.key_column))
    return frame


def _write_ledger(
    connection: WarehouseConnection,
    dataset: Dataset,
    recorded: list[tuple[DeliveredBatch, BatchOutcome]],
    extracted_at: datetime,
) -> None:
    """Replace the ledger rows of these batches with their outcomes."""
    if not recorded:
        return
    connection.delete_batches(
        "ops", "batch_log", [batch.batch_id for batch, _ in recorded], column="batch_id",
        where={"source_system": dataset.source_system, "source_entity": dataset.source_entity},
    )
    connection.append(
        "ops", "batch_log",
        pl.DataFrame(
            [outcome.ledger_row(batch.delivered_at, extracted_at, batch.dropped_fields) for batch, outcome in recorded],
            schema=LEDGER_SCHEMA, orient="row",
        ),
    )
