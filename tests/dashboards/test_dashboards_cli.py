"""`sharehouse dashboards`: every command documents itself; prod refuses development secrets."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sharehouse.cli import main

COMMANDS = [["dashboards"], ["dashboards", "install"], ["dashboards", "bootstrap"], ["dashboards", "serve"],
            ["dashboards", "add-user"], ["dashboards", "check"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_dashboards_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Options:" in result.output


def test_bootstrap_in_prod_refuses_the_development_secret_key_before_installing_anything(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv("SHAREHOUSE_ENV", "prod")
    monkeypatch.setenv("SHAREHOUSE_SUPERSET_VENV", str(tmp_path / "venv"))
    monkeypatch.delenv("SUPERSET_SECRET_KEY", raising=False)
    result = CliRunner().invoke(main, ["dashboards", "bootstrap", "--warehouse", "postgresql://reader@db:5432/sharehouse"])
    assert result.exit_code == 1
    assert "SUPERSET_SECRET_KEY is not set" in result.output
    assert not (tmp_path / "venv").exists()


def test_bootstrap_in_prod_refuses_the_development_admin_password(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SHAREHOUSE_ENV", "prod")
    monkeypatch.setenv("SHAREHOUSE_SUPERSET_VENV", str(tmp_path / "venv"))
    monkeypatch.setenv("SUPERSET_SECRET_KEY", "a-real-secret-from-the-vault")
    monkeypatch.delenv("SUPERSET_ADMIN_PASSWORD", raising=False)
    result = CliRunner().invoke(main, ["dashboards", "bootstrap"])
    assert result.exit_code == 1
    assert "SUPERSET_ADMIN_PASSWORD is not set" in result.output


def test_check_reports_that_the_dashboards_fit_the_warehouse(marts_warehouse) -> None:
    result = CliRunner().invoke(main, ["dashboards", "check", "--warehouse", marts_warehouse.url])
    assert result.exit_code == 0, result.output
    assert (
        "population_housing 「人口与房屋」: 10 charts over marts.mart_housing_grid, marts.mart_population_flows_monthly, "
        "marts.mart_population_monthly"
    ) in result.output
    assert "security_trends 「治安态势」: 7 charts over marts.mart_justice_monthly, marts.mart_security_trend_monthly" in result.output


def test_check_names_every_misfit_without_a_traceback(build_marts_warehouse) -> None:
    target = build_marts_warehouse("w.duckdb", "alter table marts.mart_population_monthly drop column age_band")
    result = CliRunner().invoke(main, ["dashboards", "check", "--warehouse", target.url])
    assert result.exit_code == 1
    assert "has no column age_band" in result.output
    assert "Traceback" not in result.output


def test_check_on_a_missing_warehouse_says_to_run_the_pipeline(tmp_path) -> None:
    result = CliRunner().invoke(main, ["dashboards", "check", "--warehouse", f"duckdb:///{tmp_path / 'none.duckdb'}"])
    assert result.exit_code == 1
    assert "run the pipeline first" in result.output
