"""Fixtures for the ingest tests: hand-made deliveries of every source entity, and warehouses.

``tests/fixtures/all_entities`` holds one small, ugly delivery per source
entity of the contract (see its README.md). ``all_entities_sources`` serves it
the way the departments do: the police tables in an SQLite file built from
``police.sql``, the civil-affairs records from the real loopback HTTP server,
and the housing and justice folders as dropped.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_deliveries import ALL_ENTITIES

from sharehouse.settings import Warehouse


@pytest.fixture
def all_entities_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Serve every department's hand-made deliveries and return the sources file."""
    from simulator.server import serve_civil_affairs

    for folder in ("housing", "justice", "civil_affairs"):
        shutil.copytree(ALL_ENTITIES / folder, tmp_path / folder)
    database = tmp_path / "police.sqlite"
    with sqlite3.connect(database) as connection:
        connection.executescript((ALL_ENTITIES / "police" / "police.sql").read_text(encoding="utf-8"))
    token = uuid.uuid4().hex
    monkeypatch.setenv("ALL_ENTITIES_CIVIL_TOKEN", token)
    with serve_civil_affairs(tmp_path / "civil_affairs", port=0, token=token) as server:
        path = tmp_path / "sources.toml"
        path.write_text(
            '[housing]\nfolder = "housing"\n\n[justice]\nfolder = "justice"\n\n'
            f'[police]\ndatabase_url = "sqlite:///{database}"\n\n'
            f'[civil_affairs]\nbase_url = "{server.base_url}"\ntoken_env = "ALL_ENTITIES_CIVIL_TOKEN"\n',
            encoding="utf-8",
        )
        yield path


@pytest.fixture
def duckdb_warehouse(tmp_path: Path) -> Warehouse:
    """Return an empty embedded warehouse in the test's folder."""
    return Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
