"""List and read justice workbooks. I/O only."""

from __future__ import annotations

from pathlib import Path

from ingest.common import source_facts
from ingest.common.batches import DeliveredBatch
from ingest.common.files import list_deliveries, read_xlsx_sheet


def delivered_workbooks(folder: Path) -> list[Path]:
    """Return the monthly workbooks in month order."""
    found = list_deliveries(folder, source_facts.load(__file__)["file_pattern"])
    found.sort(key=lambda item: (item[1].group("month"), item[0].name))
    return [path for path, _ in found]


def roster_sheets() -> tuple[str, ...]:
    """Return the sheet name of every roster the contract defines."""
    return tuple(facts["sheet"] for facts in source_facts.load(__file__)["entities"].values())


def read_roster(path: Path, entity: str) -> DeliveredBatch | None:
    """Read one entity's roster sheet of a workbook as a batch (``file#sheet`` is the batch id).

    Returns ``None`` when the workbook has no sheet for this roster. Sheets
    that are no roster of the contract are ignored and named in the batch's note.
    """
    facts = source_facts.entity(__file__, entity)
    return read_xlsx_sheet(path, facts["sheet"], source_facts.aliases(__file__, entity), known_sheets=roster_sheets())
