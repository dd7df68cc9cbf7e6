"""Checking dashboards against a real warehouse, and publishing the marts Superset reads."""

from __future__ import annotations

import copy
import dataclasses
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from dashboards import bundle, warehouse
from sharehouse import settings

POPULATION = bundle.load().dashboard("population_housing")


def test_the_population_dashboard_fits_a_warehouse_with_its_mart(marts_warehouse: settings.Warehouse) -> None:
    with warehouse.reader(marts_warehouse) as reader:
        assert warehouse.check_dashboard(POPULATION, reader) == []


@pytest.mark.parametrize("dashboard", bundle.load().dashboards(), ids=lambda d: d.slug)
def test_every_dashboard_fits_a_warehouse_with_the_marts_dbt_builds(dashboard: bundle.Dashboard, marts_warehouse: settings.Warehouse) -> None:
    # fixtures/marts.sql holds each mart with its dbt contract's columns and
    # types: every calculated column, metric and chart SQL must compile there.
    with warehouse.reader(marts_warehouse) as reader:
        assert warehouse.check_dashboard(dashboard, reader) == []


def test_a_missing_mart_column_is_named(build_marts_warehouse) -> None:
    target = build_marts_warehouse("w.duckdb", "alter table marts.mart_population_monthly drop column arrival_count")
    with warehouse.reader(target) as reader:
        problems = warehouse.check_dashboard(POPULATION, reader)
    assert problems == [
        "datasets/sharehouse_marts/mart_population_monthly.yaml: marts.mart_population_monthly has no column arrival_count"
    ]


def test_a_missing_mart_is_named(build_marts_warehouse) -> None:
    target = build_marts_warehouse("w.duckdb", "drop table marts.mart_population_monthly")
    with warehouse.reader(target) as reader:
        problems = warehouse.check_dashboard(POPULATION, reader)
    assert problems == [
        "datasets/sharehouse_marts/mart_population_monthly.yaml: table marts.mart_population_monthly does not exist in the warehouse"
    ]


def test_a_metric_or_calculated_column_that_does_not_compile_is_named(marts_warehouse: settings.Warehouse) -> None:
    dataset = POPULATION.datasets[0]
    config = copy.deepcopy(dataset.config)
    config["metrics"].append({"metric_name": "households", "expression": "SUM(household_count)"})
    config["columns"].append({"column_name": "community_code", "expression": "LEFT(division_code, 12, 'x')"})
    broken = dataclasses.replace(POPULATION, datasets=[bundle.Asset(dataset.path, config)])
    with warehouse.reader(marts_warehouse) as reader:
        problems = warehouse.check_dashboard(broken, reader)
    assert [p.split(":")[1].strip() for p in problems] == ["column community_code", "metric households"], problems


def test_publishing_copies_only_the_analytics_marts(marts_warehouse: settings.Warehouse, tmp_path: Path) -> None:
    published = warehouse.publish_marts(marts_warehouse, tmp_path / "published.duckdb", required=["mart_population_monthly"])
    analytics_marts = [
        "mart_data_quality", "mart_housing_grid", "mart_justice_monthly", "mart_population_flows_monthly",
        "mart_population_monthly", "mart_security_trend_monthly",
    ]
    assert published.tables == analytics_marts
    assert published.uri == f"duckdb:///{tmp_path / 'published.duckdb'}?access_mode=read_only"
    with duckdb.connect(str(published.path), read_only=True) as copy:
        tables = copy.execute("select table_schema || '.' || table_name from information_schema.tables order by 1").fetchall()
        assert tables == [(f"marts.{table}",) for table in analytics_marts], "no dim_person, no identity"
        assert copy.execute("select sum(resident_count) from marts.mart_population_monthly").fetchone() == (41,)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published.duckdb", "warehouse.duckdb"], "no partial file left behind"


def test_publishing_replaces_the_copy_while_a_reader_still_holds_the_old_one(marts_warehouse: settings.Warehouse, tmp_path: Path) -> None:
    target = tmp_path / "published.duckdb"
    warehouse.publish_marts(marts_warehouse, target)
    with duckdb.connect(str(target), read_only=True) as old_reader:
        with duckdb.connect(str(marts_warehouse.duckdb_path)) as writer:
            writer.execute("update marts.mart_population_monthly set resident_count = 100 where resident_count = 12")
        warehouse.publish_marts(marts_warehouse, target)
        assert old_reader.execute("select sum(resident_count) from marts.mart_population_monthly").fetchone() == (41,)
    with duckdb.connect(str(target), read_only=True) as new_reader:
        assert new_reader.execute("select sum(resident_count) from marts.mart_population_monthly").fetchone() == (129,)


def test_publishing_refuses_a_warehouse_without_the_marts_the_dashboards_read(build_marts_warehouse, tmp_path: Path) -> None:
    target = build_marts_warehouse("w.duckdb", "drop table marts.mart_population_monthly")
    with pytest.raises(FileNotFoundError, match="marts.mart_population_monthly"):
        warehouse.publish_marts(target, tmp_path / "published.duckdb", required=["mart_population_monthly"])


def test_publishing_waits_for_a_writer_then_says_the_warehouse_is_busy(
    marts_warehouse: settings.Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process (a pipeline run) holds the write lock for longer than we wait.
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            connection = duckdb.connect({str(marts_warehouse.duckdb_path)!r})
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(warehouse, "LOCK_WAIT_SECONDS", 2.0)
        started = time.monotonic()
        with pytest.raises(warehouse.WarehouseBusy, match="stayed locked by another process"):
            warehouse.publish_marts(marts_warehouse, tmp_path / "published.duckdb")
        assert time.monotonic() - started >= 2.0
        assert not (tmp_path / "published.duckdb").exists()
    finally:
        holder.kill()
        holder.wait()


def test_superset_reads_postgres_through_its_own_reader_role(monkeypatch: pytest.MonkeyPatch) -> None:
    target = settings.Warehouse("postgresql://pipeline@db:5432/sharehouse")
    monkeypatch.delenv("SHAREHOUSE_SUPERSET_WAREHOUSE_URL", raising=False)
    assert warehouse.marts_uri(target) == "postgresql://pipeline@db:5432/sharehouse"
    monkeypatch.setenv("SHAREHOUSE_SUPERSET_WAREHOUSE_URL", "postgresql://superset_reader@db:5432/sharehouse")
    assert warehouse.marts_uri(target) == "postgresql://superset_reader@db:5432/sharehouse"


@pytest.mark.postgres
def test_the_population_dashboard_fits_the_mart_on_postgres(postgres_url: str) -> None:
    import psycopg2

    statements = (Path(__file__).parent / "fixtures" / "marts.sql").read_text(encoding="utf-8")
    with psycopg2.connect(postgres_url) as connection, connection.cursor() as cursor:
        cursor.execute(statements)
    with warehouse.reader(settings.Warehouse(postgres_url)) as reader:
        assert warehouse.check_dashboard(POPULATION, reader) == []
