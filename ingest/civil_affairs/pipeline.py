"""Load the civil-affairs API: each endpoint past its ``updatedSince`` watermark."""

from __future__ import annotations

from datetime import datetime

from ingest.civil_affairs.extract import extract_endpoint
from ingest.common import watermarks
from ingest.common.batches import BatchOutcome, Dataset, load_batch
from ingest.common.http import RetryPolicy
from ingest.common.warehouse import WarehouseConnection
from ingest.sources import CivilAffairsSource


def run(
    connection: WarehouseConnection,
    source: CivilAffairsSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
    retry: RetryPolicy | None = None,
) -> list[BatchOutcome]:
    """Extract one endpoint incrementally and load its new records as one batch.

    A refused batch (a page that kept failing, a refused token) leaves the
    watermark where it was, so the next run reads the same records again.
    ``retry`` overrides how hard each page is tried (tests inject a recording
    ``sleep``).
    """
    since = watermarks.get(connection, dataset.source_system, dataset.source_entity)
    batch = extract_endpoint(source.base_url, source.token(), dataset.source_entity, since, retry=retry)
    if batch is not None and since is not None:
        batch = watermarks.without_boundary_overlap(connection, dataset, batch, since, renumber=True)
    if batch is None:
        return []
    outcome = load_batch(connection, dataset, batch, secret=secret, extracted_at=extracted_at)
    if outcome.status == "loaded" and batch.frame is not None:
        watermarks.put(connection, dataset.source_system, dataset.source_entity, batch.frame["updated_at"].max())
    return [outcome]
