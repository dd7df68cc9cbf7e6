"""The city's reference data, delivered next to the departments' files (not truth).

No department delivers the grid register, yet the contract says every
address belongs to exactly one grid. The city's grid office keeps it; the
demo city writes it in ``reference/``:

- ``divisions.csv``: ``code, name, level, parent_code`` for the city, its
  districts, streets, communities (12-digit codes) and grids (15 digits);
- ``grid_register.csv``: ``community_code, estate, building, grid_code``:
  which buildings of which estate in which community form each grid (grids
  split a community into contiguous blocks of buildings, `simulator.city`).
"""

from __future__ import annotations

import csv
from pathlib import Path

REFERENCE_FOLDER = "reference"
DIVISION_COLUMNS = ("code", "name", "level", "parent_code")
GRID_REGISTER_COLUMNS = ("community_code", "estate", "building", "grid_code")


def write_reference(out_dir: Path, world) -> Path:
    """Write ``reference/divisions.csv`` and ``reference/grid_register.csv``; return the folder."""
    folder = Path(out_dir) / REFERENCE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    divisions, units = world.divisions, world.units
    with (folder / "divisions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(DIVISION_COLUMNS)
        writer.writerows((d.code, d.name, d.level, d.parent) for d in divisions.all())
    buildings = sorted(
        {
            (divisions.communities[int(c)].code, estate, str(int(b)), divisions.grids[int(g)].code)
            for c, estate, b, g in zip(units.community, units.estate, units.building, units.grid, strict=True)
        }
    )
    with (folder / "grid_register.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(GRID_REGISTER_COLUMNS)
        writer.writerows(buildings)
    return folder
