"""Every broken-delivery kind of the contract: a clear error or quarantined rows, no crash, nothing lost.

Contract section 5 lists: a truncated file, a wrong encoding, an empty file,
an Excel file with an extra sheet, an API page that fails mid-way. The files
are ``tests/fixtures/broken`` (see its README.md); the API failure is the real
loopback server answering 503 for its second page.

Policy for a truncated file: its complete rows load, and the row it ends in
the middle of stays in raw as received and is quarantined with the reason
``truncated row``. Refusing the whole file would hold back rows that are fine
until the department re-sends it; quarantining keeps the cut row visible,
releasable and counted in the ledger.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from ingest_deliveries import BROKEN, load_entity, query

from ingest.common.http import RetryPolicy
from sharehouse.settings import Warehouse
from simulator.server import CivilAffairsServer, Response

TOKEN = "broken-test-token"


class SecondPageFails(CivilAffairsServer):
    """The real civil-affairs server, except that page 2 always answers 503."""

    def handle(self, target: str, authorization: str | None) -> Response:
        if "page=2&" in target + "&":
            return Response(503, {"code": 503, "msg": "service unavailable", "data": None})
        return super().handle(target, authorization)


def _deaths(count: int) -> list[dict]:
    start = datetime(2026, 1, 1)
    return [
        {
            "recordNo": f"SW{number:08d}",
            "idNo": "330106196005150153",
            "name": "卫东",
            "deathDate": "2026-01-01",
            "place": "杭州市殡仪馆",
            "updatedAt": (start + timedelta(minutes=number)).isoformat(),
        }
        for number in range(1, count + 1)
    ]


@pytest.fixture
def broken_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copytree(BROKEN / "housing", tmp_path / "housing")
    shutil.copytree(BROKEN / "justice", tmp_path / "justice")
    api = tmp_path / "civil_affairs"
    api.mkdir()
    (api / "deaths.json").write_text(json.dumps(_deaths(1500), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("BROKEN_CIVIL_TOKEN", TOKEN)
    with SecondPageFails(api, port=0, token=TOKEN) as server:
        path = tmp_path / "sources.toml"
        path.write_text(
            '[housing]\nfolder = "housing"\n\n[justice]\nfolder = "justice"\n\n'
            f'[civil_affairs]\nbase_url = "{server.base_url}"\ntoken_env = "BROKEN_CIVIL_TOKEN"\n',
            encoding="utf-8",
        )
        yield path


def test_every_broken_delivery_is_refused_or_quarantined_and_accounted_for(
    broken_sources: Path, duckdb_warehouse: Warehouse
) -> None:
    retry = RetryPolicy(attempts=2, backoff_seconds=0.0, sleep=lambda seconds: None)
    outcomes = [
        *load_entity(broken_sources, duckdb_warehouse, "house_units"),
        *load_entity(broken_sources, duckdb_warehouse, "community_corrections"),
        *load_entity(broken_sources, duckdb_warehouse, "deaths", retry=retry),
    ]
    by_batch = {outcome.batch_id: outcome for outcome in outcomes}

    # A truncated file: the two complete rows load, the cut row is quarantined.
    truncated = by_batch["房屋基础信息_增量_20260110.csv"]
    assert (truncated.status, truncated.rows_delivered, truncated.rows_loaded, truncated.rows_quarantined) == (
        "loaded", 3, 2, 1,
    )
    # A wrong encoding, an empty file, mixed encodings: refused, saying why.
    assert by_batch["房屋基础信息_增量_20260111.csv"].message == (
        "房屋基础信息_增量_20260111.csv: not decodable as UTF-8 or GBK (illegal multibyte sequence at byte 37)"
    )
    assert by_batch["房屋基础信息_增量_20260112.csv"].message == "房屋基础信息_增量_20260112.csv: the file is empty"
    assert by_batch["房屋基础信息_增量_20260113.csv"].message == (
        "房屋基础信息_增量_20260113.csv: wrong encoding: mixed encodings: line 3 is UTF-8 while the rest of "
        "the file is GBK; refused so that no value is misread"
    )
    # A row with one field too many in the middle of a file: quarantined, the
    # rest loads (its first row repeats one the 1-10 file already delivered).
    malformed = by_batch["房屋基础信息_增量_20260114.csv"]
    assert (malformed.rows_delivered, malformed.rows_loaded, malformed.rows_quarantined, malformed.rows_duplicate) == (
        3, 1, 1, 1,
    )
    # An Excel file with an extra sheet loads; the extra sheet is ignored and named.
    extra_sheet = by_batch["下城区司法名册_202605.xlsx#社区矫正"]
    assert (extra_sheet.status, extra_sheet.rows_loaded) == ("loaded", 1)
    assert extra_sheet.message == "ignored sheet(s) outside the contract: 统计; 1 total row(s) dropped"
    # An Excel file cut off in transfer is refused.
    assert by_batch["下城区司法名册_202606.xlsx#社区矫正"].message.startswith(
        "下城区司法名册_202606.xlsx: not a readable .xlsx workbook"
    )
    # An API page failing mid-way: refused, nothing loaded, the next run reads again.
    (api_call,) = [outcome for outcome in outcomes if outcome.source_entity == "deaths"]
    assert api_call.status == "refused"
    assert "page 2: still failing after 2 attempts (HTTP 503); 1000 records had been read" in api_call.message

    statuses = {outcome.batch_id: outcome.status for outcome in outcomes}
    assert sorted(statuses.values()).count("refused") == 5

    ledger = query(
        duckdb_warehouse,
        "select source_entity, batch_id, rows_delivered, rows_loaded, rows_quarantined, rows_duplicate, status "
        "from ops.batch_log",
    )
    assert ledger.height == len(outcomes)
    for entity, batch, delivered, loaded, quarantined, duplicate, status in ledger.rows():
        if status == "loaded":
            assert delivered == loaded + quarantined + duplicate, batch
            raw = query(
                duckdb_warehouse,
                f"select count(*) from raw_{'housing' if entity == 'house_units' else 'justice'}.{entity} "
                "where _batch_id = :batch",
                {"batch": batch},
            ).item()
            assert raw == delivered, batch

    quarantined = query(
        duckdb_warehouse,
        "select batch_id, source_row, rule, reason, original_values from quarantine.quarantined_rows order by batch_id",
    )
    assert quarantined.select("batch_id", "source_row", "rule").rows() == [
        ("房屋基础信息_增量_20260110.csv", 3, "raw.house_units.delivery:truncated_row"),
        ("房屋基础信息_增量_20260114.csv", 2, "raw.house_units.delivery:malformed_row"),
    ]
    reason, original = quarantined.row(0)[3:]
    assert reason.startswith("truncated row: the file ends inside data row 3")
    # The cut row is kept as delivered, up to the cut.
    assert json.loads(original)["owner_id_number"] == "330106"


def test_a_broken_file_is_read_again_once_the_department_replaces_it(
    broken_sources: Path, duckdb_warehouse: Warehouse
) -> None:
    load_entity(broken_sources, duckdb_warehouse, "house_units")
    folder = broken_sources.parent / "housing"
    empty = folder / "房屋基础信息_增量_20260112.csv"
    empty.write_bytes(
        "房屋编码,行政区划代码,小区名称,坐落地址,楼栋号,单元号,楼层,房号,建筑面积,房屋用途,产权人证件号,产权人名称,变更时间\r\n"
        "FW330102000021,330102003002,东坡花园,东坡花园6栋1单元101室,6,1,1,101,70,住宅,,,2026-01-12 09:00:00\r\n".encode("gbk")
    )

    again = load_entity(broken_sources, duckdb_warehouse, "house_units")

    # Refused batches are not "loaded", so the replaced file loads; the
    # undecodable ones are refused again and loaded ones are not re-read.
    assert {(o.batch_id, o.status) for o in again} == {
        ("房屋基础信息_增量_20260111.csv", "refused"),
        ("房屋基础信息_增量_20260112.csv", "loaded"),
        ("房屋基础信息_增量_20260113.csv", "refused"),
    }
    assert query(
        duckdb_warehouse, "select status from ops.batch_log where batch_id = '房屋基础信息_增量_20260112.csv'"
    ).rows() == [("loaded",)]
