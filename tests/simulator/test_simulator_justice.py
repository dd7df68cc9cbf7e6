"""Justice delivery: monthly community-corrections rosters in Excel."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl

from delivered_rows import justice_data_rows
from simulator.generate import SimulationResult

HEADERS = ("序号", "姓名", "身份证号", "矫正类别", "矫正起始日期", "矫正终止日期", "执行地司法所", "居住地址", "状态")


def test_roster_has_a_merged_title_a_header_row_and_a_total_row(tiny_city: SimulationResult) -> None:
    workbook = openpyxl.load_workbook(tiny_city.out_dir / "justice" / "司法名册_202610.xlsx")
    assert workbook.sheetnames == ["社区矫正"]
    sheet = workbook["社区矫正"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "南京市社区矫正对象名册（2026年10月）"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:I1"]
    assert rows[1] == HEADERS
    data = rows[2:-1]
    assert rows[-1][0] == "合计" and rows[-1][1] == f"共{len(data)}人"
    assert [r[0] for r in data] == list(range(1, len(data) + 1))


def test_roster_rows_have_the_contract_values(small_city: SimulationResult) -> None:
    for path in sorted((small_city.out_dir / "justice").glob("*.xlsx")):
        month_first = dt.date(int(path.stem[-6:-2]), int(path.stem[-2:]), 1)
        for row in justice_data_rows(path):
            assert row[3] in {"管制", "缓刑", "假释", "暂予监外执行"}
            assert row[6].endswith("司法所")
            assert row[7].startswith("江苏省南京市")
            assert row[8] in {"在矫", "解矫"}
            assert row[4] is not None and row[5] is not None
            if isinstance(row[5], dt.datetime) and row[8] == "在矫":
                assert row[5].date() >= month_first


def test_roster_dates_come_as_excel_dates_and_as_text(small_city: SimulationResult) -> None:
    cells = [
        value
        for path in sorted((small_city.out_dir / "justice").glob("*.xlsx"))
        for row in justice_data_rows(path)
        for value in row[4:6]
    ]
    assert any(isinstance(v, dt.datetime) for v in cells)
    text = [v for v in cells if isinstance(v, str)]
    assert text and all(re.search(r"\d{4}", v) for v in text)


def test_roster_caseload_is_a_small_share_of_adults(moderate_city: SimulationResult) -> None:
    rows = justice_data_rows(moderate_city.out_dir / "justice" / "司法名册_202610.xlsx")
    # ~1,600 adults at 0.1-0.2 %.
    assert 1 <= len(rows) <= 6
