"""The civil-affairs connector against the real loopback API, with 429s and 5xx injected.

The server is the simulator's (``simulator.server``), started per test with
its failure rates; retries are made instant by injecting a ``RetryPolicy``
whose ``sleep`` only records how long it was asked to wait.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from ingest_deliveries import load_entity, query

from ingest.common import watermarks
from ingest.common.http import RetryPolicy, fetch_all
from ingest.common.warehouse import connect
from sharehouse.settings import Warehouse
from simulator.server import CivilAffairsServer, Response, serve_civil_affairs

TOKEN = "civil-test-token"


def _marriages(count: int) -> list[dict]:
    start = datetime(2026, 1, 1, 8, 0)
    return [
        {
            "regNo": f"JH{number:08d}",
            "regType": "结婚" if number % 3 else "离婚",
            "regDate": (start + timedelta(hours=number)).date().isoformat(),
            "maleIdNo": "330102198007070070",
            "maleName": "孙伟",
            "femaleIdNo": "330102198208080080",
            "femaleName": "钱丽",
            "office": "上城区婚姻登记处",
            "updatedAt": (start + timedelta(minutes=number)).isoformat(),
        }
        for number in range(1, count + 1)
    ]


@pytest.fixture
def api_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "civil_affairs"
    folder.mkdir()
    (folder / "marriages.json").write_text(json.dumps(_marriages(1200), ensure_ascii=False), encoding="utf-8")
    return folder


def _sources(tmp_path: Path, base_url: str, monkeypatch: pytest.MonkeyPatch, token: str = TOKEN) -> Path:
    monkeypatch.setenv("CIVIL_TEST_TOKEN", token)
    path = tmp_path / "sources.toml"
    path.write_text(f'[civil_affairs]\nbase_url = "{base_url}"\ntoken_env = "CIVIL_TEST_TOKEN"\n', encoding="utf-8")
    return path


class Recorder:
    """A ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def test_every_record_arrives_through_429s_and_5xx(api_folder: Path) -> None:
    recorder = Recorder()
    retry = RetryPolicy(attempts=12, backoff_seconds=0.001, sleep=recorder)
    with serve_civil_affairs(api_folder, port=0, token=TOKEN, rate_429=0.25, rate_5xx=0.2, seed=7, retry_after=0) as server:
        records = fetch_all(server.base_url, "/api/v1/marriages", token=TOKEN, page_size=50, retry=retry)

    assert len(records) == 1200
    assert len({record["regNo"] for record in records}) == 1200
    assert recorder.waits, "the injected failures were retried"


def test_retry_after_is_honoured(api_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    retry = RetryPolicy(attempts=12, backoff_seconds=0.001, sleep=recorder)
    target = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with serve_civil_affairs(api_folder, port=0, token=TOKEN, rate_429=0.5, seed=3, retry_after=0.25) as server:
        outcomes = load_entity(_sources(tmp_path, server.base_url, monkeypatch), target, "marriages", retry=retry)

    assert [(o.status, o.rows_delivered, o.rows_loaded) for o in outcomes] == [("loaded", 1200, 1200)]
    # Only 429s were injected: every wait is the server's Retry-After, not the backoff.
    assert recorder.waits and set(recorder.waits) == {0.25}


class FailingPages(CivilAffairsServer):
    """The real server, except that the pages listed in ``failing`` always answer 503."""

    failing: set[int] = set()

    def handle(self, target: str, authorization: str | None) -> Response:
        page = int(parse_qs(urlsplit(target).query).get("page", ["1"])[0])
        if page in self.failing:
            return Response(503, {"code": 503, "msg": "service unavailable", "data": None})
        return super().handle(target, authorization)


def test_a_page_that_keeps_failing_refuses_the_batch_and_the_next_run_resumes(
    api_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    retry = RetryPolicy(attempts=3, backoff_seconds=0.001, sleep=Recorder())
    with FailingPages(api_folder, port=0, token=TOKEN) as server:
        sources = _sources(tmp_path, server.base_url, monkeypatch)
        server.failing = {2}  # page 1 (1000 records) is read, page 2 never is
        failed = load_entity(sources, target, "marriages", retry=retry)

        assert [o.status for o in failed] == ["refused"]
        assert "/api/v1/marriages page 2: still failing after 3 attempts (HTTP 503)" in failed[0].message
        assert "1000 records had been read" in failed[0].message
        assert "the next run reads again from the first record" in failed[0].message
        assert query(target, "select status, rows_loaded from ops.batch_log").rows() == [("refused", 0)]
        assert query(target, "select count(*) from raw_civil_affairs.marriages").item() == 0
        with connect(target) as connection:
            assert watermarks.get(connection, "civil_affairs", "marriages") is None

        server.failing = set()
        resumed = load_entity(sources, target, "marriages", retry=retry)

    assert [(o.status, o.rows_delivered, o.rows_loaded) for o in resumed] == [("loaded", 1200, 1200)]
    assert query(target, "select count(distinct registration_number) from clean_civil_affairs.marriages").item() == 1200
    with connect(target) as connection:
        assert watermarks.get(connection, "civil_affairs", "marriages") == "2026-01-02T04:00:00"  # 08:00 + 1200 minutes


def test_a_refused_token_is_a_clear_error_and_loads_nothing(
    api_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with serve_civil_affairs(api_folder, port=0, token=TOKEN) as server:
        sources = _sources(tmp_path, server.base_url, monkeypatch, token="not-the-token")
        outcomes = load_entity(sources, target, "marriages")

    assert [o.status for o in outcomes] == ["refused"]
    assert outcomes[0].message.startswith(
        "/api/v1/marriages: HTTP 401: the token was refused; check the environment variable named by token_env"
    )
    assert query(target, "select count(*) from raw_civil_affairs.marriages").item() == 0


def test_each_endpoint_reads_its_own_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "civil_affairs"
    folder.mkdir()
    for name in ("deaths", "marriages", "subsistence", "organizations"):
        source = Path(__file__).parents[2] / "fixtures" / "all_entities" / "civil_affairs" / f"{name}.json"
        (folder / f"{name}.json").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    target = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with serve_civil_affairs(folder, port=0, token=TOKEN) as server:
        sources = _sources(tmp_path, server.base_url, monkeypatch)
        delivered = {
            entity: [o.rows_delivered for o in load_entity(sources, target, entity)]
            for entity in ("deaths", "marriages", "subsistence_cases", "organizations")
        }

    assert delivered == {"deaths": [1], "marriages": [4], "subsistence_cases": [2], "organizations": [4]}
