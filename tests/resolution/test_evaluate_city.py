"""`sharehouse evaluate` on a small simulated city: unit and organization resolution meet issue 5's targets.

The city is ingested department by department (no dbt: these tests are
about the identity schema), its reference data loaded, units and
organizations resolved, and the command's report read back. Runs on DuckDB
and on the real PostgreSQL.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest import sources as sources_file
from ingest.common.warehouse import connect
from ingest.reference.load import load_reference
from ingest.registry import DEPARTMENTS, load_dataset
from resolution.evaluate import evaluate
from resolution.organizations import resolve_org_mentions
from resolution.units import resolve_unit_mentions
from sharehouse import settings
from sharehouse.cli import main
from simulator.generate import simulate
from simulator.server import serve_civil_affairs
from simulator.sources_file import write_sources_file

# Issue 5, "Done when".
UNIT_ADDRESS_SHARE = 0.97
UNIT_LINK_PRECISION = 0.995
ORG_PRECISION = 0.995
ORG_RECALL = 0.99


@pytest.fixture(scope="module")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulate a 1,200-person city (a seed no resolution rule was tuned on)."""
    out = tmp_path_factory.mktemp("resolution_city")
    simulate(out, persons=1200, seed=5150)
    return out


def _ingest_and_resolve(city: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> settings.Warehouse:
    token = uuid.uuid4().hex
    monkeypatch.setenv("SHAREHOUSE_CIVIL_AFFAIRS_TOKEN", token)
    warehouse = settings.warehouse(url)
    with serve_civil_affairs(city / "civil_affairs", port=0, token=token) as server:
        sources = sources_file.load(write_sources_file(city / f"sources-{server.port}.toml", city, server.base_url))
        assert sources.reference is not None, "the simulator delivers the city's reference data"
        for department in DEPARTMENTS:
            for dataset in department.datasets:
                load_dataset(sources, warehouse, department, dataset, secret=settings.person_key_secret(),
                             extracted_at=datetime(2026, 11, 1))
    with connect(warehouse) as connection:
        load_reference(connection, sources.reference.folder)
        resolve_unit_mentions(connection, settings.person_key_secret())
        resolve_org_mentions(connection, settings.person_key_secret())
    return warehouse


def _assert_targets(report: dict) -> None:
    addresses = report["addresses"]
    assert addresses["addresses"] > 500, "the city gives enough addresses to measure"
    assert addresses["address_linked_share"] >= UNIT_ADDRESS_SHARE, addresses
    assert addresses["address_link_precision"] >= UNIT_LINK_PRECISION, addresses
    assert report["units"]["precision"] >= UNIT_LINK_PRECISION, report["units"]
    organizations = report["organizations"]
    assert organizations["true_pairs"] > 100
    assert organizations["precision"] >= ORG_PRECISION, organizations
    assert organizations["recall"] >= ORG_RECALL, organizations


def test_evaluate_reports_unit_and_organization_targets_met_on_duckdb(
    small_city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = _ingest_and_resolve(small_city, f"duckdb:///{tmp_path / 'w.duckdb'}", monkeypatch)
    result = CliRunner().invoke(main, ["evaluate", "--truth", str(small_city / "truth"), "--warehouse", warehouse.url])
    assert result.exit_code == 0, result.output
    rows = {m.group(1): [float(v) for v in m.group(2, 3, 4)]
            for m in re.finditer(r"^(persons|units|organizations)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", result.output, re.M)}
    assert set(rows) == {"persons", "units", "organizations"}
    share, precision = re.search(r"linked to the right unit: ([\d.]+)%.*link precision ([\d.]+)", result.output).groups()
    assert float(share) / 100 >= UNIT_ADDRESS_SHARE and float(precision) >= UNIT_LINK_PRECISION
    assert rows["organizations"][0] >= ORG_PRECISION and rows["organizations"][1] >= ORG_RECALL
    with connect(warehouse) as connection:
        _assert_targets(evaluate(connection, small_city / "truth"))
        # Every unit mention linked to a unit is on a grid, and grids are real grids.
        unplaced = connection.scalar(
            "select count(*) from identity.unit_mentions where unit_key is not null and grid_code is null"
        )
        unknown_grids = connection.scalar(
            "select count(*) from identity.unit_mentions m where grid_code is not null and not exists "
            "(select 1 from reference.divisions d where d.code = m.grid_code and d.level = 'grid')"
        )
    assert unplaced == 0 and unknown_grids == 0


@pytest.mark.postgres
def test_unit_and_organization_resolution_on_postgres_is_idempotent_and_meets_targets(
    small_city: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = _ingest_and_resolve(small_city, postgres_url, monkeypatch)
    with connect(warehouse) as connection:
        before = connection.query(
            "select role, evidence, count(*) as n, count(distinct unit_key) as units, count(grid_code) as placed "
            "from identity.unit_mentions group by role, evidence order by role, evidence"
        )
        again = resolve_unit_mentions(connection, settings.person_key_secret())
        resolve_org_mentions(connection, settings.person_key_secret())
        after = connection.query(
            "select role, evidence, count(*) as n, count(distinct unit_key) as units, count(grid_code) as placed "
            "from identity.unit_mentions group by role, evidence order by role, evidence"
        )
        report = evaluate(connection, small_city / "truth")
    assert before.equals(after), "resolving again changes nothing"
    assert again["evidence_rule_address_components"] > 0
    _assert_targets(report)


def test_evaluate_help_documents_every_option_and_refuses_a_folder_without_truth(tmp_path: Path) -> None:
    help_text = CliRunner().invoke(main, ["evaluate", "--help"]).output
    for option in ("--truth", "--warehouse", "--help"):
        assert option in help_text
    result = CliRunner().invoke(main, ["evaluate", "--truth", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a simulator truth folder" in result.output
