"""`sharehouse run` end to end on a tiny simulated city, checked against the simulator's truth.

The simulator's manifest says how many rows each source delivered; every one
must land in raw and be accounted for in the ledger as loaded, quarantined or
duplicate; staging holds one row per loaded record and the marts are built.
Exact addresses stay in the restricted schemas. Runs on embedded DuckDB and
on the real PostgreSQL.
"""

from __future__ import annotations

import csv
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from ingest.common.warehouse import WarehouseConnection, connect
from orchestration.runner import run_pipeline
from sharehouse import settings
from simulator.generate import simulate
from simulator.server import serve_civil_affairs
from simulator.sources_file import write_sources_file

# Schemas that may hold exact addresses (shared-model.md, "Identity and
# privacy"): identity, and raw and quarantine as delivered.
RESTRICTED_SCHEMAS = ("identity", "quarantine")
RESTRICTED_PREFIX = "raw_"
SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")
# An address key as ingest.common.addresses.address_match_key writes it:
# exactly four parts, estate|building|entrance|room, some possibly empty.
# (The security mart's place_key joins nine parts and is not an address.)
ADDRESS_KEY_PATTERN = "%|%|%|%"
LONGER_PATTERN = "%|%|%|%|%"

RAW_TABLES = {
    ("police", "household_residents"): "raw_police.household_residents",
    ("civil_affairs", "deaths"): "raw_civil_affairs.deaths",
    ("housing", "house_units"): "raw_housing.house_units",
    ("justice", "community_corrections"): "raw_justice.community_corrections",
}


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulate a 400-person city once for this module."""
    out = tmp_path_factory.mktemp("tiny_city")
    simulate(out, persons=400, seed=20261124)
    return out


@pytest.fixture
def served_city(tiny_city: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Serve the tiny city's civil-affairs API and return a sources file pointing at it."""
    token = uuid.uuid4().hex
    monkeypatch.setenv("SHAREHOUSE_CIVIL_AFFAIRS_TOKEN", token)
    with serve_civil_affairs(tiny_city / "civil_affairs", port=0, token=token) as server:
        yield write_sources_file(tiny_city / f"sources-{server.port}.toml", tiny_city, server.base_url)


def _delivered_by_table(truth_dir: Path) -> Counter:
    delivered: Counter = Counter()
    with open(truth_dir / "manifest.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table = RAW_TABLES.get((row["source_system"], row["source_entity"]))
            if table:
                delivered[table] += int(row["rows_delivered"])
    return delivered


def _assert_city_accounted_for(url: str, truth_dir: Path) -> None:
    delivered = _delivered_by_table(truth_dir)
    assert set(delivered) == set(RAW_TABLES.values()), "the simulator delivers all four departments"
    with connect(settings.Warehouse(url)) as connection:
        for table, rows in delivered.items():
            assert connection.scalar(f"select count(*) from {table}") == rows, table
            system, entity = table.removeprefix("raw_").split(".")
            ledger = connection.query(
                "select sum(rows_delivered) as delivered, sum(rows_loaded) as loaded, "
                "sum(rows_quarantined) as quarantined, sum(rows_duplicate) as duplicate "
                "from ops.batch_log where source_system = :system and source_entity = :entity",
                {"system": system, "entity": entity},
            ).row(0, named=True)
            assert ledger["delivered"] == rows
            assert ledger["loaded"] + ledger["quarantined"] + ledger["duplicate"] == rows
            assert ledger["loaded"] == connection.scalar(f"select count(*) from clean_{system}.{entity}")
            assert ledger["quarantined"] == connection.scalar(
                "select count(*) from quarantine.quarantined_rows where source_system = :system and source_entity = :entity",
                {"system": system, "entity": entity},
            )
        # staging keeps the latest version of each police record
        assert connection.scalar("select count(*) from staging.stg_police__household_residents") == connection.scalar(
            "select count(distinct record_id) from clean_police.household_residents"
        )
        # one dim_person row per pseudonymous person any source knows
        assert connection.scalar("select count(*) from marts.dim_person") == connection.scalar(
            "select count(distinct person_key) from identity.person_mentions"
        )
        # the population mart has every month of the simulated span
        assert connection.scalar("select count(distinct month_start_date) from marts.mart_population_monthly") == 24
        assert connection.scalar("select sum(resident_count) from marts.mart_population_monthly") > 0


def _assert_no_exact_address_outside_identity(url: str) -> None:
    """No column outside identity, raw and quarantine is an address key by name or by value."""
    # Opened without connect(): its upgrade drops retired address columns,
    # which would hide one that a regression wrote again.
    connection = WarehouseConnection(settings.Warehouse(url))
    try:
        columns = connection.query(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, ordinal_position"
        ).filter(
            ~pl.col("table_schema").is_in([*RESTRICTED_SCHEMAS, *SYSTEM_SCHEMAS])
            & ~pl.col("table_schema").str.starts_with(RESTRICTED_PREFIX)
        )
        assert columns.filter(pl.col("table_schema").str.starts_with("clean_")).height > 0, "the run wrote clean tables"
        named = columns.filter(pl.col("column_name").str.contains("match_key"))
        assert named.rows() == [], "address match keys outside the identity schema"
        texts = columns.filter(pl.col("data_type").str.to_lowercase().is_in(["varchar", "character varying", "text"]))
        shaped = []
        for (schema, table), group in texts.group_by("table_schema", "table_name", maintain_order=True):
            names = group["column_name"].to_list()
            counts = connection.query(
                "select " + ", ".join(
                    f'sum(case when "{name}" like :pattern and "{name}" not like :longer then 1 else 0 end) as "{name}"'
                    for name in names
                ) + f' from "{schema}"."{table}"',
                {"pattern": ADDRESS_KEY_PATTERN, "longer": LONGER_PATTERN},
            ).row(0, named=True)
            shaped += [(schema, table, name, count) for name, count in counts.items() if count]
        assert shaped == [], "values shaped like estate|building|entrance|room outside the identity schema"
    finally:
        connection.close()


def test_run_accounts_for_every_row_and_keeps_exact_addresses_in_identity_on_duckdb(served_city: Path, tiny_city: Path, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    report = run_pipeline(served_city, url)
    assert report.success, report.failures + report.failed_checks
    _assert_city_accounted_for(url, tiny_city / "truth")
    _assert_no_exact_address_outside_identity(url)


@pytest.mark.postgres
def test_run_accounts_for_every_row_and_keeps_exact_addresses_in_identity_on_postgres(served_city: Path, tiny_city: Path, postgres_url: str) -> None:
    report = run_pipeline(served_city, postgres_url)
    assert report.success, report.failures + report.failed_checks
    _assert_city_accounted_for(postgres_url, tiny_city / "truth")
    _assert_no_exact_address_outside_identity(postgres_url)
