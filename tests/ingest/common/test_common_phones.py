"""Specs for ingest.common.phones: E.164 normalization of Chinese phone numbers."""

from __future__ import annotations

import polars as pl
import pytest
from normalization_cases import apply_one

from ingest.common.phones import normalize_phone, phone_issue


@pytest.mark.parametrize(
    ("delivered", "normalized", "issue"),
    [
        pytest.param("13812345678", "+8613812345678", None, id="mobile"),
        pytest.param("+8613812345678", "+8613812345678", None, id="mobile_e164"),
        pytest.param("+86 138 1234 5678", "+8613812345678", None, id="mobile_plus86_spaces"),
        pytest.param("+86-138-1234-5678", "+8613812345678", None, id="mobile_plus86_dashes"),
        pytest.param("(+86)13812345678", "+8613812345678", None, id="mobile_plus86_parentheses"),
        pytest.param("8613812345678", "+8613812345678", None, id="mobile_86"),
        pytest.param("0086 13812345678", "+8613812345678", None, id="mobile_0086"),
        pytest.param("138-1234-5678", "+8613812345678", None, id="mobile_dashes"),
        pytest.param("138 1234 5678 ", "+8613812345678", None, id="mobile_spaces"),
        pytest.param("１３８１２３４５６７８", "+8613812345678", None, id="mobile_fullwidth"),
        pytest.param("138\u30001234\u30005678", "+8613812345678", None, id="mobile_ideographic_spaces"),
        pytest.param("010-12345678", "+861012345678", None, id="landline_beijing"),
        pytest.param("021-6234 5678", "+862162345678", None, id="landline_shanghai"),
        pytest.param("0571 8888 6666", "+8657188886666", None, id="landline_spaces"),
        pytest.param("(0571)88886666", "+8657188886666", None, id="landline_parentheses"),
        pytest.param("（０５７１）８８８８６６６６", "+8657188886666", None, id="landline_fullwidth"),
        pytest.param("0571—88886666", "+8657188886666", None, id="landline_em_dash"),
        pytest.param("0571-8888666", "+865718888666", None, id="landline_seven_digits"),
        pytest.param("+86 571 8888 6666", "+8657188886666", None, id="landline_e164_spaced"),
        pytest.param("+86 0571 8888 6666", "+8657188886666", None, id="landline_plus86_with_trunk_zero"),
        pytest.param("1381234567", None, "unparseable", id="mobile_missing_a_digit"),
        pytest.param("138123456789", None, "unparseable", id="mobile_extra_digit"),
        pytest.param("+86 138 1234 567", None, "unparseable", id="mobile_e164_missing_a_digit"),
        pytest.param("12345678901", None, "unparseable", id="not_a_mobile_range"),
        pytest.param("88886666", None, "unparseable", id="landline_without_area_code"),
        pytest.param("0571-88886666-801", None, "unparseable", id="extension"),
        pytest.param("13812345678/13987654321", None, "unparseable", id="two_numbers"),
        pytest.param("无", None, "unparseable", id="none_in_words"),
        pytest.param("", None, "missing", id="empty"),
        pytest.param("  ", None, "missing", id="blank"),
        pytest.param(None, None, "missing", id="null"),
    ],
)
def test_normalize_phone_and_phone_issue(delivered: str | None, normalized: str | None, issue: str | None) -> None:
    assert apply_one(normalize_phone, delivered) == normalized
    assert apply_one(lambda expr: phone_issue(expr, normalize_phone(expr)), delivered) == issue


def test_normalize_phone_keeps_the_column_name() -> None:
    frame = pl.DataFrame({"phone": ["138 1234 5678"]})
    assert frame.with_columns(normalize_phone(pl.col("phone"))).columns == ["phone"]


def test_normalize_phone_reads_its_input_once() -> None:
    assert str(normalize_phone(pl.col("delivered_phone"))).count('col("delivered_phone")') == 1
