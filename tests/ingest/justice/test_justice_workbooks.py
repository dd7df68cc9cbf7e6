"""Justice workbooks: merged titles, header rows, total rows, Excel dates, extra and missing sheets.

The main workbook is ``tests/fixtures/all_entities/justice/上城区司法名册_202604.xlsx``:
three roster sheets, each with a merged title in row 1, headers in row 2 and a
合计 row at the end, plus a 说明 notes sheet outside the contract. Dates come as
Excel date cells, as serial numbers in number cells and as serials in text.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from ingest_deliveries import ALL_ENTITIES, load_entity

from ingest.justice.clean import clean_mediation_cases, clean_resettlement_cases
from ingest.common.mentions import UnitMention, unit_mention_rows
from ingest.justice.extract import delivered_workbooks, read_roster
from ingest.justice.schema import MEDIATION_CASES, RESETTLEMENT_CASES
from sharehouse.settings import Warehouse

WORKBOOK = ALL_ENTITIES / "justice" / "上城区司法名册_202604.xlsx"


def _unit_mentions(cleaned: pl.DataFrame, record_key: str, mention: UnitMention) -> pl.DataFrame:
    """Return the identity.unit_mentions rows ingest would write for one batch of cleaned rows."""
    batch = cleaned.with_columns(pl.lit(WORKBOOK.name).alias("_batch_id"))
    return unit_mention_rows(batch, record_key, mention, b"test-secret")


def test_justice_finds_the_header_under_the_merged_title_and_drops_the_total_row() -> None:
    batch = read_roster(WORKBOOK, "mediation_cases")

    assert batch.batch_id == "上城区司法名册_202604.xlsx#人民调解"
    assert batch.frame["case_number"].to_list() == ["TJ2026-0001", "TJ2026-0002", None]
    assert batch.frame["_source_row"].to_list() == [1, 2, 3]
    assert "合计" not in str(batch.frame.rows())
    assert batch.note == "ignored sheet(s) outside the contract: 说明; 1 total row(s) dropped"


def test_justice_reads_excel_dates_from_date_cells_numbers_and_text() -> None:
    mediation = clean_mediation_cases(read_roster(WORKBOOK, "mediation_cases").frame.lazy()).collect()
    resettlement = clean_resettlement_cases(read_roster(WORKBOOK, "resettlement_cases").frame.lazy()).collect()

    # 受理日期: a date cell, then the text 2026/3/5; 结案日期: the number 46100.
    assert mediation["accepted_date"].to_list()[:2] == [dt.date(2026, 3, 2), dt.date(2026, 3, 5)]
    assert mediation["closed_date"].to_list()[0] == dt.date(2026, 3, 19)
    # 释放日期: the serial as text ("45717"), then as a number (45658).
    assert resettlement["release_date"].to_list()[:2] == [dt.date(2025, 3, 1), dt.date(2025, 1, 1)]


def test_justice_parses_parties_into_aligned_names_ids_and_phones() -> None:
    mediation = clean_mediation_cases(read_roster(WORKBOOK, "mediation_cases").frame.lazy()).collect()

    first, second, third = mediation.select("party_names", "party_id_numbers", "party_phones").rows()
    assert first == (["张三", "李四"], ["330102199001010012", None], [None, "+8613800001111"])
    # full-width parentheses; 赵六 gives no contact at all
    assert second == (["王五", "赵六"], ["330102199102020026", None], [None, None])
    assert third == (["钱七"], [None], ["+8657188886666"])
    assert mediation["party_invalid_id_count"].to_list() == [0, 1, 0]
    assert mediation["result_code"].to_list() == ["success", "in_progress", "failure"]
    assert [str(amount) for amount in mediation["agreement_amount"].to_list()] == ["2000.00", "None", "0.00"]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_justice_finds_a_header_row_below_two_title_rows(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "西湖区司法名册_202605.xlsx", {
        "安置帮教": [
            ["西湖区安置帮教对象名册"],
            ["填报单位：西湖区司法局", None, None, "2026年5月"],
            ["姓名", "公民身份号码", "刑满释放日期", "户籍地址", "现住址", "帮教状态"],
            ["冯军", "330105197507170179", dt.datetime(2025, 3, 1), "和睦新村", "和睦新村7幢1单元302室", "在帮"],
        ],
    })

    batch = read_roster(path, "resettlement_cases")

    assert batch.refused is None
    assert batch.frame.select("name", "id_number", "release_date").rows() == [
        ("冯军", "330105197507170179", "2025-03-01")
    ]
    assert batch.note is None


def test_justice_skips_a_workbook_without_the_roster_and_says_so(
    tmp_path: Path, duckdb_warehouse: Warehouse, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "justice"
    folder.mkdir()
    _workbook(folder / "西湖区司法名册_202605.xlsx", {
        "社区矫正": [["标题"], ["序号", "姓名", "身份证号", "矫正类别", "矫正起始日期"], [1, "褚红", "330106198604040043", "缓刑", "2025-06-01"]],
    })
    sources = tmp_path / "sources.toml"
    sources.write_text('[justice]\nfolder = "justice"\n', encoding="utf-8")

    with caplog.at_level(logging.WARNING):
        outcomes = load_entity(sources, duckdb_warehouse, "mediation_cases")

    assert outcomes == []
    assert "西湖区司法名册_202605.xlsx has no sheet 人民调解" in caplog.text
    assert read_roster(folder / "西湖区司法名册_202605.xlsx", "mediation_cases") is None


def test_justice_loads_one_batch_per_workbook_and_sheet_in_month_order(tmp_path: Path) -> None:
    for name in ("上城区司法名册_202605.xlsx", "上城区司法名册_202604.xlsx", "说明_202604.docx"):
        (tmp_path / name).write_bytes(b"")

    assert [path.name for path in delivered_workbooks(tmp_path)] == [
        "上城区司法名册_202604.xlsx", "上城区司法名册_202605.xlsx",
    ]
    batches = {entity: read_roster(WORKBOOK, entity).batch_id for entity in ("community_corrections", "mediation_cases", "resettlement_cases")}
    assert batches == {
        "community_corrections": "上城区司法名册_202604.xlsx#社区矫正",
        "mediation_cases": "上城区司法名册_202604.xlsx#人民调解",
        "resettlement_cases": "上城区司法名册_202604.xlsx#安置帮教",
    }


def test_a_workbook_is_parsed_once_for_its_three_rosters_and_again_when_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["姓名", "公民身份号码", "刑满释放日期", "户籍地址", "现住址", "帮教状态"], ["冯军", None, None, None, None, "在帮"]]
    path = _workbook(tmp_path / "西湖区司法名册_202606.xlsx", {"安置帮教": rows, "人民调解": [["案件编号"]]})
    opened = []
    load_workbook = openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kwargs: opened.append(args) or load_workbook(*args, **kwargs))

    first = [read_roster(path, entity) for entity in ("resettlement_cases", "mediation_cases", "community_corrections")]
    assert len(opened) == 1
    assert first[0].frame["name"].to_list() == ["冯军"]
    assert first[2] is None  # no 社区矫正 sheet this month

    rows[1][0] = "陈静"
    _workbook(path, {"安置帮教": rows})
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    again = read_roster(path, "resettlement_cases")

    assert len(opened) == 2
    assert again.frame["name"].to_list() == ["陈静"]


def test_justice_refuses_a_sheet_without_a_recognisable_header(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "西湖区司法名册_202605.xlsx", {"人民调解": [["编号", "日期"], ["1", "2"]]})

    batch = read_roster(path, "mediation_cases")

    assert batch.frame is None
    assert batch.refused == (
        "西湖区司法名册_202605.xlsx sheet 人民调解: no header row with the expected columns in the first 10 rows"
    )


def test_justice_resettlement_keeps_addresses_only_in_its_unit_mentions() -> None:
    cleaned = clean_resettlement_cases(read_roster(WORKBOOK, "resettlement_cases").frame.lazy()).collect()

    # What the clean table gets (person_key is added at load).
    written = [column for column in RESETTLEMENT_CASES.clean_columns if column in cleaned.columns]
    clean_values = [str(value) for row in cleaned.select(written).rows() for value in row]
    assert not any("和睦新村" in value or "江滨公寓" in value for value in clean_values)
    places = {
        mention.role: _unit_mentions(cleaned, RESETTLEMENT_CASES.record_key, mention)
        .select("estate", "building", "entrance", "room").rows()[:2]
        for mention in RESETTLEMENT_CASES.unit_mentions
    }
    assert places == {
        "lives_at": [("和睦新村", "7", "1", "302"), ("江滨公寓", "5", "3", "601")],
        "registered_at": [("和睦新村", "7", "1", "302"), ("和睦新村", None, None, None)],
    }
    assert cleaned.select("status_code").to_series().to_list()[:2] == ["active", "released"]
    assert cleaned.schema["release_date"] == pl.Date


def test_justice_mediation_places_the_dispute_in_a_unit_mention() -> None:
    cleaned = clean_mediation_cases(read_roster(WORKBOOK, "mediation_cases").frame.lazy()).collect()

    (mention,) = MEDIATION_CASES.unit_mentions
    places = _unit_mentions(cleaned, MEDIATION_CASES.record_key, mention)
    assert mention.role == "occurred_at"
    assert places.height == cleaned["dispute_location"].drop_nulls().len() > 0
    assert "location_match_key" not in MEDIATION_CASES.clean_columns
