"""Address -> house unit matching, table-driven, through the real ingest writer and parser."""

from __future__ import annotations

import polars as pl
import pytest

from ingest.common.mentions import UnitMention, unit_mention_rows
from resolution.units import ADDRESS_RULE, CODE_RULE, UNRESOLVED, resolve_units

SECRET = b"test-secret"
PREFIX = "江苏省南京市玄武区梅园街道"
# (unit code, community code, estate, building, entrance, floor, room, address)
REGISTER = [
    ("FW1", "320102001001", "兰园小区", "3", "2", "5", "501", f"{PREFIX}兰园小区3栋2单元501室"),
    ("FW2", "320102001001", "兰园小区", "3", "1", "5", "501", f"{PREFIX}兰园小区3栋1单元501室"),
    ("FW3", "320102001001", "兰园小区", "12", "1", "12", "1203", f"{PREFIX}兰园小区12栋1单元1203室"),
    ("FW4", "320102001002", "新街名苑", "1", "1", "8", "802", f"{PREFIX}新街名苑1栋1单元802室"),
    ("FW5", "320102001002", "钟山大厦", "1", "1", "12", "1203", f"{PREFIX}钟山大厦1203室"),
    ("FW6", "320102001002", "梅花华庭", "2", "1", "1", "101", f"{PREFIX}梅花华庭2栋1单元101室"),
    ("FW7", "320102001002", "北苑雅居", "4", "1", "5", "501", f"{PREFIX}北苑雅居4栋1单元501室"),
    ("FW8", "320102001002", "北苑华庭", "4", "1", "5", "501", f"{PREFIX}北苑华庭4栋1单元501室"),
]
GRIDS = pl.DataFrame(
    {
        "community_code": ["320102001001", "320102001001", "320102001002", "320102001002", "320102001002",
                           "320102001002", "320102001002"],
        "estate": ["兰园小区", "兰园小区", "新街名苑", "钟山大厦", "梅花华庭", "北苑雅居", "北苑华庭"],
        "building": ["3", "12", "1", "1", "2", "4", "4"],
        "grid_code": ["320102001001001", "320102001001002", "320102001002001", "320102001002002", "320102001002002",
                      "320102001002001", "320102001002002"],
    }
)

CASES = [
    # (address as written, expected unit code or None, expected evidence)
    (f"{PREFIX}兰园小区3栋2单元501室", "FW1", ADDRESS_RULE),
    ("兰园小区三栋二单元501室", "FW1", ADDRESS_RULE),
    ("南京市玄武区梅园街道兰园小区3幢1单元501室", "FW2", ADDRESS_RULE),
    ("兰园小区3号楼2单元501室", "FW1", ADDRESS_RULE),
    ("梅园街道兰园小区3-2-501", "FW1", ADDRESS_RULE),
    ("兰园小区３栋２单元５０１室", "FW1", ADDRESS_RULE),
    ("兰园小区十二栋一单元1203室", "FW3", ADDRESS_RULE),
    # entrance left out: building 3 has two entrances with a room 501 each
    ("兰园小区3栋501室", None, UNRESOLVED),
    # entrance left out where the building has one: still one unit
    ("兰园小区12栋1203室", "FW3", ADDRESS_RULE),
    ("兰园小区12-1203", "FW3", ADDRESS_RULE),
    # room left out: a building, not a unit
    ("兰园小区3栋2单元", None, UNRESOLVED),
    # office blocks number rooms only
    ("玄武区钟山大厦1203室", "FW5", ADDRESS_RULE),
    # the parser cuts 新街名苑 at 街; the register's estate is read from the text
    ("新街名苑1栋1单元802室", "FW4", ADDRESS_RULE),
    # the parser stops at the first estate suffix: 北苑雅居 and 北苑华庭 both read 北苑
    ("北苑雅居4栋1单元501室", "FW7", ADDRESS_RULE),
    ("北苑华庭四栋一单元501室", "FW8", ADDRESS_RULE),
    # an estate name without a suffix the parser knows
    ("梅花华庭2栋1单元101室", "FW6", ADDRESS_RULE),
    # a district that contradicts the register's
    ("江苏省南京市秦淮区梅园街道兰园小区3栋2单元501室", None, UNRESOLVED),
    ("阳光小区3栋2单元501室", None, UNRESOLVED),
    ("中山路与北京东路交叉口", None, UNRESOLVED),
]


def _register_rows() -> pl.DataFrame:
    frame = pl.DataFrame(
        REGISTER, schema=["unit_code", "division_code", "estate_name", "building", "entrance", "floor", "room", "address"],
        orient="row",
    ).with_columns(pl.lit("b1").alias("_batch_id"), pl.int_range(1, pl.len() + 1).alias("_source_row"))
    mention = UnitMention(
        role="unit", unit_code_column="unit_code", address_column="address", division_code_column="division_code",
        component_columns=(("estate", "estate_name"), ("building", "building"), ("entrance", "entrance"),
                           ("floor", "floor"), ("room", "room")),
    )
    return unit_mention_rows(frame, "_source_row", mention, SECRET)


def _resolve(addresses: list[str]) -> pl.DataFrame:
    lived = pl.DataFrame({"address": addresses}).with_columns(
        pl.lit("b2").alias("_batch_id"), pl.int_range(1, pl.len() + 1).cast(pl.Utf8).alias("record_id"),
    )
    rows = unit_mention_rows(lived, "record_id", UnitMention(role="lives_at", address_column="address"), SECRET)
    mentions = pl.concat([_register_rows(), rows]).with_columns(
        pl.lit("police").alias("source_system"), pl.lit(None, dtype=pl.Datetime("us")).alias("_extracted_at")
    )
    return resolve_units(mentions, SECRET, GRIDS)


def _key_of(code: str) -> str:
    register = _resolve([]).filter(pl.col("unit_code") == code)
    return register.get_column("unit_key").item()


@pytest.mark.parametrize(("address", "unit", "evidence"), CASES, ids=[case[0] for case in CASES])
def test_address_links_to_the_one_register_unit_it_names(address: str, unit: str | None, evidence: str) -> None:
    resolved = _resolve([address]).filter(pl.col("role") == "lives_at").row(0, named=True)
    assert resolved["evidence"] == evidence
    assert resolved["unit_key"] == (_key_of(unit) if unit else None)


def test_register_rows_are_keyed_by_code_and_placed_on_their_grid() -> None:
    register = _resolve([]).sort("unit_code")
    assert register.get_column("evidence").unique().to_list() == [CODE_RULE]
    assert register.get_column("grid_code").to_list() == [
        "320102001001001", "320102001001001", "320102001001002", "320102001002001", "320102001002002",
        "320102001002002", "320102001002001", "320102001002002",
    ]
    assert register.get_column("unit_key").n_unique() == len(REGISTER)


def test_a_building_without_a_room_is_placed_on_its_grid_but_not_on_a_unit() -> None:
    resolved = _resolve(["兰园小区12栋", "中山路与北京东路交叉口"]).filter(pl.col("role") == "lives_at")
    assert resolved.get_column("unit_key").to_list() == [None, None]
    assert resolved.get_column("grid_code").to_list() == ["320102001001002", None]


def test_resolution_is_idempotent_and_without_grid_register_leaves_grids_null() -> None:
    once = _resolve([case[0] for case in CASES])
    assert resolve_units(once, SECRET, GRIDS).equals(once)
    without = resolve_units(once, SECRET, None)
    assert without.get_column("grid_code").null_count() == without.height
    assert without.get_column("unit_key").to_list() == once.get_column("unit_key").to_list()
