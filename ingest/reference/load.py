"""Load the city's divisions and grid register into ``reference`` (see README.md).

Plain Python, no Dagster: ``orchestration/defs/resolution/grids.py`` calls
:func:`load_reference`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.common.warehouse import WarehouseConnection

log = logging.getLogger(__name__)

DIVISIONS_FILE = "divisions.csv"
GRID_REGISTER_FILE = "grid_register.csv"
DIVISION_COLUMNS = ("code", "name", "level", "parent_code")
GRID_BUILDING_COLUMNS = ("community_code", "estate", "building", "grid_code")
#: Levels, top down, with the length of their codes.
LEVELS = {"city": 12, "district": 12, "street": 12, "community": 12, "grid": 15}
_PARENT_LEVEL = {"district": "city", "street": "district", "community": "street", "grid": "community"}


class ReferenceDataError(ValueError):
    """A reference file is missing, unreadable or has a bad row; nothing was loaded."""


@dataclass(frozen=True)
class ReferenceCounts:
    """What a load wrote."""

    divisions: int
    grids: int
    grid_buildings: int


def _read(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    if not path.is_file():
        raise ReferenceDataError(f"{path}: missing")
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, UnicodeDecodeError) as error:
        raise ReferenceDataError(f"{path}: not a readable UTF-8 CSV file ({error})") from error
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    # Line 1 is the header, so the first data row is line 2.
    return frame.select(
        *(pl.col(column).str.strip_chars() for column in columns)
    ).with_row_index("_line", offset=2)


def _refuse(path: Path, bad: pl.DataFrame, rule: str) -> None:
    if bad.height:
        first = bad.row(0, named=True)
        shown = {key: value for key, value in first.items() if key != "_line"}
        raise ReferenceDataError(
            f"{path}, line {first['_line']}: {rule} ({shown}); {bad.height} row(s) break this rule, nothing loaded"
        )


def read_divisions(path: Path) -> pl.DataFrame:
    """Read and check ``divisions.csv``.

    Raises:
        ReferenceDataError: naming the first bad row and the rule it breaks.
    """
    frame = _read(path, DIVISION_COLUMNS)
    _refuse(path, frame.filter(pl.any_horizontal(pl.col(c).is_null() for c in ("code", "name", "level"))),
            "code, name and level are required")
    _refuse(path, frame.filter(~pl.col("level").is_in(list(LEVELS))), f"level must be one of {', '.join(LEVELS)}")
    length = pl.col("level").replace_strict(LEVELS, default=None, return_dtype=pl.Int64)
    _refuse(path, frame.filter(~pl.col("code").str.contains(r"^\d+$") | (pl.col("code").str.len_chars() != length)),
            "code must be 12 digits (15 for a grid)")
    _refuse(path, frame.filter(pl.col("code").is_duplicated()), "code must be unique")
    parents = frame.select(pl.col("code").alias("parent_code"), pl.col("level").alias("_parent_level"))
    linked = frame.join(parents, on="parent_code", how="left").with_columns(
        pl.col("level").replace_strict(_PARENT_LEVEL, default=None, return_dtype=pl.Utf8).alias("_expected")
    )
    _refuse(path, linked.filter((pl.col("level") == "city") & pl.col("parent_code").is_not_null()),
            "the city has no parent")
    _refuse(path, linked.filter((pl.col("level") != "city") & (pl.col("_parent_level") != pl.col("_expected")).fill_null(True))
            .select("_line", *DIVISION_COLUMNS),
            "parent_code must be a known division one level up")
    _refuse(path, frame.filter((pl.col("level") == "grid") & (pl.col("code").str.slice(0, 12) != pl.col("parent_code"))),
            "a grid's code is its community's code + 3 digits")
    return frame.sort("_line").drop("_line")


def read_grid_buildings(path: Path, divisions: pl.DataFrame) -> pl.DataFrame:
    """Read and check ``grid_register.csv`` against the divisions.

    Raises:
        ReferenceDataError: naming the first bad row and the rule it breaks.
    """
    frame = _read(path, GRID_BUILDING_COLUMNS)
    _refuse(path, frame.filter(pl.any_horizontal(pl.col(c).is_null() for c in ("community_code", "estate", "grid_code"))),
            "community_code, estate and grid_code are required")
    grids = divisions.filter(pl.col("level") == "grid").select(pl.col("code").alias("grid_code"), pl.col("parent_code").alias("_grid_community"))
    joined = frame.join(grids, on="grid_code", how="left")
    _refuse(path, joined.filter(pl.col("_grid_community").is_null()).select("_line", *GRID_BUILDING_COLUMNS),
            "grid_code must be a grid of divisions.csv")
    _refuse(path, joined.filter(pl.col("_grid_community") != pl.col("community_code")).select("_line", *GRID_BUILDING_COLUMNS),
            "the grid must belong to the building's community")
    _refuse(path, frame.filter(pl.struct("community_code", "estate", "building").is_duplicated()),
            "a building belongs to exactly one grid")
    return frame.sort("_line").drop("_line")


def ensure_reference_tables(connection: WarehouseConnection) -> None:
    """Create ``reference.divisions`` and ``reference.grid_buildings`` empty if missing (dbt reads both)."""
    connection.ensure_table("reference", "divisions", pl.DataFrame(schema={c: pl.Utf8 for c in DIVISION_COLUMNS}))
    connection.ensure_table("reference", "grid_buildings", pl.DataFrame(schema={c: pl.Utf8 for c in GRID_BUILDING_COLUMNS}))


def load_reference(connection: WarehouseConnection, folder: Path) -> ReferenceCounts:
    """Check both files, then replace ``reference.divisions`` and ``reference.grid_buildings``.

    Raises:
        ReferenceDataError: a file is missing or a row is bad; the tables are unchanged.
    """
    folder = Path(folder)
    divisions = read_divisions(folder / DIVISIONS_FILE)
    buildings = read_grid_buildings(folder / GRID_REGISTER_FILE, divisions)
    ensure_reference_tables(connection)
    for table, frame in (("divisions", divisions), ("grid_buildings", buildings)):
        connection.execute(f"delete from reference.{table}")
        connection.append("reference", table, frame)
    connection.commit()
    counts = ReferenceCounts(
        divisions=divisions.height,
        grids=divisions.filter(pl.col("level") == "grid").height,
        grid_buildings=buildings.height,
    )
    log.info("reference: %d divisions (%d grids), %d grid buildings", counts.divisions, counts.grids, counts.grid_buildings)
    return counts


def read_reference_tables(connection: WarehouseConnection) -> tuple[pl.DataFrame | None, pl.DataFrame | None]:
    """Return ``reference.divisions`` and ``reference.grid_buildings``, ``None`` where absent or empty."""
    out = []
    for table in ("divisions", "grid_buildings"):
        frame = connection.read_table("reference", table) if connection.table_exists("reference", table) else None
        out.append(frame if frame is not None and frame.height else None)
    return out[0], out[1]
