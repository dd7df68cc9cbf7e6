"""Superset for real: bootstrap it on a simulated city's warehouse and open every dashboard in Chromium.

The pipeline runs on a simulated city (2,000 persons: enough that most
population cells are above the suppression threshold), ``sharehouse
dashboards`` bootstraps Superset in its own virtual environment (cached in
``.superset/venv``; built with uv in seconds from its cache) and serves it
on a free loopback port; a ``leadership`` user logs in with headless
Chromium, opens every dashboard of the bundle and every chart must draw data:
no error box, no empty state, and every chart data request answers rows
with figures (not only suppressed nulls or zeros).
Screenshots go to ``test-artifacts/dashboards/``.

Needs Chromium (``apt-get install chromium``; ``SHAREHOUSE_CHROMIUM`` names
another binary) and, to see Chinese, a CJK font (``fonts-noto-cjk``). Off CI,
the test is skipped when Chromium is missing or Superset's environment has
not been built yet (``./dev dashboards install``); under CI (``CI=true``)
both must be there.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest

from dashboards import bundle
from dashboards.bootstrap import DEVELOPMENT_ADMIN_PASSWORD, DEVELOPMENT_ADMIN_USER, Superset, find_uv
from orchestration.runner import run_pipeline
from sharehouse import settings
from simulator.config import SimulationConfig
from simulator.generate import simulate_config
from simulator.server import serve_civil_affairs
from simulator.sources_file import write_sources_file

pytestmark = [pytest.mark.superset, pytest.mark.browser]

HERE = Path(__file__).parent
ARTIFACTS = settings.REPO_ROOT / "test-artifacts" / "dashboards"
PLAYWRIGHT_VENV = settings.REPO_ROOT / ".superset" / "playwright-venv"
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# 2,000 persons keep most population cells above the suppression threshold
# (measured: 2,459 of 2,688 cells shown). Six months of deliveries, without
# injected noise, keep the pipeline run short (the ingest cost is per batch, and
# the housing department delivers one file a day); the marts still span their
# 24 months because registrations reach back years. The quality gate has its
# own tests; here the point is what the dashboards show.
CITY_PERSONS = 2_000
CITY_MONTHS = 6
# A city of 2,000 has about 10 police incidents, one mediation case and three
# persons under correction a month (simulator/config.py's real-world rates):
# every cell of the security and justice marts would be suppressed and their
# charts would draw nothing for the wrong reason. This busy city has the case
# load of a 1,000,000-person city's district squeezed into 2,000 persons, so
# that most district x month x type cells clear the minimum count.
BUSY_CITY_RATES = {
    "annual_incident_rate": 1.5,
    "annual_mediation_rate": 2.5,
    "corrections_share_of_adults": 0.1,
    "group_rental_share": 0.3,
}


def _unavailable(reason: str) -> None:
    if UNDER_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _chromium() -> str:
    chromium = os.environ.get("SHAREHOUSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        _unavailable("Chromium is not installed (apt-get install chromium fonts-noto-cjk); CI runs this test")
    return str(chromium)


def _playwright_python() -> Path:
    """Return a Python with Playwright: a test-only environment built from requirements-browser.txt."""
    if os.environ.get("SHAREHOUSE_PLAYWRIGHT_PYTHON"):
        return Path(os.environ["SHAREHOUSE_PLAYWRIGHT_PYTHON"])
    requirements = HERE / "requirements-browser.txt"
    stamp = PLAYWRIGHT_VENV / ".requirements.sha256"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    python = PLAYWRIGHT_VENV / "bin" / "python"
    if not (python.exists() and stamp.exists() and stamp.read_text().strip() == digest):
        base = getattr(sys, "_base_executable", sys.executable)
        uv = find_uv()
        if uv:
            subprocess.run([uv, "venv", "--quiet", "--clear", "--python", base, str(PLAYWRIGHT_VENV)], check=True, capture_output=True)
            install = [uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(requirements)]
        else:
            subprocess.run([base, "-m", "venv", "--clear", str(PLAYWRIGHT_VENV)], check=True, capture_output=True)
            install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)]
        subprocess.run(install, check=True, capture_output=True)
        stamp.write_text(digest + "\n")
    return python


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServedSuperset:
    base_url: str
    superset: Superset
    warehouse: settings.Warehouse
    leadership_user: str
    leadership_password: str
    timings: dict[str, float]


@pytest.fixture(scope="module")
def served_superset(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSuperset]:
    """Run the pipeline on a simulated city, bootstrap Superset on its warehouse and serve it."""
    chromium = _chromium()
    superset = Superset(home=tmp_path_factory.mktemp("superset_home") / "superset", progress=lambda line: None)
    if not superset.venv_is_current() and not UNDER_CI:
        _unavailable(f"Superset's environment {superset.venv} is not built: run `./dev dashboards install` once")
    timings: dict[str, float] = {}
    home = superset.home.parent
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SHAREHOUSE_HOME", str(home))
        env.setenv("DAGSTER_HOME", str(home / "dagster"))
        env.setenv("SHAREHOUSE_CHROMIUM", chromium)
        env.delenv("SHAREHOUSE_SUPERSET_URL", raising=False)
        (home / "dagster").mkdir(parents=True, exist_ok=True)

        started = time.perf_counter()
        city = home / "city"
        simulate_config(city, SimulationConfig(
            persons=CITY_PERSONS, seed=20261124, months=CITY_MONTHS, noise="none", **BUSY_CITY_RATES
        ))
        token = uuid.uuid4().hex
        env.setenv("SHAREHOUSE_CIVIL_AFFAIRS_TOKEN", token)
        warehouse = settings.Warehouse(f"duckdb:///{home / 'warehouse.duckdb'}")
        with serve_civil_affairs(city / "civil_affairs", port=0, token=token) as server:
            sources = write_sources_file(city / "sources.toml", city, server.base_url)
            report = run_pipeline(sources, warehouse.url)
        assert report.success, report.failures + report.failed_checks
        with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as connection:
            cells, shown = connection.execute(
                "select count(*), count(resident_count) from marts.mart_population_monthly"
            ).fetchone()
            district_cells, district_shown = connection.execute(
                "select count(*), count(incident_count) from marts.mart_security_trend_monthly where place_level = 'district'"
            ).fetchone()
        # Most cells must survive suppression, or the charts would be empty for the wrong reason.
        assert cells > 0 and shown / cells > 0.8, (cells, shown)
        assert district_cells > 0 and district_shown / district_cells > 0.5, (district_cells, district_shown)
        timings["pipeline"] = time.perf_counter() - started

        started = time.perf_counter()
        superset.bootstrap(warehouse)
        password = secrets.token_urlsafe(12)
        superset.add_user("leader", "leadership", password)
        timings["bootstrap"] = time.perf_counter() - started

        started = time.perf_counter()
        port = _free_port()
        process = superset.start(port=port)
        timings["start"] = time.perf_counter() - started
        try:
            yield ServedSuperset(f"http://127.0.0.1:{port}", superset, warehouse, "leader", password, timings)
        finally:
            process.terminate()
            process.wait(timeout=60)


def test_leadership_sees_every_dashboard_draw_every_chart_with_data(served_superset: ServedSuperset) -> None:
    dashboards = bundle.load().dashboards()
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    command = [str(_playwright_python()), str(HERE / "browser_check.py"), "--base-url", served_superset.base_url,
               "--username", served_superset.leadership_user, "--out", str(ARTIFACTS)]
    for dashboard in dashboards:
        command += ["--dashboard", f"{dashboard.slug}:{len(dashboard.charts)}"]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600,
                               env={**os.environ, "SHAREHOUSE_BROWSER_PASSWORD": served_superset.leadership_password})
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads(completed.stdout)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings = {**served_superset.timings, "browser": time.perf_counter() - started}
    (ARTIFACTS / "report.json").write_text(json.dumps({**report, "timings": timings}, ensure_ascii=False, indent=2), encoding="utf-8")

    assert [d["slug"] for d in report["dashboards"]] == [d.slug for d in dashboards]
    for dashboard, seen in zip(dashboards, report["dashboards"], strict=True):
        assert seen["status"] == 200
        assert seen["title"] == dashboard.title
        assert sorted(chart["title"] for chart in seen["charts"]) == sorted(c.config["slice_name"] for c in dashboard.charts)
        for chart in seen["charts"]:
            assert not chart["loading"], f"{dashboard.slug}: {chart['title']} is still loading"
            assert chart["errors"] == [], f"{dashboard.slug}: {chart['title']} shows an error"
            assert chart["empty"] == [], f"{dashboard.slug}: {chart['title']} shows no data"
            assert chart["drawn"], f"{dashboard.slug}: {chart['title']} drew nothing"
        chart_requests = [r for r in seen["data_requests"] if r.get("slice_id") is not None]
        assert len({r["slice_id"] for r in chart_requests}) == len(dashboard.charts)
        for request in seen["data_requests"]:
            assert request["status"] == 200 and all(count > 0 for count in request["rowcounts"]), request
        # A chart of suppressed cells answers rows of nulls and draws bare axes:
        # every chart must show figures, not only rows.
        for request in chart_requests:
            assert any(figures > 0 for figures in request["figures"]), f"{dashboard.slug}: chart {request} shows no figure"
        assert Path(seen["screenshot"]).stat().st_size > 10_000
    # leadership views dashboards only: no SQL Lab, no Explore, no dataset or database lists
    assert set(report["forbidden"].values()) == {403}, report["forbidden"]
    # the content security policy keeps the browser on the server (Superset's analytics pixel is refused)
    assert report["outside_requests"] == []


def test_the_dashboard_asset_reimports_into_a_running_superset(
    served_superset: ServedSuperset, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dagster as dg

    from orchestration.defs.dashboards.assets import DASHBOARD_ASSETS

    monkeypatch.setenv("SHAREHOUSE_HOME", str(served_superset.superset.home.parent))
    monkeypatch.setenv("SHAREHOUSE_WAREHOUSE_URL", served_superset.warehouse.url)
    monkeypatch.setenv("SHAREHOUSE_SUPERSET_URL", served_superset.base_url)
    with httpx.Client(base_url=served_superset.base_url, timeout=60) as client:
        login = client.post("/api/v1/security/login", json={
            "username": DEVELOPMENT_ADMIN_USER, "password": DEVELOPMENT_ADMIN_PASSWORD, "provider": "db", "refresh": False})
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}", "Referer": served_superset.base_url}
        datasets = client.get("/api/v1/dataset/", headers=headers, params={"q": "(page_size:100)"})
        datasets.raise_for_status()
        (dataset_id,) = [d["id"] for d in datasets.json()["result"] if d["table_name"] == "mart_population_monthly"]

        def is_cached() -> bool:
            response = client.post("/api/v1/chart/data", headers=headers, json={
                "datasource": {"id": dataset_id, "type": "table"},
                "queries": [{"columns": ["district_name"], "metrics": ["residents"], "row_limit": 10}]})
            response.raise_for_status()
            return response.json()["result"][0]["is_cached"]

        # Superset caches chart data (superset_config.py): a query asked twice is answered from the cache ...
        is_cached()
        assert is_cached()
        result = dg.materialize(DASHBOARD_ASSETS)
        # ... until a re-import after the marts were rebuilt: then it queries them again.
        assert not is_cached()
    assert result.success
    metadata = result.asset_materializations_for_node("dashboards__population_housing")[0].metadata
    assert metadata["superset"].value == f"{served_superset.base_url}/superset/dashboard/population_housing/"
