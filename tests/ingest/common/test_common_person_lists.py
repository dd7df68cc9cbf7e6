"""Specs for reading fields that name several persons into aligned lists."""

from __future__ import annotations

import polars as pl

from ingest.common.person_lists import (
    aligned,
    count_invalid_ids,
    count_missing_ids,
    json_list,
    normalize_id_list,
    parse_parties,
    split_list,
)


def _one(expression: pl.Expr, values: list) -> list:
    return pl.DataFrame({"v": values}, schema={"v": pl.String}).select(expression.alias("out"))["out"].to_list()


def test_split_list_keeps_positions_and_drops_separators_at_the_end() -> None:
    # A leading separator is a missing first element: dropping it would shift
    # every number onto the wrong name of the parallel list.
    assert _one(split_list(pl.col("v")), ["a;b;", "a;;c", " ；a ； b", "", None, ";"]) == [
        ["a", "b"], ["a", None, "c"], [None, "a", "b"], [], [], [],
    ]


def test_split_list_accepts_several_separators() -> None:
    assert _one(split_list(pl.col("v"), ";,、"), ["a、b,c;d"]) == [["a", "b", "c", "d"]]


def test_aligned_pads_the_shorter_list_with_nulls() -> None:
    frame = pl.DataFrame({"ids": [["1", "2"], []], "names": [["a"], ["b", "c"]]})
    length = pl.max_horizontal(pl.col("ids").list.len(), pl.col("names").list.len())
    out = frame.select(aligned(pl.col("ids"), length).alias("ids"), aligned(pl.col("names"), length).alias("names"))
    assert out.rows() == [(["1", "2"], ["a", None]), ([None, None], ["b", "c"])]


def test_id_lists_are_normalized_and_their_problems_counted() -> None:
    frame = pl.DataFrame({"ids": [["33010619800512013x", None, "330105550220041", "12345"]]})
    out = frame.select(
        normalize_id_list(pl.col("ids")).alias("ids"),
    ).with_columns(count_invalid_ids(pl.col("ids")).alias("invalid"), count_missing_ids(pl.col("ids")).alias("missing"))
    assert out.row(0) == (["33010619800512013X", None, "330105195502200413", "12345"], 1, 1)


def test_parse_parties_splits_names_identity_numbers_and_phones() -> None:
    parsed = _one(
        parse_parties(pl.col("v")),
        ["张三(110101199003072316)、李四(13800001111)", "王 五（0571-8888 6666），赵六", "", None],
    )
    assert parsed == [
        {"names": ["张三", "李四"], "id_numbers": ["110101199003072316", None], "phones": [None, "+8613800001111"]},
        {"names": ["王五", "赵六"], "id_numbers": [None, None], "phones": ["+8657188886666", None]},
        {"names": [], "id_numbers": [], "phones": []},
        {"names": [], "id_numbers": [], "phones": []},
    ]


def test_parse_parties_takes_a_contact_that_is_no_phone_as_an_identity_number() -> None:
    # A mistyped phone or number is kept (and then reported invalid), never dropped.
    parsed = _one(parse_parties(pl.col("v")), ["钱七(1380000111)"])
    assert parsed == [{"names": ["钱七"], "id_numbers": ["1380000111"], "phones": [None]}]


def test_json_list_reads_members_and_turns_anything_else_into_null() -> None:
    values = [
        '[{"idNo": "110101199003072316", "name": "张三", "relation": "配偶"}, {"idNo": 5, "name": "李四"}]',
        "[]",
        None,
        "张三,李四",
        '[{"idNo": "1",',
        '{"idNo": "1"}',
        "[1, 2]",
    ]
    assert _one(json_list(pl.col("v"), ("idNo", "name")), values) == [
        [{"idNo": "110101199003072316", "name": "张三"}, {"idNo": "5", "name": "李四"}],
        [],
        None,
        None,
        None,
        None,
        None,
    ]


def test_json_list_decodes_a_well_formed_column_in_one_pass() -> None:
    assert _one(json_list(pl.col("v"), ("idNo",)), ['[{"idNo": "1"}]', "[]"]) == [[{"idNo": "1"}], []]
