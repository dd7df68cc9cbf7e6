"""List and read housing CSV drops. I/O only."""

from __future__ import annotations

from pathlib import Path

from ingest.common import source_facts
from ingest.common.batches import DeliveredBatch
from ingest.common.files import list_deliveries, read_csv_delivery


def delivered_files(folder: Path, entity: str) -> list[Path]:
    """Return an entity's files in delivery order: by date, a full snapshot before that day's increment."""
    facts = source_facts.entity(__file__, entity)
    found = list_deliveries(folder, facts["file_pattern"])
    order = {"全量": 0, "增量": 1}
    found.sort(key=lambda item: (item[1].group("date"), order.get(item[1].group("kind"), 2), item[0].name))
    return [path for path, _ in found]


def read_file(path: Path, entity: str) -> DeliveredBatch:
    """Read one housing CSV drop as a batch (its file name is the batch id)."""
    return read_csv_delivery(path, source_facts.aliases(__file__, entity))
