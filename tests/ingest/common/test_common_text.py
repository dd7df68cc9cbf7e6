"""Specs for ingest.common.text: full-width to half-width and the shared helpers."""

from __future__ import annotations

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.text import contains_fullwidth, contains_whitespace, named_like, null_if_empty, to_halfwidth


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("ＡＢＣ　ｘｙｚ", "ABC xyz"),
        ("阳光花园３栋２单元５０１室", "阳光花园3栋2单元501室"),
        ("（０５７１）８８８８－６６６６", "(0571)8888-6666"),
        ("！～", "!~"),
        ("already ascii 123", "already ascii 123"),
        ("张三", "张三"),
        ("", ""),
        (None, None),
    ],
)
def test_to_halfwidth_maps_fullwidth_ascii_and_ideographic_space(delivered: str | None, expected: str | None) -> None:
    assert apply_one(to_halfwidth, delivered) == expected


def test_to_halfwidth_covers_the_whole_fullwidth_ascii_block() -> None:
    block = "".join(chr(code) for code in range(0xFF01, 0xFF5F))
    assert apply_one(to_halfwidth, block) == "".join(chr(code) for code in range(0x21, 0x7F))


@pytest.mark.parametrize(
    ("delivered", "fullwidth", "whitespace"),
    [
        ("１２３", True, False),
        ("12 3", False, True),
        ("12\u30003", True, True),
        ("123\u200b", False, True),
        ("\ufeff123", False, True),
        ("123", False, False),
        (None, None, None),
    ],
)
def test_contains_fullwidth_and_whitespace(
    delivered: str | None, fullwidth: bool | None, whitespace: bool | None
) -> None:
    assert apply_one(contains_fullwidth, delivered) is fullwidth
    assert apply_one(contains_whitespace, delivered) is whitespace


def test_null_if_empty_turns_only_empty_strings_into_null() -> None:
    assert apply(null_if_empty, ["", " ", "a", None]) == [None, " ", "a", None]


def test_named_like_keeps_the_input_name_and_tolerates_selectors() -> None:
    assert pl.DataFrame({"id_number": ["x"]}).select(named_like(pl.lit("y"), pl.col("id_number"))).columns == [
        "id_number"
    ]
    assert str(named_like(pl.lit("y"), pl.all())) == str(pl.lit("y"))
