"""Load the civil-affairs API: each endpoint past its ``updatedSince`` watermark."""

from __future__ import annotations

import logging
from datetime import datetime

import polars as pl

from ingest.civil_affairs.extract import extract_endpoint
from ingest.common import watermarks
from ingest.common.batches import BatchOutcome, Dataset, DeliveredBatch, load_batch
from ingest.common.warehouse import WarehouseConnection
from ingest.sources import CivilAffairsSource

log = logging.getLogger(__name__)


def run(
    connection: WarehouseConnection,
    source: CivilAffairsSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Extract one endpoint incrementally and load its new records as one batch."""
    since = watermarks.get(connection, dataset.source_system, dataset.source_entity)
    batch = extract_endpoint(source.base_url, source.token(), dataset.source_entity, since)
    if batch is not None and since is not None and batch.frame is not None:
        batch = _without_boundary_overlap(connection, dataset, batch, since)
    if batch is None:
        return []
    outcome = load_batch(connection, dataset, batch, secret=secret, extracted_at=extracted_at)
    if outcome.status == "loaded" and batch.frame is not None:
        watermarks.put(connection, dataset.source_system, dataset.source_entity, batch.frame["updated_at"].max())
    return [outcome]


def _without_boundary_overlap(
    connection: WarehouseConnection, dataset: Dataset, batch: DeliveredBatch, since: str
) -> DeliveredBatch | None:
    """Drop the records at the watermark that the previous extraction already loaded.

    ``updatedSince`` is inclusive, so each call returns again the records
    updated exactly at the watermark. Asking from the watermark (not just past
    it) keeps records that were updated in that same instant after the last
    call; the ones already held are our query's overlap, not a new delivery.
    """
    held = connection.query(
        f"select distinct {dataset.record_key} as record_key from {dataset.raw_schema}.{dataset.source_entity} "
        "where updated_at = :since",
        {"since": since},
    )["record_key"].to_list()
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
    batch.frame = remaining.with_columns(pl.int_range(1, remaining.height + 1, dtype=pl.Int64).alias("_source_row"))
    return batch
