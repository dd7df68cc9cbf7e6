"""Specs for ingest.common.names: person and organization names, pinyin keys."""

from __future__ import annotations

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.names import (
    MIDDLE_DOT,
    name_pinyin_key,
    name_pinyin_keys,
    name_repairs,
    normalize_org_name,
    normalize_person_name,
)


def test_middle_dot_is_the_national_standard_one() -> None:
    assert MIDDLE_DOT == "\u00b7"


@pytest.mark.parametrize(
    ("delivered", "normalized", "repairs"),
    [
        pytest.param("张三", "张三", None, id="clean"),
        pytest.param(" 张三 ", "张三", "whitespace", id="outer_spaces"),
        pytest.param("张三 ", "张三", "whitespace", id="trailing_space"),
        pytest.param("张 三", "张三", "whitespace", id="padded_two_character_name"),
        pytest.param("张\u3000三", "张三", "whitespace,fullwidth", id="ideographic_space_inside"),
        pytest.param("欧阳娜娜\u3000", "欧阳娜娜", "whitespace,fullwidth", id="ideographic_space_after"),
        pytest.param("阿卜杜拉·买买提", "阿卜杜拉·买买提", None, id="standard_middle_dot"),
        pytest.param("阿卜杜拉•买买提", "阿卜杜拉·买买提", "middle_dot", id="bullet"),
        pytest.param("阿卜杜拉.买买提", "阿卜杜拉·买买提", "middle_dot", id="full_stop"),
        pytest.param("阿卜杜拉．买买提", "阿卜杜拉·买买提", "middle_dot,fullwidth", id="fullwidth_full_stop"),
        pytest.param("阿卜杜拉・买买提", "阿卜杜拉·买买提", "middle_dot", id="katakana_middle_dot"),
        pytest.param("阿卜杜拉 · 买买提", "阿卜杜拉·买买提", "whitespace", id="spaces_around_dot"),
        pytest.param("阿 卜 杜 热 合 曼 • 买 买 提", "阿卜杜热合曼·买买提", "whitespace,middle_dot", id="spaced_out"),
        pytest.param("John  Smith", "John Smith", "whitespace", id="latin_double_space"),
        pytest.param("ＪＯＨＮ　ＳＭＩＴＨ", "JOHN SMITH", "fullwidth", id="latin_fullwidth"),
        pytest.param("J. Smith", "J. Smith", None, id="latin_initial_keeps_full_stop"),
        pytest.param("王zhe", "王zhe", None, id="rare_character_as_pinyin"),
        pytest.param("", None, None, id="empty"),
        pytest.param("  ", None, "whitespace", id="blank"),
        pytest.param(None, None, None, id="null"),
    ],
)
def test_normalize_person_name_and_name_repairs(
    delivered: str | None, normalized: str | None, repairs: str | None
) -> None:
    assert apply_one(normalize_person_name, delivered) == normalized
    assert apply_one(name_repairs, delivered) == repairs


def test_normalize_person_name_closes_long_runs_of_spaced_han_in_latin_mixed_names() -> None:
    assert apply_one(normalize_person_name, "李 小 龙 Bruce  Lee") == "李小龙 Bruce Lee"


def test_normalize_person_name_keeps_the_column_name() -> None:
    frame = pl.DataFrame({"name": [" 张三 "]})
    assert frame.with_columns(normalize_person_name(pl.col("name"))).columns == ["name"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("王喆", "wangzhe"),
        ("王哲", "wangzhe"),
        ("王zhe", "wangzhe"),
        ("买买提·艾力", "maimaitiaili"),
        ("欧阳娜娜", "ouyangnana"),
        ("John Smith", "johnsmith"),
        ("", ""),
    ],
)
def test_name_pinyin_key_gives_homophones_the_same_key(name: str, key: str) -> None:
    assert name_pinyin_key(name) == key


def test_name_pinyin_keys_computes_each_distinct_name_once() -> None:
    assert apply(name_pinyin_keys, ["王喆", None, "王哲", "王喆"]) == ["wangzhe", None, "wangzhe", "wangzhe"]


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        ("杭州市西湖区阳光社区居民委员会", "杭州市西湖区阳光社区居民委员会"),
        (" 杭州市 阳光 志愿者协会 ", "杭州市阳光志愿者协会"),
        ("杭州阳光养老服务中心（民办非企业）", "杭州阳光养老服务中心(民办非企业)"),
        ("杭州阳光基金会﹙筹﹚", "杭州阳光基金会(筹)"),
        ("ＡＢＣ科技（杭州）有限公司", "ABC科技(杭州)有限公司"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_org_name(delivered: str | None, expected: str | None) -> None:
    assert apply_one(normalize_org_name, delivered) == expected


def test_name_expressions_read_their_input_once() -> None:
    column = pl.col("delivered_name")
    for expression in (normalize_person_name(column), name_repairs(column), normalize_org_name(column)):
        assert str(expression).count('col("delivered_name")') == 1
