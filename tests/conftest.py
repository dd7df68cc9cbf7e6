"""Fixtures shared across the suite: PostgreSQL databases and tiny delivery sets.

DuckDB needs nothing. Tests marked ``postgres`` use the server on
127.0.0.1:5432 (trust auth) and create and drop their own database. Under CI
(``CI=true``) an unreachable server is an error; on a developer machine
without PostgreSQL those tests are skipped with a reason saying so.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PG_ADMIN_URL = os.environ.get("SHAREHOUSE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's local state (Dagster home, default warehouse) out of the checkout."""
    home = tmp_path_factory.mktemp("sharehouse_home")
    monkeypatch.setenv("SHAREHOUSE_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    (home / "dagster").mkdir()


def _admin_connection():
    connection = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    connection.autocommit = True
    return connection


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """Create a fresh PostgreSQL database for one test and drop it afterwards."""
    try:
        admin = _admin_connection()
    except psycopg2.OperationalError as error:
        if UNDER_CI:
            raise
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({error}); CI runs these tests")
    name = f"sharehouse_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


@pytest.fixture
def handmade_deliveries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Serve the hand-made delivery set (not simulator output) and return its sources file.

    Builds the police SQLite file from its SQL script, serves the civil-affairs
    records from a real loopback HTTP server with a bearer token, and writes a
    sources file by hand around the housing and justice folders.
    """
    from simulator.server import serve_civil_affairs

    source = FIXTURES / "handmade"
    for folder in ("housing", "justice", "civil_affairs"):
        shutil.copytree(source / folder, tmp_path / folder)
    database = tmp_path / "police.sqlite"
    with sqlite3.connect(database) as connection:
        connection.executescript((source / "police" / "hjrk.sql").read_text(encoding="utf-8"))
    token = uuid.uuid4().hex
    monkeypatch.setenv("HANDMADE_CIVIL_TOKEN", token)
    with serve_civil_affairs(tmp_path / "civil_affairs", port=0, token=token) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            (source / "sources.toml").read_text(encoding="utf-8")
            + f'\n[police]\ndatabase_url = "sqlite:///{database}"\n'
            + f'\n[civil_affairs]\nbase_url = "{server.base_url}"\ntoken_env = "HANDMADE_CIVIL_TOKEN"\n',
            encoding="utf-8",
        )
        yield sources
