"""Specs for ingest.common.addresses: address components and the match key."""

from __future__ import annotations

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.addresses import ADDRESS_FIELDS, address_match_key, address_province, parse_address

FULL = "浙江省杭州市西湖区文新街道阳光社区阳光花园3栋2单元501室"


def parsed(address: str | None) -> dict[str, str | None]:
    return apply_one(parse_address, address) or dict.fromkeys(ADDRESS_FIELDS)


def test_parse_address_reads_every_component_of_a_full_address() -> None:
    assert parsed(FULL) == {
        "province": "浙江省",
        "city": "杭州市",
        "district": "西湖区",
        "street": "文新街道",
        "community": "阳光社区",
        "estate": "阳光花园",
        "building": "3",
        "entrance": "2",
        "floor": "5",
        "room": "501",
    }


@pytest.mark.parametrize(
    ("address", "estate", "building", "entrance", "floor", "room"),
    [
        pytest.param(FULL, "阳光花园", "3", "2", "5", "501", id="full"),
        pytest.param("阳光花园3栋2单元501室", "阳光花园", "3", "2", "5", "501", id="no_prefix"),
        pytest.param("杭州市西湖区阳光花园3栋2单元501室", "阳光花园", "3", "2", "5", "501", id="city_and_district"),
        pytest.param("阳光花园三栋二单元501室", "阳光花园", "3", "2", "5", "501", id="chinese_numerals"),
        pytest.param("阳光花园三栋二单元五〇一室", "阳光花园", "3", "2", "5", "501", id="chinese_room_digits"),
        pytest.param("阳光花园3幢2单元501", "阳光花园", "3", "2", "5", "501", id="zhuang"),
        pytest.param("阳光花园3号楼2单元501室", "阳光花园", "3", "2", "5", "501", id="haolou"),
        pytest.param("阳光花园3#2单元501", "阳光花园", "3", "2", "5", "501", id="hash"),
        pytest.param("阳光花园3-2-501", "阳光花园", "3", "2", "5", "501", id="compact"),
        pytest.param("阳光花园 3-2-501室", "阳光花园", "3", "2", "5", "501", id="compact_spaced_with_suffix"),
        pytest.param("阳光花园３－２－５０１", "阳光花园", "3", "2", "5", "501", id="compact_fullwidth"),
        pytest.param("阳光花园３栋２单元５０１室", "阳光花园", "3", "2", "5", "501", id="fullwidth"),
        pytest.param("阳光花园3栋2-501", "阳光花园", "3", "2", "5", "501", id="building_then_compact"),
        pytest.param("阳光花园03栋02单元0501室", "阳光花园", "3", "2", "5", "501", id="leading_zeros"),
        pytest.param("阳光花园十二栋一单元1203", "阳光花园", "12", "1", "12", "1203", id="twelve"),
        pytest.param("阳光花园二十一栋3单元302", "阳光花园", "21", "3", "3", "302", id="twenty_one"),
        pytest.param("阳光花园3栋2单元5层501室", "阳光花园", "3", "2", "5", "501", id="explicit_floor"),
        pytest.param("国贸大厦15楼1502", "国贸大厦", None, None, "15", "1502", id="office_floor"),
        pytest.param("阳光花园A座1201室", "阳光花园", "A", None, "12", "1201", id="lettered_building"),
        pytest.param("阳光花园3栋", "阳光花园", "3", None, None, None, id="no_unit_or_room"),
        pytest.param("阳光花园3栋501", "阳光花园", "3", None, "5", "501", id="no_entrance"),
        pytest.param("阳光花园501室", "阳光花园", None, None, "5", "501", id="room_only"),
        pytest.param("阳光花园", "阳光花园", None, None, None, None, id="estate_only"),
        pytest.param("阳光新村3栋2单元501", "阳光新村", "3", "2", "5", "501", id="xincun_is_not_a_village"),
        pytest.param("一品小区3栋2单元501", "一品小区", "3", "2", "5", "501", id="numeral_in_estate_name_kept"),
        pytest.param("阳光花园二期3栋2单元501", "阳光花园2期", "3", "2", "5", "501", id="phase"),
        pytest.param("文三路88号阳光花园3栋2单元501", "阳光花园", "3", "2", "5", "501", id="road_before_estate"),
        pytest.param("文三路88号", "文三路88号", None, None, None, None, id="road_number_is_not_a_room"),
        pytest.param("", None, None, None, None, None, id="empty"),
        pytest.param(None, None, None, None, None, None, id="null"),
    ],
)
def test_parse_address_units(
    address: str | None,
    estate: str | None,
    building: str | None,
    entrance: str | None,
    floor: str | None,
    room: str | None,
) -> None:
    parts = parsed(address)
    assert (parts["estate"], parts["building"], parts["entrance"], parts["floor"], parts["room"]) == (
        estate,
        building,
        entrance,
        floor,
        room,
    )


@pytest.mark.parametrize(
    ("address", "province", "city", "district", "street", "community"),
    [
        pytest.param(FULL, "浙江省", "杭州市", "西湖区", "文新街道", "阳光社区", id="all"),
        pytest.param("西湖区阳光花园3-2-501", None, None, "西湖区", None, None, id="district_only"),
        pytest.param("十里堡街道阳光社区阳光花园3-2-501", None, None, None, "十里堡街道", "阳光社区", id="street"),
        pytest.param("浙江省金华市义乌市稠城街道阳光花园3-2-501", "浙江省", "金华市", "义乌市", "稠城街道", None, id="county_city"),
        pytest.param("新疆维吾尔自治区乌鲁木齐市天山区阳光花园3-2-501", "新疆维吾尔自治区", "乌鲁木齐市", "天山区", None, None, id="region"),
        pytest.param("余杭区良渚镇安溪村3组12号", None, None, "余杭区", "良渚镇", "安溪村", id="village"),
        pytest.param("阳光小区3栋", None, None, None, None, None, id="xiaoqu_is_not_a_district"),
        pytest.param("阳光社区阳光花园3栋", None, None, None, None, "阳光社区", id="shequ_is_not_a_district"),
    ],
)
def test_parse_address_prefixes(
    address: str,
    province: str | None,
    city: str | None,
    district: str | None,
    street: str | None,
    community: str | None,
) -> None:
    parts = parsed(address)
    assert (parts["province"], parts["city"], parts["district"], parts["street"], parts["community"]) == (
        province,
        city,
        district,
        street,
        community,
    )


SAME_FLAT = [
    FULL,
    "阳光花园3栋2单元501室",
    "杭州市西湖区阳光花园三栋二单元五〇一",
    "阳光花园3幢2单元501",
    "阳光花园3号楼2单元501室",
    "阳光花园3#2单元501",
    "阳光花园3-2-501",
    "西湖区 阳光花园 3-2-501",
    "阳光花园３栋２单元５０１室",
    "阳光花园小区3栋2单元501",
    "阳光花园03栋02单元0501室",
]


def test_address_match_key_is_the_same_for_every_spelling_of_one_flat() -> None:
    keys = apply(lambda expr: address_match_key(parse_address(expr)), SAME_FLAT)
    assert keys == ["阳光花园|3|2|501"] * len(SAME_FLAT)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("阳光花园3栋2单元502", "阳光花园|3|2|502"),
        ("阳光花园4栋2单元501", "阳光花园|4|2|501"),
        ("阳光花园3栋", "阳光花园|3||"),
        ("阳光花园501室", "阳光花园|||501"),
        ("3栋2单元501", "|3|2|501"),
        ("", None),
        (None, None),
    ],
)
def test_address_match_key_tells_different_places_apart(address: str | None, key: str | None) -> None:
    assert apply_one(lambda expr: address_match_key(parse_address(expr)), address) == key


def test_parse_address_keeps_the_column_name_and_struct_fields() -> None:
    frame = pl.DataFrame({"address": ["阳光花园3-2-501"]}).with_columns(parse_address(pl.col("address")))
    assert frame.schema == pl.Schema({"address": pl.Struct(dict.fromkeys(ADDRESS_FIELDS, pl.String))})


def test_parse_address_reads_its_input_once() -> None:
    expression = address_match_key(parse_address(pl.col("delivered_address")))
    assert str(expression).count('col("delivered_address")') == 1


@pytest.mark.parametrize(
    "address",
    [FULL, "江苏省南京市溧水区雄州街道枫林瑞金名苑4栋1单元302室", "新疆维吾尔自治区乌鲁木齐市天山区", "广东省", "省",
     "阳光花园3栋2单元501室", "北京市朝阳区", "  浙江省 杭州市", "", None],
)
def test_address_province_is_the_province_parse_address_reads(address: str | None) -> None:
    assert apply_one(address_province, address) == parsed(address)["province"]
