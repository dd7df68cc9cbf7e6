"""The reference loader: the city's divisions and grid register, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.common.warehouse import connect
from ingest.reference.load import ReferenceDataError, load_reference, read_reference_tables
from sharehouse import settings

DIVISIONS = """code,name,level,parent_code
320100000000,南京市,city,
320102000000,玄武区,district,320100000000
320102001000,梅园街道,street,320102000000
320102001001,兰园社区,community,320102001000
320102001001001,第1网格,grid,320102001001
320102001001002,第2网格,grid,320102001001
"""
GRID_REGISTER = """community_code,estate,building,grid_code
320102001001,兰园小区,1,320102001001001
320102001001,兰园小区,2,320102001001002
"""


def _write(folder: Path, divisions: str = DIVISIONS, grid_register: str = GRID_REGISTER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "divisions.csv").write_text(divisions, encoding="utf-8")
    (folder / "grid_register.csv").write_text(grid_register, encoding="utf-8")
    return folder


def test_load_reference_writes_divisions_and_grid_buildings_and_replaces_them(tmp_path: Path) -> None:
    warehouse = settings.warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with connect(warehouse) as connection:
        counts = load_reference(connection, _write(tmp_path / "ref"))
        counts = load_reference(connection, _write(tmp_path / "ref"))
        divisions, grid_buildings = read_reference_tables(connection)
    assert (counts.divisions, counts.grids, counts.grid_buildings) == (6, 2, 2)
    assert divisions.columns == ["code", "name", "level", "parent_code"]
    assert divisions.height == 6, "a second load replaces, never doubles"
    assert divisions.filter(divisions["level"] == "city")["parent_code"].to_list() == [None]
    assert sorted(grid_buildings["grid_code"].to_list()) == ["320102001001001", "320102001001002"]


BAD_DIVISIONS = [
    # header = line 1, six good rows, one more good grid row (line 8): the bad row is line 9
    ("320102001001004,第4网格,block,320102001001", 9, "level must be one of"),
    ("32010200100,短社区,community,320102001000", 9, "12 digits"),
    ("320102001002,梅园社区,community,320102009000", 9, "known division one level up"),
    ("320102001002,梅园社区,community,320102000000", 9, "known division one level up"),
    ("320102001002001,第1网格,grid,320102001001", 9, r"community.s code \+ 3 digits"),
    # a duplicate is reported at its first line
    ("320102001001,兰园社区,community,320102001000", 5, "unique"),
    (",无名,community,320102001000", 9, "required"),
]


@pytest.mark.parametrize(("row", "line", "rule"), BAD_DIVISIONS, ids=[case[2] for case in BAD_DIVISIONS])
def test_a_bad_division_row_refuses_the_load_naming_line_and_rule(tmp_path: Path, row: str, line: int, rule: str) -> None:
    warehouse = settings.warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with connect(warehouse) as connection:
        load_reference(connection, _write(tmp_path / "good"))
        with pytest.raises(ReferenceDataError, match=rule) as raised:
            load_reference(connection, _write(tmp_path / "bad", divisions=DIVISIONS + "320102001001003,第3网格,grid,320102001001\n" + row + "\n"))
        assert f"divisions.csv, line {line}:" in str(raised.value)
        divisions, _ = read_reference_tables(connection)
    assert divisions.height == 6, "a refused load leaves the previous reference in place"


BAD_GRID_ROWS = [
    ("320102001001,兰园小区,3,320102001001009", "grid of divisions.csv"),
    ("320102001002,兰园小区,3,320102001001001", "belong to the building's community"),
    ("320102001001,兰园小区,1,320102001001002", "exactly one grid"),
    ("320102001001,,3,320102001001001", "required"),
]


@pytest.mark.parametrize(("row", "rule"), BAD_GRID_ROWS, ids=[case[1] for case in BAD_GRID_ROWS])
def test_a_bad_grid_register_row_refuses_the_load(tmp_path: Path, row: str, rule: str) -> None:
    warehouse = settings.warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    with connect(warehouse) as connection, pytest.raises(ReferenceDataError, match=rule):
        load_reference(connection, _write(tmp_path / "bad", grid_register=GRID_REGISTER + row + "\n"))


def test_missing_or_unreadable_files_are_clear_errors(tmp_path: Path) -> None:
    warehouse = settings.warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}")
    folder = _write(tmp_path / "ref")
    (folder / "grid_register.csv").unlink()
    with connect(warehouse) as connection:
        with pytest.raises(ReferenceDataError, match="grid_register.csv: missing"):
            load_reference(connection, folder)
        (folder / "grid_register.csv").write_bytes("community_code,estate\n".encode("gbk"))
        with pytest.raises(ReferenceDataError, match="missing column"):
            load_reference(connection, folder)
