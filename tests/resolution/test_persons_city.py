"""Person resolution on a small simulated city meets issue 5's accuracy, on DuckDB and PostgreSQL.

The city's seed is one no rule was tuned on (tuning used seed 101 at 20,000
persons); the thresholds are issue 5's.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest

from ingest import sources as sources_file
from ingest.common.warehouse import connect
from ingest.registry import DEPARTMENTS, load_dataset
from resolution.pairwise import pairwise_scores, truth_mentions, warehouse_mention_keys
from resolution.persons import resolve_persons
from sharehouse import settings
from simulator.generate import simulate
from simulator.server import serve_civil_affairs
from simulator.sources_file import write_sources_file

PRECISION = 0.999
RECALL = 0.998


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Simulate a 3,000-person city at the default noise."""
    out = tmp_path_factory.mktemp("persons_city")
    simulate(out, persons=3000, seed=4242)
    return out


def _ingest(city: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> settings.Warehouse:
    token = uuid.uuid4().hex
    monkeypatch.setenv("SHAREHOUSE_CIVIL_AFFAIRS_TOKEN", token)
    warehouse = settings.warehouse(url)
    with serve_civil_affairs(city / "civil_affairs", port=0, token=token) as server:
        sources = sources_file.load(write_sources_file(city / f"sources-{server.port}.toml", city, server.base_url))
        for department in DEPARTMENTS:
            for dataset in department.datasets:
                load_dataset(sources, warehouse, department, dataset, secret=settings.person_key_secret(),
                             extracted_at=datetime(2026, 11, 1))
    return warehouse


def _check(city: Path, warehouse: settings.Warehouse) -> None:
    truth = truth_mentions(city / "truth" / "person_mentions.csv", "person_id")
    with connect(warehouse) as connection:
        before = pairwise_scores(
            warehouse_mention_keys(connection.read_table("identity", "person_mentions"), "person_key"), truth
        )
        summary = resolve_persons(connection)
        mentions = connection.read_table("identity", "person_mentions")
    assert summary.linked_to_keyed > 20, "the city has mentions to link"
    assert mentions["person_key"].null_count() == 0
    kinds = set(mentions["evidence"].str.extract(r"^(rule|match|new)").to_list())
    assert {"rule", "match"} <= kinds <= {"rule", "match", "new"}
    scores = pairwise_scores(warehouse_mention_keys(mentions, "person_key"), truth)
    assert scores["true_pairs"] > 5000
    assert scores["precision"] >= PRECISION, scores
    assert scores["recall"] >= RECALL, scores
    assert scores["recall"] > before["recall"] + 0.01, "linkage adds recall to the deterministic keys"


@pytest.mark.slow
def test_person_resolution_meets_the_accuracy_targets_on_duckdb(
    city: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(city, _ingest(city, f"duckdb:///{tmp_path / 'city.duckdb'}", monkeypatch))


@pytest.mark.slow
@pytest.mark.postgres
def test_person_resolution_meets_the_accuracy_targets_on_postgres(
    city: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(city, _ingest(city, postgres_url, monkeypatch))
