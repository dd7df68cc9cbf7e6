"""Police tables loaded into a real PostgreSQL database as the source database."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import psycopg2
import pytest

from simulator.deliveries.police import load_police_into_postgres
from simulator.generate import SimulationResult, simulate

pytestmark = pytest.mark.postgres


def sqlite_tables(path: Path) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(path)
    try:
        names = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f"SELECT * FROM {name} ORDER BY ID").fetchall() for name in names}
    finally:
        connection.close()


def postgres_tables(url: str, names: list[str]) -> dict[str, list[tuple]]:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            out = {}
            for name in names:
                cursor.execute(f'SELECT * FROM "{name}" ORDER BY "ID"')
                out[name] = cursor.fetchall()
            return out
    finally:
        connection.close()


def test_simulate_loads_the_police_tables_into_postgres(postgres_url: str, tmp_path: Path) -> None:
    result: SimulationResult = simulate(tmp_path / "out", persons=300, seed=3, police_database_url=postgres_url)
    sources = tomllib.loads(result.sources_file.read_text(encoding="utf-8"))
    assert sources["police"]["database_url"] == postgres_url
    expected = sqlite_tables(result.out_dir / "police" / "police.sqlite")
    assert set(expected) == {"HJRK", "LDRK", "JQ"}
    assert postgres_tables(postgres_url, list(expected)) == expected


def test_loading_again_replaces_the_tables_with_the_same_columns(
    postgres_url: str, tiny_city: SimulationResult
) -> None:
    path = tiny_city.out_dir / "police" / "police.sqlite"
    load_police_into_postgres(path, postgres_url)
    assert load_police_into_postgres(path, postgres_url) == postgres_url
    connection = psycopg2.connect(postgres_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
            )
            columns = cursor.fetchall()
    finally:
        connection.close()
    sqlite = sqlite3.connect(path)
    try:
        expected = [
            (table, row[1], "bigint" if row[1] == "ID" else "text")
            for table in sorted(("HJRK", "LDRK", "JQ"))
            for row in sqlite.execute(f"PRAGMA table_info({table})")
        ]
    finally:
        sqlite.close()
    assert columns == expected
    assert postgres_tables(postgres_url, ["HJRK", "LDRK", "JQ"]) == sqlite_tables(path)
