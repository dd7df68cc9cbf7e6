"""Justice delivery: monthly workbooks with corrections, mediation and resettlement sheets."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re

import openpyxl

from delivered_rows import justice_data_rows, open_workbook, parse_parties
from simulator.generate import SimulationResult, simulate

HEADERS = ("序号", "姓名", "身份证号", "矫正类别", "矫正起始日期", "矫正终止日期", "执行地司法所", "居住地址", "状态")
MEDIATION = ("案件编号", "受理日期", "纠纷类型", "当事人", "纠纷发生地", "调解组织", "调解结果", "结案日期", "协议金额")
RESETTLEMENT = ("姓名", "身份证号", "释放日期", "户籍地址", "现住址", "帮教状态")
SHEETS = ["社区矫正", "人民调解", "安置帮教"]


def manifest(result: SimulationResult) -> list[dict]:
    with (result.truth_dir / "manifest.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["source_system"] == "justice"]


def workbooks(result: SimulationResult) -> list:
    return sorted((result.out_dir / "justice").glob("司法名册_*.xlsx"))


def test_roster_has_a_merged_title_a_header_row_and_a_total_row(clean_city: SimulationResult) -> None:
    workbook = openpyxl.load_workbook(clean_city.out_dir / "justice" / "司法名册_202610.xlsx")
    assert workbook.sheetnames == SHEETS
    for name, headers, title in (
        ("社区矫正", HEADERS, "南京市社区矫正对象名册（2026年10月）"),
        ("人民调解", MEDIATION, "南京市人民调解案件登记表（2026年10月）"),
        ("安置帮教", RESETTLEMENT, "南京市安置帮教对象名册（2026年10月）"),
    ):
        sheet = workbook[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == title
        assert [str(r) for r in sheet.merged_cells.ranges] == [f"A1:{'ABCDEFGHI'[len(headers) - 1]}1"]
        assert rows[1] == headers
    totals = 0
    for path in workbooks(clean_city):
        for sheet in openpyxl.load_workbook(path):
            rows = list(sheet.iter_rows(values_only=True))
            if rows[-1][0] == "合计":
                totals += 1
                assert re.fullmatch(rf"共{len(rows) - 3}[人件]", rows[-1][1])
    assert 0.6 * 72 < totals < 72  # the total row "may be" there


def test_roster_rows_have_the_contract_values(clean_city: SimulationResult) -> None:
    for path in workbooks(clean_city):
        month_first = dt.date(int(path.stem[-6:-2]), int(path.stem[-2:]), 1)
        for row in justice_data_rows(path):
            assert row["矫正类别"] in {"管制", "缓刑", "假释", "暂予监外执行"}
            assert row["执行地司法所"].endswith("司法所")
            assert row["居住地址"].startswith("江苏省南京市")
            assert row["状态"] in {"在矫", "解矫"}
            if isinstance(row["矫正终止日期"], dt.datetime) and row["状态"] == "在矫":
                assert row["矫正终止日期"].date() >= month_first
        for row in justice_data_rows(path, "人民调解"):
            assert row["纠纷类型"] in {"婚姻家庭", "邻里", "物业", "劳动", "土地", "损害赔偿", "其他"}
            assert row["调解结果"] in {"调解成功", "调解不成", "调解中"}
            assert (row["结案日期"] is None) == (row["调解结果"] == "调解中")
            assert row["调解组织"].endswith("人民调解委员会")
        for row in justice_data_rows(path, "安置帮教"):
            assert row["帮教状态"] in {"在帮", "已解除"}
            assert row["现住址"].startswith("江苏省南京市")


def test_mediation_parties_give_an_identity_number_or_a_phone(moderate_city: SimulationResult) -> None:
    details = []
    for path in workbooks(moderate_city):
        for row in justice_data_rows(path, "人民调解"):
            parties = parse_parties(row["当事人"])
            assert len(parties) >= 2
            details += [detail for _, detail in parties]
    ids = [d for d in details if re.fullmatch(r"\d{17}[\dXx]|\d{15}", d)]
    phones = [d for d in details if re.fullmatch(r"1\d{10}", d)]
    assert ids and phones and len(ids) + len(phones) > 0.8 * len(details)


def test_an_open_case_is_listed_again_with_its_result(moderate_city: SimulationResult) -> None:
    results: dict[str, list[str]] = {}
    for path in workbooks(moderate_city):
        for row in justice_data_rows(path, "人民调解"):
            results.setdefault(row["案件编号"], []).append(row["调解结果"])
    followed = [r for r in results.values() if len(r) > 1]
    assert followed and all(r[0] == "调解中" for r in followed)


def test_roster_dates_come_as_excel_dates_text_and_serial_numbers(tmp_path) -> None:
    result = simulate(tmp_path / "out", persons=1000, seed=2, months=6, noise_rates={"date_excel_serial": 0.3})
    cells = [
        value
        for path in workbooks(result)
        for sheet, columns in (("社区矫正", ("矫正起始日期", "矫正终止日期")), ("人民调解", ("受理日期",)))
        for row in justice_data_rows(path, sheet)
        for value in (row[c] for c in columns)
    ]
    assert any(isinstance(v, dt.datetime) for v in cells)
    text = [v for v in cells if isinstance(v, str)]
    assert text and all(re.search(r"\d{4}", v) for v in text)
    assert any(isinstance(v, int) and 20000 < v < 80000 for v in cells)
    assert any(isinstance(v, str) and re.fullmatch(r"\d{5}", v) for v in cells)


def test_workbook_issues_are_what_the_manifest_says(small_city: SimulationResult) -> None:
    folder = small_city.out_dir / "justice"
    kinds = set()
    for line in manifest(small_city):
        name, sheet = line["source"].split("#")
        kinds.add(line["broken"])
        if line["broken"] == "empty":
            assert (folder / name).read_bytes() == b""
        elif line["broken"] == "truncated":
            assert open_workbook(folder / name) is None
        else:
            workbook = openpyxl.load_workbook(folder / name)
            extra = [s for s in workbook.sheetnames if s not in SHEETS]
            assert bool(extra) == (line["broken"] == "extra_sheet")
            headers = [str(h) for h in next(workbook[sheet].iter_rows(min_row=2, max_row=2, values_only=True))]
            for part in filter(None, line["schema_drift"].split(";")):
                if part.startswith("renamed:"):
                    assert part.split(">")[1] in headers
            for field in filter(None, line["out_of_scope_fields"].split(";")):
                assert field in headers and field in {"民族", "宗教信仰", "政治面貌", "健康状况"}
    assert {"extra_sheet", "truncated", "empty"} <= kinds


def test_a_workbook_sent_twice_is_byte_identical(small_city: SimulationResult) -> None:
    folder = small_city.out_dir / "justice"
    again = sorted(folder.glob("司法名册补报_*.xlsx"))
    assert again
    for path in again:
        original = folder / path.name.replace("司法名册补报", "司法名册")
        assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(original.read_bytes()).digest()
    resent = [line for line in manifest(small_city) if line["source"].startswith("司法名册补报")]
    assert all(line["rows_duplicate"] == line["rows_delivered"] for line in resent)


def test_roster_caseload_is_a_small_share_of_adults(moderate_city: SimulationResult) -> None:
    rows = justice_data_rows(moderate_city.out_dir / "justice" / "司法名册_202610.xlsx")
    # ~1,600 adults at 0.1-0.2 %.
    assert len(rows) <= 8
