"""Load the justice folder: every roster sheet of every workbook not loaded before."""

from __future__ import annotations

import logging
from datetime import datetime

from ingest.common import source_facts
from ingest.common.batches import BatchOutcome, Dataset, load_batches, loaded_batch_ids
from ingest.common.warehouse import WarehouseConnection
from ingest.justice.extract import delivered_workbooks, read_roster
from ingest.sources import FolderSource

log = logging.getLogger(__name__)


def run(
    connection: WarehouseConnection,
    source: FolderSource,
    dataset: Dataset,
    *,
    secret: bytes,
    extracted_at: datetime,
) -> list[BatchOutcome]:
    """Load one roster from each new workbook in month order (one batch per ``file#sheet``).

    A workbook without this roster's sheet did not deliver that roster this
    month: it is logged and skipped, and read again on the next run (a
    workbook re-sent with the sheet then loads it).
    """
    sheet = source_facts.entity(__file__, dataset.source_entity)["sheet"]
    loaded = loaded_batch_ids(connection, dataset)
    batches = []
    for path in delivered_workbooks(source.folder):
        if f"{path.name}#{sheet}" in loaded:
            continue
        batch = read_roster(path, dataset.source_entity)
        if batch is None:
            log.warning("%s has no sheet %s: no %s roster delivered in it", path.name, sheet, dataset.source_entity)
            continue
        batches.append(batch)
    return load_batches(connection, dataset, batches, secret=secret, extracted_at=extracted_at)
