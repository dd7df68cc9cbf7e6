"""The Dagster dashboard assets: one per dashboard, downstream of its marts, runnable without Superset."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from dashboards import bundle
from orchestration.defs.dashboards.assets import DASHBOARD_ASSETS
from sharehouse import settings


def _asset(slug: str) -> dg.AssetsDefinition:
    return next(asset for asset in DASHBOARD_ASSETS if asset.key == dg.AssetKey(["dashboards", slug]))


def test_one_asset_per_dashboard_downstream_of_the_marts_its_yaml_reads() -> None:
    dashboards = bundle.load().dashboards()
    assert sorted(asset.key.to_user_string() for asset in DASHBOARD_ASSETS) == sorted(f"dashboards/{d.slug}" for d in dashboards)
    for dashboard in dashboards:
        asset = _asset(dashboard.slug)
        spec = next(iter(asset.specs))
        assert spec.group_name == "dashboards"
        assert {dep.asset_key for dep in spec.deps} == {dg.AssetKey([schema, table]) for schema, table in dashboard.marts}


def test_each_dashboard_is_downstream_of_the_marts_it_reads() -> None:
    expected = {
        "population_housing": ["mart_housing_grid", "mart_population_flows_monthly", "mart_population_monthly"],
        "security_trends": ["mart_justice_monthly", "mart_security_trend_monthly"],
        "justice_mediation_corrections": ["mart_justice_monthly"],
        "data_quality": ["mart_data_quality"],
    }
    for slug, marts in expected.items():
        spec = next(iter(_asset(slug).specs))
        assert {dep.asset_key for dep in spec.deps} == {dg.AssetKey(["marts", mart]) for mart in marts}, slug


def test_materializing_checks_the_warehouse_and_publishes_without_a_superset(
    marts_warehouse: settings.Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREHOUSE_WAREHOUSE_URL", marts_warehouse.url)
    monkeypatch.delenv("SHAREHOUSE_SUPERSET_URL", raising=False)
    result = dg.materialize(DASHBOARD_ASSETS)
    assert result.success
    metadata = result.asset_materializations_for_node("dashboards__population_housing")[0].metadata
    published = Path(metadata["published_marts"].value)
    assert published == settings.home() / "superset" / "published_marts.duckdb" and published.exists()
    assert "SHAREHOUSE_SUPERSET_URL is not set" in metadata["superset"].value


def test_materializing_fails_and_names_the_problem_when_a_mart_column_is_gone(
    build_marts_warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = build_marts_warehouse("w.duckdb", "alter table marts.mart_population_monthly drop column departure_count")
    monkeypatch.setenv("SHAREHOUSE_WAREHOUSE_URL", target.url)
    result = dg.materialize(DASHBOARD_ASSETS, raise_on_error=False)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert "has no column departure_count" in failure.event_specific_data.error.message
