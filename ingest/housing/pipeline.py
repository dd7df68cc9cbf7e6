"""Load the housing folder: every CSV drop not loaded before, in delivery order."""

from __future__ import annotations

from datetime import datetime

from ingest.common.batches import BatchOutcome, Dataset, load_batches, loaded_batch_ids
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
    """Load every new file of one housing entity in one pass; files loaded before are skipped unread."""
    loaded = loaded_batch_ids(connection, dataset)
    batches = [
        read_file(path, dataset.source_entity)
        for path in delivered_files(source.folder, dataset.source_entity)
        if path.name not in loaded
    ]
    return load_batches(connection, dataset, batches, secret=secret, extracted_at=extracted_at)
