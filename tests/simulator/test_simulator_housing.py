"""Housing delivery: GBK CSV snapshots, daily increments and rental registrations."""

from __future__ import annotations

import csv
import re

from delivered_rows import decode_housing, housing_rows
from simulator.credit_codes import is_valid_credit_code
from simulator.generate import SimulationResult

HEADERS = "房屋编码,行政区划代码,小区名称,坐落地址,楼栋号,单元号,楼层,房号,建筑面积,房屋用途,产权人证件号,产权人名称,变更时间"
RENTAL_HEADERS = "备案编号,房屋编码,房屋坐落,出租人证件号,出租人姓名,承租人证件号,承租人姓名,起租日期,到期日期,月租金,租赁用途,备案日期"
LAST_SNAPSHOT = "房屋基础信息_全量_20261001.csv"


def manifest(result: SimulationResult) -> dict[str, dict]:
    with (result.truth_dir / "manifest.csv").open(encoding="utf-8") as handle:
        return {row["source"]: row for row in csv.DictReader(handle) if row["source_system"] == "housing"}


def table(result: SimulationResult, name: str) -> list[dict]:
    read = housing_rows(result.out_dir / "housing" / name)
    assert read is not None
    return read[1]


def test_house_units_csv_decodes_as_gbk_with_the_exact_headers(clean_city: SimulationResult) -> None:
    raw = (clean_city.out_dir / "housing" / LAST_SNAPSHOT).read_bytes()
    text = raw.decode("gbk")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert text.split("\r\n", 1)[0] == HEADERS
    # Chinese text really is GBK, not UTF-8 that happens to decode.
    assert "小区".encode("gbk") in raw


def test_files_decode_as_the_contract_says_except_broken_ones(small_city: SimulationResult) -> None:
    folder = small_city.out_dir / "housing"
    lines = manifest(small_city)
    months_with_bom = set()
    for path in sorted(folder.glob("*.csv")):
        raw = path.read_bytes()
        line = lines[path.name]
        if line["broken"] == "wrong_encoding":
            assert raw.startswith(b"\xff\xfe")
            assert decode_housing(raw) is None
            continue
        if line["broken"] == "empty":
            assert raw == b""
            continue
        if raw.startswith(b"\xef\xbb\xbf"):
            months_with_bom.add(path.name[-12:-6])
            raw.decode("utf-8-sig")
        else:
            raw.decode("gbk")
        text = decode_housing(raw)
        if line["broken"] == "truncated":
            assert not text.endswith("\r\n")
        elif text:
            assert text.endswith("\r\n")
    # One month of UTF-8 with a byte-order mark, in the middle of the span.
    assert len(months_with_bom) == 1 and not months_with_bom & {"202411", "202610"}


def test_headers_drift_only_as_the_manifest_says(small_city: SimulationResult) -> None:
    folder = small_city.out_dir / "housing"
    seen_drift = set()
    for name, line in manifest(small_city).items():
        if line["broken"] in {"wrong_encoding", "empty"}:
            continue
        text = decode_housing((folder / name).read_bytes())
        headers = text.split("\r\n", 1)[0].split(",")
        contract = (HEADERS if name.startswith("房屋") else RENTAL_HEADERS).split(",")
        expected = list(contract)
        for part in filter(None, line["schema_drift"].split(";")):
            seen_drift.add(part.split(":")[0])
            if part.startswith("renamed:"):
                old, new = part.removeprefix("renamed:").split(">")
                expected[expected.index(old)] = new
            elif part.startswith("added:"):
                expected.append(part.removeprefix("added:"))
        expected += list(filter(None, line["out_of_scope_fields"].split(";")))
        if "reordered" in line["schema_drift"] or line["out_of_scope_fields"]:
            assert sorted(headers) == sorted(expected), name
        else:
            assert headers == expected, name
    assert seen_drift == {"renamed", "added", "reordered"}
    assert any(line["out_of_scope_fields"] for line in manifest(small_city).values())


def test_house_units_have_the_contract_shapes(clean_city: SimulationResult) -> None:
    for row in table(clean_city, LAST_SNAPSHOT):
        assert re.fullmatch(r"FW\d{17}", row["房屋编码"])
        assert re.fullmatch(r"\d{12}", row["行政区划代码"]) and row["房屋编码"][2:14] == row["行政区划代码"]
        assert row["房屋用途"] in {"住宅", "商业", "办公", "其他"}
        assert re.fullmatch(r"\d+\.\d{2}", row["建筑面积"])
        assert row["坐落地址"].startswith("江苏省南京市") and row["小区名称"] in row["坐落地址"]
        assert row["房号"] in row["坐落地址"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row["变更时间"])
        assert row["变更时间"] < "2026-10-01"


def test_house_units_are_owned_by_persons_and_organizations(clean_city: SimulationResult) -> None:
    rows = table(clean_city, LAST_SNAPSHOT)
    companies = [r for r in rows if r["产权人名称"].endswith("公司")]
    assert 0 < len(companies) < len(rows) / 2
    assert all(is_valid_credit_code(r["产权人证件号"]) for r in companies)


def test_house_units_snapshot_repeats_some_rows(small_city: SimulationResult) -> None:
    rows = [tuple(r.values()) for r in table(small_city, LAST_SNAPSHOT)]
    assert len(set(rows)) < len(rows)


def test_increments_carry_the_units_that_changed_that_day(clean_city: SimulationResult) -> None:
    with (clean_city.truth_dir / "units.csv").open(encoding="utf-8") as handle:
        units = {u["unit_code"]: u for u in csv.DictReader(handle)}
    increments = sorted((clean_city.out_dir / "housing").glob("房屋基础信息_增量_*.csv"))
    assert increments
    first = {r["房屋编码"] for r in table(clean_city, "房屋基础信息_全量_20241101.csv")}
    last = {r["房屋编码"] for r in table(clean_city, LAST_SNAPSHOT)}
    changed = set()
    for path in increments:
        day = path.name[-12:-4]
        for row in table(clean_city, path.name):
            unit = units[row["房屋编码"]]
            assert unit["changed_at"][:10].replace("-", "") == day
            assert row["变更时间"].replace("-", "")[:8] == day
            changed.add(row["房屋编码"])
    new_units = {code for code, u in units.items() if u["change"] == "new_unit"}
    assert new_units <= changed
    assert not new_units & first
    assert {code for code in new_units if units[code]["created"] < "2026-10-01"} <= last
    assert {code for code, u in units.items() if u["in_register"] == "false"}.isdisjoint(first | last | changed)


def test_transfers_change_the_owner_between_snapshots(clean_city: SimulationResult) -> None:
    with (clean_city.truth_dir / "units.csv").open(encoding="utf-8") as handle:
        transferred = {u["unit_code"] for u in csv.DictReader(handle) if u["change"] == "transfer"}
    first = {r["房屋编码"]: r["产权人证件号"] for r in table(clean_city, "房屋基础信息_全量_20241101.csv")}
    last = {r["房屋编码"]: r["产权人证件号"] for r in table(clean_city, LAST_SNAPSHOT)}
    moved = [code for code in transferred if code in first and code in last]
    assert moved
    assert all(first[code] != last[code] for code in moved)


def test_corrections_fix_an_earlier_batch_in_a_later_increment(small_city: SimulationResult) -> None:
    with (small_city.truth_dir / "noise.csv").open(encoding="utf-8") as handle:
        issues = [n for n in csv.DictReader(handle) if n["source_system"] == "housing"]
    superseded = {n["true_value"] for n in issues if n["issue"] == "superseded_value"}
    corrections = [n for n in issues if n["issue"] == "correction"]
    assert corrections
    for n in corrections:
        assert "增量" in n["source"] and n["field"] == "建筑面积"
        assert n["delivered_value"] in superseded and n["true_value"] != n["delivered_value"]


def test_a_resent_batch_repeats_the_previous_increment(small_city: SimulationResult) -> None:
    lines = manifest(small_city)
    resent = [
        name for name, line in lines.items() if int(line["rows_duplicate"]) and "增量" in name and not line["broken"]
    ]
    with (small_city.truth_dir / "noise.csv").open(encoding="utf-8") as handle:
        batch_copies = {
            n["source"] for n in csv.DictReader(handle)
            if n["issue"] == "duplicate_batch" and n["source_system"] == "housing"
        }
    assert batch_copies and batch_copies <= set(resent)
    folder = small_city.out_dir / "housing"
    for name in sorted(batch_copies):
        prefix = name[:-12]
        earlier = sorted(p.name for p in folder.glob(f"{prefix}*.csv") if p.name < name)[-1]
        previous = [tuple(r.values()) for r in table(small_city, earlier)]
        now = [tuple(r.values()) for r in table(small_city, name)]
        if list(table(small_city, earlier)[0]) == list(table(small_city, name)[0]):
            assert now[: len(previous)] == previous


def test_rentals_list_tenants_and_sometimes_only_an_address(small_city: SimulationResult) -> None:
    rows = [r for path in sorted((small_city.out_dir / "housing").glob("租赁备案_*.csv"))
            if housing_rows(path) for r in housing_rows(path)[1] if len(r) >= 12]
    assert len(rows) > 300
    assert any(";" in (r["承租人证件号"] or "") for r in rows)
    assert all(r["承租人证件号"].count(";") == r["承租人姓名"].count(";") for r in rows if r["承租人姓名"] is not None)
    no_code = sum(not r["房屋编码"] for r in rows)
    assert 0.03 * len(rows) < no_code < 0.25 * len(rows)
    assert {r["租赁用途"] for r in rows} <= {"居住", "经营"}


def test_group_rentals_have_more_tenants_than_the_area_supports(moderate_city: SimulationResult) -> None:
    areas = {}
    with (moderate_city.truth_dir / "units.csv").open(encoding="utf-8") as handle:
        for unit in csv.DictReader(handle):
            areas[unit["unit_code"]] = float(unit["floor_area"])
    with (moderate_city.truth_dir / "unit_mentions.csv").open(encoding="utf-8") as handle:
        rented = {
            (m["source"], m["row_number"]): m["unit_code"] for m in csv.DictReader(handle) if m["role"] == "rented_unit"
        }
    with (moderate_city.truth_dir / "person_mentions.csv").open(encoding="utf-8") as handle:
        tenants: dict = {}
        for m in csv.DictReader(handle):
            if m["role"] == "tenant":
                key = (m["source"], m["row_number"])
                tenants[key] = tenants.get(key, 0) + 1
    crowded = [key for key, n in tenants.items() if n > areas[rented[key]] / 10]
    assert crowded


def test_rentals_refer_to_units_and_landlords_no_other_delivery_knows(small_city: SimulationResult) -> None:
    with (small_city.truth_dir / "noise.csv").open(encoding="utf-8") as handle:
        unknown = [n for n in csv.DictReader(handle) if n["issue"] == "unknown_unit"]
    assert unknown
    with (small_city.truth_dir / "persons.csv").open(encoding="utf-8") as handle:
        residence = {p["person_id"]: p["residence"] for p in csv.DictReader(handle)}
    with (small_city.truth_dir / "person_mentions.csv").open(encoding="utf-8") as handle:
        landlords = [residence[m["person_id"]] for m in csv.DictReader(handle) if m["role"] == "landlord"]
    assert "outside" in landlords

