"""Load the police deliveries: extract each table past its watermark and load it."""

from __future__ import annotations

from datetime import datetime

from ingest.common import watermarks
from ingest.common.batches import BatchOutcome, Dataset, load_batch
from ingest.common.warehouse import WarehouseConnection
from ingest.police.extract import extract_table
from ingest.sources import PoliceSource


def run(
    connection: WarehouseConnection,
    source: PoliceSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Extract one police table incrementally and load the new rows as one batch.

    Each table has its own watermark (the greatest ``GXSJ`` loaded); a refused
    batch leaves it where it was, so the next run reads the same rows again.
    """
    since = watermarks.get(connection, dataset.source_system, dataset.source_entity)
    batch = extract_table(source.database_url, dataset.source_entity, since)
    if batch is not None and since is not None:
        batch = watermarks.without_boundary_overlap(connection, dataset, batch, since, renumber=False)
    if batch is None:
        return []
    outcome = load_batch(connection, dataset, batch, secret=secret, extracted_at=extracted_at)
    if outcome.status == "loaded" and batch.frame is not None:
        watermarks.put(connection, dataset.source_system, dataset.source_entity, batch.frame["updated_at"].max())
    return [outcome]
