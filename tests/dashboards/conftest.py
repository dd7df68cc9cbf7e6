"""Fixtures of the dashboards tests: a hand-made DuckDB warehouse with the marts the dashboards read."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sharehouse import settings

FIXTURES = Path(__file__).parent / "fixtures"


def build_warehouse(path: Path, *extra_statements: str) -> settings.Warehouse:
    """Write ``fixtures/marts.sql`` (then any extra statements) into a new DuckDB file."""
    with duckdb.connect(str(path)) as connection:
        connection.execute((FIXTURES / "marts.sql").read_text(encoding="utf-8"))
        for statement in extra_statements:
            connection.execute(statement)
    return settings.Warehouse(f"duckdb:///{path}")


@pytest.fixture
def build_marts_warehouse(tmp_path: Path):
    """Return a function that writes the hand-made warehouse, then extra statements, to ``tmp_path/NAME``."""
    return lambda name, *extra: build_warehouse(tmp_path / name, *extra)


@pytest.fixture
def marts_warehouse(tmp_path: Path) -> settings.Warehouse:
    """A DuckDB warehouse holding marts.mart_population_monthly, marts.dim_person and identity.person_mentions."""
    return build_warehouse(tmp_path / "warehouse.duckdb")
