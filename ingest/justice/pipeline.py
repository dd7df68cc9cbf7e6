"""Load the justice folder: every roster sheet of every workbook not loaded before."""

from __future__ import annotations

from datetime import datetime

from ingest.common import source_facts
from ingest.common.batches import BatchOutcome, Dataset, already_loaded, load_batch
from ingest.common.warehouse import WarehouseConnection
from ingest.justice.extract import delivered_workbooks, read_roster
from ingest.sources import FolderSource


def run(
    connection: WarehouseConnection,
    source: FolderSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Load one roster from each new workbook in month order."""
    sheet = source_facts.entity(__file__, dataset.source_entity)["sheet"]
    outcomes = []
    for path in delivered_workbooks(source.folder):
        if already_loaded(connection, dataset, f"{path.name}#{sheet}"):
            continue
        outcomes.append(load_batch(connection, dataset, read_roster(path, dataset.source_entity), secret=secret, extracted_at=extracted_at))
    return outcomes
