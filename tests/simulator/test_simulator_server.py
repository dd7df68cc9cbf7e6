"""The civil-affairs HTTP API."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator.server import CivilAffairsServer, serve_civil_affairs

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def death(number: int, updated_at: str) -> dict:
    return {
        "recordNo": f"SW2026{number:06d}",
        "idNo": "11010519491231002X",
        "name": "张伟",
        "deathDate": "2026-01-01",
        "place": "南京鼓楼医院",
        "updatedAt": updated_at,
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    # Written out of order; ties on updatedAt are broken by record number.
    records = [death(n, f"2026-0{1 + n % 3}-01T10:00:00") for n in range(1, 26)]
    (tmp_path / "deaths.json").write_text(json.dumps(records[::-1], ensure_ascii=False), encoding="utf-8")
    return tmp_path


@pytest.fixture
def server(data_dir: Path) -> Iterator[CivilAffairsServer]:
    with serve_civil_affairs(data_dir, token=TOKEN) as running:
        yield running


def get(server: CivilAffairsServer, path: str, headers: dict | None = None) -> httpx.Response:
    return httpx.get(server.base_url + path, headers=AUTH if headers is None else headers, timeout=5)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_server_answers_401_without_the_right_token(server: CivilAffairsServer, headers: dict) -> None:
    response = get(server, "/api/v1/deaths", headers)
    assert response.status_code == 401
    assert response.json() == {"code": 401, "msg": "unauthorized", "data": None}


def test_server_pages_through_records_in_update_order(server: CivilAffairsServer) -> None:
    pages = [get(server, f"/api/v1/deaths?page={p}&pageSize=10").json() for p in (1, 2, 3, 4)]
    assert all(page["code"] == 0 and page["msg"] == "ok" for page in pages)
    assert [page["data"]["total"] for page in pages] == [25] * 4
    assert [page["data"]["page"] for page in pages] == [1, 2, 3, 4]
    assert [len(page["data"]["records"]) for page in pages] == [10, 10, 5, 0]
    records = [r for page in pages for r in page["data"]["records"]]
    keys = [(r["updatedAt"], r["recordNo"]) for r in records]
    assert keys == sorted(keys) and len(set(keys)) == 25


def test_server_filters_by_updated_since(server: CivilAffairsServer) -> None:
    body = get(server, "/api/v1/deaths?pageSize=1000&updatedSince=2026-02-01T10:00:00").json()
    updated = [r["updatedAt"] for r in body["data"]["records"]]
    assert body["data"]["total"] == len(updated) == 17
    assert min(updated) == "2026-02-01T10:00:00"
    later = get(server, "/api/v1/deaths?updatedSince=2026-02-01T10:00:01").json()
    assert later["data"]["total"] == 8


def test_server_accepts_an_updated_since_with_an_offset(server: CivilAffairsServer) -> None:
    # 02:00 UTC is 10:00 in Beijing, the API's local time.
    body = get(server, "/api/v1/deaths?updatedSince=2026-02-01T02:00:00%2B00:00").json()
    assert body["data"]["total"] == 17


@pytest.mark.parametrize("query", ["pageSize=1001", "pageSize=0", "page=0", "page=x", "updatedSince=yesterday"])
def test_server_rejects_bad_parameters_with_an_error_envelope(server: CivilAffairsServer, query: str) -> None:
    response = get(server, f"/api/v1/deaths?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["data"] is None and body["msg"]


def test_server_answers_404_for_endpoints_without_a_file(server: CivilAffairsServer) -> None:
    response = get(server, "/api/v1/marriages")
    assert response.status_code == 404 and response.json()["code"] == 404


def test_server_serves_any_endpoint_file_in_its_folder(server: CivilAffairsServer, data_dir: Path) -> None:
    marriage = {"regNo": "JH1", "regType": "结婚", "updatedAt": "2026-03-01T09:00:00"}
    (data_dir / "marriages.json").write_text(json.dumps([marriage], ensure_ascii=False), encoding="utf-8")
    body = get(server, "/api/v1/marriages").json()
    assert body["data"] == {"total": 1, "page": 1, "records": [marriage]}


def test_server_answers_429_with_retry_after_when_rate_is_one(data_dir: Path) -> None:
    with serve_civil_affairs(data_dir, token=TOKEN, rate_429=1.0, retry_after=0) as server:
        response = get(server, "/api/v1/deaths")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "0"
    assert response.json()["code"] == 429


def test_server_sends_whole_seconds_in_retry_after_by_default(data_dir: Path) -> None:
    with serve_civil_affairs(data_dir, token=TOKEN, rate_429=1.0) as server:
        assert get(server, "/api/v1/deaths").headers["Retry-After"] == "1"
    with serve_civil_affairs(data_dir, token=TOKEN, rate_429=1.0, retry_after=0.05) as server:
        assert get(server, "/api/v1/deaths").headers["Retry-After"] == "0.05"


def test_server_answers_5xx_at_the_configured_rate(data_dir: Path) -> None:
    with serve_civil_affairs(data_dir, token=TOKEN, rate_5xx=1.0) as server:
        response = get(server, "/api/v1/deaths")
    assert response.status_code in {500, 502, 503}
    assert response.json()["code"] == response.status_code


def test_server_failures_repeat_for_the_same_seed(data_dir: Path) -> None:
    def statuses(seed: int) -> list[int]:
        with serve_civil_affairs(data_dir, token=TOKEN, rate_429=0.3, rate_5xx=0.2, seed=seed) as server:
            return [get(server, "/api/v1/deaths").status_code for _ in range(30)]

    first = statuses(5)
    assert first == statuses(5)
    assert {429, 200} <= set(first)


def test_server_shutdown_releases_the_port(data_dir: Path) -> None:
    server = serve_civil_affairs(data_dir, token=TOKEN)
    port = server.port
    assert server.base_url == f"http://127.0.0.1:{port}"
    server.shutdown()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_server_serves_a_simulated_city(tiny_city) -> None:
    with serve_civil_affairs(tiny_city.out_dir / "civil_affairs", token=TOKEN) as server:
        body = get(server, "/api/v1/deaths?pageSize=1000").json()
    assert body["data"]["total"] == tiny_city.delivered[("civil_affairs", "deaths")]


def test_server_fails_a_chosen_page_every_time(data_dir: Path) -> None:
    with serve_civil_affairs(data_dir, token=TOKEN, failing_pages={"deaths": [2]}) as server:
        first = get(server, "/api/v1/deaths?page=1&pageSize=10")
        failed = [get(server, "/api/v1/deaths?page=2&pageSize=10") for _ in range(3)]
        third = get(server, "/api/v1/deaths?page=3&pageSize=10")
    assert first.status_code == third.status_code == 200
    assert all(r.status_code == 500 and r.json()["code"] == 500 for r in failed)
    assert "page 2" in failed[0].json()["msg"]


def test_server_breaks_off_a_chosen_page_mid_way(data_dir: Path) -> None:
    with serve_civil_affairs(data_dir, token=TOKEN, truncated_pages={"deaths": [1]}) as server:
        with pytest.raises(httpx.HTTPError):
            get(server, "/api/v1/deaths?page=1&pageSize=10")
        assert get(server, "/api/v1/deaths?page=2&pageSize=10").status_code == 200


def test_server_serves_every_endpoint_of_a_simulated_city(tiny_city) -> None:
    with serve_civil_affairs(tiny_city.out_dir / "civil_affairs", token=TOKEN) as server:
        for endpoint, entity in (
            ("marriages", "marriages"), ("deaths", "deaths"), ("subsistence", "subsistence_cases"),
            ("organizations", "organizations"),
        ):
            body = get(server, f"/api/v1/{endpoint}?pageSize=1000").json()
            assert body["data"]["total"] == tiny_city.delivered[("civil_affairs", entity)]
