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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from ingest.common.keys import keyed_hash, row_hash
from ingest.common.mentions import PersonMention, valid_person_key, write_person_mentions
from ingest.common.warehouse import WarehouseConnection
from quality.gate import BatchRefused, GateResult, check_batch, run_gate

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = ("_batch_id", "_extracted_at", "_source", "_source_row", "_row_hash")


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
        clean: pure ``LazyFrame -> LazyFrame`` standardization of raw rows.
        clean_columns: the columns written to ``clean_<slug>.<entity>``.
        mentions: persons the dataset mentions.
        keyed: other identifying columns replaced by keyed hashes.
    """

    source_system: str
    source_entity: str
    record_key: str
    columns: tuple[str, ...]
    clean: Callable[[pl.LazyFrame], pl.LazyFrame]
    clean_columns: tuple[str, ...]
    mentions: tuple[PersonMention, ...] = ()
    keyed: tuple[KeyedColumn, ...] = ()

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

    def ledger_row(self, delivered_at: datetime | None, extracted_at: datetime, dropped: list[str]) -> pl.DataFrame:
        """Return this outcome as a one-row frame shaped like ``ops.batch_log``."""
        return pl.DataFrame(
            {
                "source_system": [self.source_system],
                "source_entity": [self.source_entity],
                "batch_id": [self.batch_id],
                "source": [self.source],
                "delivered_at": [delivered_at],
                "extracted_at": [extracted_at],
                "rows_delivered": [self.rows_delivered],
                "rows_loaded": [self.rows_loaded],
                "rows_quarantined": [self.rows_quarantined],
                "rows_duplicate": [self.rows_duplicate],
                "fields_dropped": [self.fields_dropped],
                "dropped_field_names": [",".join(dropped) or None],
                "status": [self.status],
                "message": [self.message or None],
            },
            schema_overrides={"delivered_at": pl.Datetime("us"), "extracted_at": pl.Datetime("us")},
        )


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
    raw = _with_lineage(empty, dataset, placeholder, datetime(1970, 1, 1))
    connection.ensure_table(dataset.raw_schema, dataset.source_entity, raw)
    clean = _with_person_keys(dataset.clean(raw.lazy()).collect(), dataset, secret)
    connection.ensure_table(dataset.clean_schema, dataset.source_entity, clean.select(*LINEAGE_COLUMNS, *dataset.clean_columns))


def already_loaded(connection: WarehouseConnection, dataset: Dataset, batch_id: str) -> bool:
    """Say whether this batch was loaded before (so loading it again changes nothing)."""
    return bool(
        connection.scalar(
            "select count(*) from ops.batch_log where source_system = :system "
            "and source_entity = :entity and batch_id = :batch and status = 'loaded'",
            {"system": dataset.source_system, "entity": dataset.source_entity, "batch": batch_id},
        )
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
    outcome = BatchOutcome(
        dataset.source_system, dataset.source_entity, batch.batch_id, batch.source, status="loaded",
        fields_dropped=len(batch.dropped_fields), message=batch.note or "",
    )
    if already_loaded(connection, dataset, batch.batch_id):
        outcome.skipped = True
        outcome.message = "already loaded; re-delivery ignored"
        log.info("%s.%s batch %s already loaded; skipped", dataset.source_system, dataset.source_entity, batch.batch_id)
        return outcome

    expected = ["_source_row", *dataset.columns]
    if (
        batch.refused is None and batch.header_only and batch.frame is not None and batch.frame.height == 0
        and all(column in batch.frame.columns for column in expected)
    ):
        outcome.message = "; ".join(part for part in (batch.note, "header only: no rows delivered") if part)
        _write_ledger(connection, dataset, outcome, batch, extracted_at)
        log.info("%s.%s batch %s has no rows", dataset.source_system, dataset.source_entity, batch.batch_id)
        return outcome
    if batch.refused is None and batch.frame is not None:
        try:
            check_batch(batch.frame, dataset.source_entity, expected_columns=expected)
        except BatchRefused as error:
            batch.refused = str(error)
    if batch.refused is not None:
        outcome.status = "refused"
        outcome.message = batch.refused
        outcome.rows_delivered = batch.frame.height if batch.frame is not None else 0
        _write_ledger(connection, dataset, outcome, batch, extracted_at)
        log.error("%s.%s batch %s refused: %s", dataset.source_system, dataset.source_entity, batch.batch_id, batch.refused)
        return outcome

    raw = _with_lineage(batch.frame, dataset, batch, extracted_at)
    outcome.rows_delivered = raw.height
    for schema, table in (
        (dataset.raw_schema, dataset.source_entity),
        (dataset.clean_schema, dataset.source_entity),
    ):
        connection.delete_batch(schema, table, batch.batch_id)
    connection.delete_batch("quarantine", "quarantined_rows", batch.batch_id, column="batch_id")
    connection.delete_batch("identity", "person_mentions", batch.batch_id, column="batch_id")
    connection.append(dataset.raw_schema, dataset.source_entity, raw)

    broken = _broken_rows(raw, dataset, batch.row_problems)
    if broken.height:
        # A row cut off by a truncated file is not a record to judge or
        # deduplicate: its values are partial. It stays in raw as received.
        raw_to_judge = raw.join(broken.select("_source_row"), on="_source_row", how="anti")
    else:
        raw_to_judge = raw
    unique, duplicate_count = _drop_duplicates(connection, dataset, raw_to_judge, batch.batch_id)
    outcome.rows_duplicate = duplicate_count

    cleaned = dataset.clean(unique.lazy()).collect()
    gate = run_gate(cleaned, dataset.source_entity)
    outcome.gate = gate
    outcome.rows_quarantined = gate.quarantined.height + broken.height
    _write_quarantine(connection, dataset, raw, broken, extracted_at)
    _write_quarantine(connection, dataset, raw, gate.quarantined, extracted_at)

    passed = _with_person_keys(gate.passed, dataset, secret)
    write_person_mentions(connection, dataset.source_system, dataset.source_entity, dataset.record_key, dataset.mentions, passed, extracted_at, secret)
    clean = passed.select(*LINEAGE_COLUMNS, *dataset.clean_columns)
    outcome.rows_loaded = connection.append(dataset.clean_schema, dataset.source_entity, clean)

    accounted = outcome.rows_loaded + outcome.rows_quarantined + outcome.rows_duplicate
    if accounted != outcome.rows_delivered:
        raise ReconciliationError(
            f"{dataset.source_system}.{dataset.source_entity} batch {batch.batch_id}: delivered "
            f"{outcome.rows_delivered} rows but loaded {outcome.rows_loaded} + quarantined "
            f"{outcome.rows_quarantined} + duplicates {outcome.rows_duplicate} = {accounted}"
        )
    _write_ledger(connection, dataset, outcome, batch, extracted_at)
    log.info(
        "%s.%s batch %s: delivered %d, loaded %d, quarantined %d, duplicates %d, out-of-scope fields dropped %d",
        dataset.source_system, dataset.source_entity, batch.batch_id, outcome.rows_delivered,
        outcome.rows_loaded, outcome.rows_quarantined, outcome.rows_duplicate, outcome.fields_dropped,
    )
    return outcome


def _with_lineage(frame: pl.DataFrame, dataset: Dataset, batch: DeliveredBatch, extracted_at: datetime) -> pl.DataFrame:
    """Add the lineage columns and put raw columns in their declared order."""
    extra = [column for column in frame.columns if column not in (*dataset.columns, "_source_row", "_extra")]
    frame = frame.with_columns(
        *(pl.col(column).cast(pl.Utf8) for column in dataset.columns),
        pl.col("_source_row").cast(pl.Int64),
    )
    if extra:
        # Columns a department added without notice are kept, not dropped: raw
        # holds everything delivered except out-of-scope fields.
        frame = frame.with_columns(
            pl.struct(extra).struct.json_encode().alias("_extra")
        ).drop(extra)
    elif "_extra" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("_extra"))
    return frame.with_columns(
        pl.lit(batch.batch_id).alias("_batch_id"),
        pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
        pl.lit(batch.source).alias("_source"),
        row_hash(list(dataset.columns)).alias("_row_hash"),
    ).select(*LINEAGE_COLUMNS, *dataset.columns, "_extra")


def _broken_rows(raw: pl.DataFrame, dataset: Dataset, problems: dict[int, tuple[str, str]]) -> pl.DataFrame:
    """Return the rows the reader found broken, shaped like gate quarantine rows (``rule``, ``reason``)."""
    if not problems:
        return raw.head(0).select("_source_row").with_columns(
            pl.lit(None, dtype=pl.Utf8).alias("rule"), pl.lit(None, dtype=pl.Utf8).alias("reason")
        )
    return pl.DataFrame(
        {
            "_source_row": list(problems),
            "rule": [f"raw.{dataset.source_entity}.delivery:{rule}" for rule, _ in problems.values()],
            "reason": [reason for _, reason in problems.values()],
        },
        schema={"_source_row": pl.Int64, "rule": pl.Utf8, "reason": pl.Utf8},
    ).join(raw.select("_source_row"), on="_source_row", how="semi")


def _drop_duplicates(
    connection: WarehouseConnection, dataset: Dataset, raw: pl.DataFrame, batch_id: str
) -> tuple[pl.DataFrame, int]:
    """Remove rows whose record key and content were already seen, in this batch or loaded before.

    When the record key is the data row itself (housing files, justice
    sheets), two rows can never share it: the same record delivered twice in
    one file is then recognised by its content alone.
    """
    key = dataset.record_key
    subset = ["_row_hash"] if key == "_source_row" else [key, "_row_hash"]
    unique = raw.unique(subset=subset, keep="first", maintain_order=True)
    if connection.table_exists(dataset.clean_schema, dataset.source_entity):
        seen = connection.query(
            f"select distinct _row_hash from {dataset.clean_schema}.{dataset.source_entity} "
            f"where _batch_id <> :batch",
            {"batch": batch_id},
        )
        if seen.height:
            unique = unique.join(seen, on="_row_hash", how="anti")
    return unique, raw.height - unique.height


def _write_quarantine(
    connection: WarehouseConnection,
    dataset: Dataset,
    raw: pl.DataFrame,
    quarantined: pl.DataFrame,
    extracted_at: datetime,
) -> None:
    if quarantined.is_empty():
        return
    originals = raw.join(quarantined.select("_source_row", "rule", "reason"), on="_source_row", how="inner")
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
        key = valid_person_key(pl.col(mention.id_column), secret)
        if mention.applies is not None:
            key = pl.when(mention.applies).then(key).otherwise(None)
        frame = frame.with_columns(key.alias(mention.key_column))
    return frame


def _write_ledger(
    connection: WarehouseConnection,
    dataset: Dataset,
    outcome: BatchOutcome,
    batch: DeliveredBatch,
    extracted_at: datetime,
) -> None:
    connection.execute(
        "delete from ops.batch_log where source_system = :system and source_entity = :entity and batch_id = :batch",
        {"system": dataset.source_system, "entity": dataset.source_entity, "batch": batch.batch_id},
    )
    connection.append("ops", "batch_log", outcome.ledger_row(batch.delivered_at, extracted_at, batch.dropped_fields))

