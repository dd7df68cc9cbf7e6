"""Warehouse URLs: DuckDB file paths follow SQLAlchemy's convention for file URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from sharehouse.settings import Warehouse


def test_three_slashes_name_a_file_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert Warehouse("duckdb:///.sharehouse/demo/warehouse.duckdb").duckdb_path == (
        tmp_path / ".sharehouse" / "demo" / "warehouse.duckdb"
    )


def test_four_slashes_name_an_absolute_file(tmp_path: Path) -> None:
    assert Warehouse(f"duckdb:///{tmp_path / 'w.duckdb'}").duckdb_path == tmp_path / "w.duckdb"
    assert Warehouse("duckdb:////srv/sharehouse/w.duckdb").duckdb_path == Path("/srv/sharehouse/w.duckdb")


def test_a_home_folder_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Warehouse("duckdb:///~/w.duckdb").duckdb_path == tmp_path / "w.duckdb"
