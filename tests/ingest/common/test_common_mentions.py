"""Specs for ingest.common.mentions: unit mentions from a cleaner's parsed address."""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import parse_address
from ingest.common.mentions import UnitMention, unit_mention_rows, valid_person_key

SECRET = b"test-secret"
ADDRESSES = [
    "浙江省杭州市西湖区文新街道阳光社区阳光花园3栋2单元501室",
    "阳光花园３栋２单元５０１室",
    " 阳光花园 3-2-501 ",
    "阳光花园3栋2单元501室",
    "",
    None,
    "解放路88号",
]


def _passed() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "_batch_id": ["b1"] * len(ADDRESSES),
            "_source_row": list(range(1, len(ADDRESSES) + 1)),
            "address": ADDRESSES,
            "unit_code": ["U1", None, None, None, "U5", None, None],
        }
    ).with_columns(parse_address(pl.col("address")).alias("_address"))


def test_unit_mention_rows_from_the_cleaners_parse_equal_those_parsed_again() -> None:
    parsed_again = UnitMention(role="rented_unit", unit_code_column="unit_code", address_column="address")
    reused = UnitMention(
        role="rented_unit", unit_code_column="unit_code", address_column="address", parsed_column="_address"
    )
    expected = unit_mention_rows(_passed(), "_source_row", parsed_again, SECRET)
    assert unit_mention_rows(_passed(), "_source_row", reused, SECRET).equals(expected)
    # The row with neither a unit code nor an address mentions no unit.
    assert expected.height == len(ADDRESSES) - 1


def test_valid_person_key_reads_the_cleaners_issue_when_given() -> None:
    valid = "330102198007070070"
    frame = pl.DataFrame({"id_number": [valid, valid, "330102198007070071"], "issue": [None, "missing", None]})
    keys = frame.select(
        checked=valid_person_key(pl.col("id_number"), SECRET),
        reused=valid_person_key(pl.col("id_number"), SECRET, pl.col("issue")),
    )
    # Checked again, the third number fails its check character; the given
    # issues are taken as they are, so the second row gets no key either.
    assert keys["checked"].is_null().to_list() == [False, False, True]
    assert keys["reused"].is_null().to_list() == [False, True, False]
    assert keys["checked"][0] == keys["reused"][0]


def test_unit_mention_rows_of_a_register_parse_an_address_only_for_the_parts_it_leaves_empty() -> None:
    register = UnitMention(
        role="unit", unit_code_column="unit_code", address_column="address",
        component_columns=(("estate", "estate_name"), ("building", "building"), ("entrance", "entrance"),
                           ("floor", "floor"), ("room", "room")),
    )
    passed = pl.DataFrame(
        {
            "_batch_id": ["b1", "b1", "b1"],
            "_source_row": [1, 2, 3],
            "unit_code": ["U1", "U2", "U3"],
            "address": [
                "江苏省南京市溧水区雄州街道枫林社区枫林瑞金名苑4栋1单元302室",
                "南京市建邺区清江花园7栋2单元401室",
                "浦口区碧水街道草场公寓5栋2单元202室",
            ],
            "estate_name": ["瑞金名苑", "清江花园", "草场公寓"],
            "building": ["4", None, "5"],
            "entrance": ["1", "2", "2"],
            "floor": [3, 4, 2],
            "room": ["302", "401", " "],
        }
    )

    rows = unit_mention_rows(passed, "_source_row", register, SECRET)

    assert rows.select("district", "street", "community", "estate", "building", "floor", "room").rows() == [
        ("溧水区", "雄州街道", "枫林社区", "瑞金名苑", "4", "3", "302"),
        ("建邺区", None, None, "清江花园", "7", "4", "401"),
        ("浦口区", "碧水街道", None, "草场公寓", "5", "2", "202"),
    ]
