"""Load the housing folder: every CSV drop not loaded before, in delivery order."""

from __future__ import annotations

from datetime import datetime

from ingest.common.batches import BatchOutcome, Dataset, already_loaded, load_batch
from ingest.common.warehouse import WarehouseConnection
from ingest.housing.extract import delivered_files, read_file
from ingest.sources import FolderSource


def run(
    connection: WarehouseConnection,
    source: FolderSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Load each new file of one housing entity; files loaded before are skipped unread."""
    outcomes = []
    for path in delivered_files(source.folder, dataset.source_entity):
        if already_loaded(connection, dataset, path.name):
            continue
        outcomes.append(load_batch(connection, dataset, read_file(path, dataset.source_entity), secret=secret, extracted_at=extracted_at))
    return outcomes
