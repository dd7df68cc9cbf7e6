"""Housing delivery: the GBK house-unit snapshot."""

from __future__ import annotations

import csv
import re

from simulator.credit_codes import is_valid_credit_code
from simulator.generate import SimulationResult

HEADERS = "房屋编码,行政区划代码,小区名称,坐落地址,楼栋号,单元号,楼层,房号,建筑面积,房屋用途,产权人证件号,产权人名称,变更时间"


def snapshot_rows(result: SimulationResult) -> list[dict]:
    path = result.out_dir / "housing" / "房屋基础信息_全量_20261001.csv"
    with path.open(encoding="gbk", newline="") as handle:
        return list(csv.DictReader(handle))


def test_house_units_csv_decodes_as_gbk_with_the_exact_headers(tiny_city: SimulationResult) -> None:
    raw = (tiny_city.out_dir / "housing" / "房屋基础信息_全量_20261001.csv").read_bytes()
    text = raw.decode("gbk")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert text.split("\r\n", 1)[0] == HEADERS
    # Chinese text really is GBK, not UTF-8 that happens to decode.
    assert "小区".encode("gbk") in raw


def test_house_units_have_the_contract_shapes(moderate_city: SimulationResult) -> None:
    for row in snapshot_rows(moderate_city):
        assert re.fullmatch(r"FW\d{17}", row["房屋编码"])
        assert re.fullmatch(r"\d{12}", row["行政区划代码"]) and row["房屋编码"][2:14] == row["行政区划代码"]
        assert row["房屋用途"] in {"住宅", "商业", "办公", "其他"}
        assert re.fullmatch(r"\d+\.\d{2}", row["建筑面积"])
        assert row["坐落地址"].startswith("江苏省南京市") and row["小区名称"] in row["坐落地址"]
        assert row["房号"] in row["坐落地址"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row["变更时间"])
        assert row["变更时间"] < "2026-10-01"


def test_house_units_are_owned_by_persons_and_organizations(moderate_city: SimulationResult) -> None:
    rows = snapshot_rows(moderate_city)
    companies = [r for r in rows if r["产权人名称"].endswith("公司")]
    assert 0 < len(companies) < len(rows) / 2
    assert all(is_valid_credit_code(r["产权人证件号"]) for r in companies)


def test_house_units_snapshot_repeats_some_rows(small_city: SimulationResult) -> None:
    rows = [tuple(r.values()) for r in snapshot_rows(small_city)]
    assert len(set(rows)) < len(rows)
