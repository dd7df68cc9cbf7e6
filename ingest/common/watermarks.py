"""Remember how far incremental extraction has read each source.

Watermarks live in the warehouse (``ops.watermarks``) beside the data they
describe, so a fresh warehouse re-reads everything and a restored one resumes
where its data ends.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import polars as pl

from ingest.common.warehouse import WarehouseConnection

if TYPE_CHECKING:
    from ingest.common.batches import Dataset, DeliveredBatch

log = logging.getLogger(__name__)


def get(connection: WarehouseConnection, source_system: str, source_entity: str) -> str | None:
    """Return the stored watermark, or ``None`` before the first extraction."""
    return connection.scalar(
        "select watermark from ops.watermarks where source_system = :system and source_entity = :entity",
        {"system": source_system, "entity": source_entity},
    )


def put(connection: WarehouseConnection, source_system: str, source_entity: str, watermark: str) -> None:
    """Store a new watermark, replacing the old one."""
    connection.execute(
        "delete from ops.watermarks where source_system = :system and source_entity = :entity",
        {"system": source_system, "entity": source_entity},
    )
    connection.append(
        "ops",
        "watermarks",
        pl.DataFrame(
            {
                "source_system": [source_system],
                "source_entity": [source_entity],
                "watermark": [watermark],
                "updated_at": [datetime.now(timezone.utc).replace(tzinfo=None)],
            },
            schema_overrides={"updated_at": pl.Datetime("us")},
        ),
    )


def without_boundary_overlap(
    connection: WarehouseConnection,
    dataset: Dataset,
    batch: DeliveredBatch,
    since: str,
    *,
    renumber: bool,
) -> DeliveredBatch | None:
    """Drop the records at the watermark that the previous extraction already loaded.

    Extraction asks for records updated at or after the watermark, not only
    after it: a record updated in the same instant as the watermark but
    committed after the last extraction would otherwise never be read. The
    records at the watermark that raw already holds are that query's overlap,
    not a new delivery, so they are removed here; when nothing else is left the
    source has nothing new (``None``).

    Args:
        renumber: give the remaining rows new 1-based ``_source_row`` numbers
            (API records, numbered by position); police rows keep their ``ID``.
    """
    if batch.frame is None:
        return batch
    held = connection.query(
        f"select distinct {dataset.record_key} as record_key from {dataset.raw_schema}.{dataset.source_entity} "
        "where updated_at = :since",
        {"since": since},
    )["record_key"].to_list() if connection.table_exists(dataset.raw_schema, dataset.source_entity) else []
    frame = batch.frame
    overlap = (pl.col("updated_at") == since) & pl.col(dataset.record_key).is_in(held)
    remaining = frame.filter(~overlap)
    if remaining.height < frame.height:
        log.info(
            "%s.%s: %d record(s) at the watermark %s were loaded by the previous extraction; not reloaded",
            dataset.source_system, dataset.source_entity, frame.height - remaining.height, since,
        )
    if remaining.is_empty():
        return None
    if renumber:
        remaining = remaining.with_columns(pl.int_range(1, remaining.height + 1, dtype=pl.Int64).alias("_source_row"))
    batch.frame = remaining
    return batch
