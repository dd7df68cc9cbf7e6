"""Housing CSV drops: encodings, renamed and reordered headers, added and out-of-scope columns.

The files are ``tests/fixtures/all_entities/housing`` (GBK with CRLF line
ends, and UTF-8 with a byte-order mark) plus small files written here for
one drift each.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ingest_deliveries import ALL_ENTITIES, load_entity, query

from ingest.common.files import decode
from ingest.housing.extract import delivered_files, read_file
from sharehouse.settings import Warehouse

HOUSING = ALL_ENTITIES / "housing"
FULL = HOUSING / "房屋基础信息_全量_20260101.csv"
INCREMENT = HOUSING / "房屋基础信息_增量_20260105.csv"
RENTALS_GBK = HOUSING / "租赁备案_增量_20260106.csv"
RENTALS_BOM = HOUSING / "租赁备案_增量_20260107.csv"

UNIT_HEADER = "房屋编码,行政区划代码,小区名称,坐落地址,楼栋号,单元号,楼层,房号,建筑面积,房屋用途,{owner},产权人名称,变更时间"
UNIT_ROW = "FW1,330102003002,东坡花园,东坡花园2栋1单元1101室,2,1,11,1101,89.5,住宅,330102199001010012,张三,2026-01-01 00:00:00"


def test_housing_detects_gbk_and_utf8_with_a_byte_order_mark() -> None:
    assert decode(FULL.read_bytes())[1] == "gbk"
    assert decode(RENTALS_GBK.read_bytes())[1] == "gbk"
    assert decode(INCREMENT.read_bytes())[1] == "utf-8-sig"
    assert decode(RENTALS_BOM.read_bytes())[1] == "utf-8-sig"

    gbk = read_file(FULL, "house_units")
    bom = read_file(INCREMENT, "house_units")
    assert gbk.frame["estate_name"].to_list() == ["东坡花园", "和睦新村", "文苑小区"]
    assert bom.frame["unit_code"].to_list() == ["FW330102000001", "FW330108000004"]
    assert "\ufeff" not in "".join(bom.frame.columns)


def test_housing_maps_renamed_and_reordered_headers_and_keeps_added_columns() -> None:
    batch = read_file(INCREMENT, "house_units")

    # 区划代码, 楼号, 所在楼层, 室号, 建筑面积（平方米）, 规划用途, 权利人证件号, 权利人名称, 更新时间
    row = batch.frame.row(0, named=True)
    assert (row["division_code"], row["building"], row["floor"], row["room"]) == ("330102003002", "2", "11", "1101")
    assert (row["floor_area"], row["use"], row["owner_id_number"], row["updated_at"]) == (
        "90.25", "住宅", "330102199001010012", "2026-01-05 09:00:00",
    )
    # 民族 is out of scope: dropped before anything is written, and counted
    assert batch.dropped_fields == ["民族"]
    assert "民族" not in batch.frame.columns
    # 备注 is neither known nor out of scope: kept for raw's _extra
    assert batch.frame["备注"].to_list() == ["面积复核", None]


@pytest.mark.parametrize("owner", ["产权人证件号", "产权人证件号码", "身份证号", "公民身份号码", "证件号码", "权利人证件号"])
def test_housing_reads_every_known_name_of_the_owner_column(tmp_path: Path, owner: str) -> None:
    path = tmp_path / "房屋基础信息_全量_20260201.csv"
    path.write_bytes((UNIT_HEADER.format(owner=owner) + "\r\n" + UNIT_ROW + "\r\n").encode("gbk"))

    batch = read_file(path, "house_units")

    assert batch.refused is None
    assert batch.frame["owner_id_number"].to_list() == ["330102199001010012"]


@pytest.mark.parametrize("tenant", ["承租人证件号", "承租人证件号码", "承租人身份证号", "承租人公民身份号码"])
def test_housing_reads_every_known_name_of_the_tenant_column(tmp_path: Path, tenant: str) -> None:
    text = RENTALS_GBK.read_bytes().decode("gbk").replace("承租人证件号", tenant)
    path = tmp_path / "租赁备案_增量_20260201.csv"
    path.write_bytes(text.encode("gbk"))

    batch = read_file(path, "rental_registrations")

    assert batch.frame["tenant_id_numbers"][0] == "410102199505050050;510102199706060064"


def test_housing_loads_the_added_column_into_raw_extra_and_counts_the_dropped_one(
    tmp_path: Path, duckdb_warehouse: Warehouse
) -> None:
    folder = tmp_path / "housing"
    folder.mkdir()
    shutil.copy(FULL, folder)
    shutil.copy(INCREMENT, folder)
    sources = tmp_path / "sources.toml"
    sources.write_text('[housing]\nfolder = "housing"\n', encoding="utf-8")

    outcomes = load_entity(sources, duckdb_warehouse, "house_units")

    assert [(o.batch_id, o.fields_dropped) for o in outcomes] == [
        ("房屋基础信息_全量_20260101.csv", 0), ("房屋基础信息_增量_20260105.csv", 1),
    ]
    assert query(
        duckdb_warehouse,
        "select _extra from raw_housing.house_units where _batch_id = '房屋基础信息_增量_20260105.csv' order by _source_row",
    )["_extra"].to_list() == ['{"备注":"面积复核"}', '{"备注":null}']
    assert query(
        duckdb_warehouse, "select dropped_field_names from ops.batch_log where fields_dropped > 0"
    ).item() == "民族"


def test_housing_orders_full_snapshots_before_that_days_increments(tmp_path: Path) -> None:
    for name in (
        "房屋基础信息_增量_20260102.csv", "房屋基础信息_全量_20260201.csv", "房屋基础信息_增量_20260201.csv",
        "房屋基础信息_全量_20260101.csv", "租赁备案_增量_20260101.csv", "房屋基础信息_20260101.csv.bak",
    ):
        (tmp_path / name).write_bytes(b"")

    assert [path.name for path in delivered_files(tmp_path, "house_units")] == [
        "房屋基础信息_全量_20260101.csv", "房屋基础信息_增量_20260102.csv",
        "房屋基础信息_全量_20260201.csv", "房屋基础信息_增量_20260201.csv",
    ]
    assert [path.name for path in delivered_files(tmp_path, "rental_registrations")] == ["租赁备案_增量_20260101.csv"]


def test_housing_rental_tenants_line_up_with_their_names() -> None:
    from ingest.housing.clean import clean_rental_registrations

    batch = read_file(RENTALS_GBK, "rental_registrations")
    cleaned = clean_rental_registrations(batch.frame.lazy()).collect()

    assert cleaned["tenant_id_numbers"].to_list()[:2] == [
        ["410102199505050050", "510102199706060064"], ["330102199303130132", "330102199404140146"],
    ]
    assert cleaned["tenant_names"].to_list()[:2] == [["刘洋", "陈雪"], ["郑强", "王芳"]]
    assert cleaned["landlord_type"].to_list() == ["person", "organization", "person"]
    # Without a unit code only the address identifies the unit.
    assert cleaned.row(1, named=True)["unit_code"] is None
    assert cleaned.row(1, named=True)["unit_reference"] == "东坡花园|2|1|1101"
    assert [str(rent) for rent in cleaned["monthly_rent"].to_list()] == ["3500.00", "2800.00", "2000.00"]
