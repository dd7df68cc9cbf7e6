"""Specs for ingest.common.identity: GB 11643-1999 resident identity numbers."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.identity import (
    area_code_is_known,
    birth_date_from_id,
    check_character,
    gender_code_from_id,
    id_number_issue,
    id_number_repairs,
    is_valid_id_number,
    normalize_id_number,
)

AS_OF = date(2026, 1, 1)

# The example number printed in GB 11643-1999, checked by hand:
#   digits   1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
#   weights  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
#   sum = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "X".
#   ISO 7064 MOD 11-2 verification: 167 + 10 (X) = 177 = 16*11 + 1, remainder 1.
PUBLISHED = "11010519491231002X"
# The standard's second example, born 1880: its check character is right
# (sum 195, 195 mod 11 = 8 -> "4") but no living resident was born before 1900.
PUBLISHED_1880 = "440524188001010014"


def iso7064_mod11_2(first17: str) -> str:
    """Compute the check character by ISO 7064's recursive form, independently of the weight table."""
    product = 0
    for digit in first17:
        product = (product + int(digit)) * 2 % 11
    return "0123456789X"[(12 - product) % 11]


def make_id(area: str, born: str, sequence: str) -> str:
    """Build a valid identity number with the library's check character."""
    first17 = area + born + sequence
    return first17 + check_character(first17)


VALID_MAN = make_id("330106", "19880208", "971")
VALID_WOMAN = make_id("330106", "20010715", "002")


@pytest.mark.parametrize(
    ("first17", "expected"),
    [("11010519491231002", "X"), ("44052418800101001", "4")],
)
def test_check_character_matches_the_published_examples(first17: str, expected: str) -> None:
    assert check_character(first17) == expected
    assert iso7064_mod11_2(first17) == expected


def test_check_character_agrees_with_the_recursive_iso7064_form() -> None:
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        assert check_character(first17) == iso7064_mod11_2(first17)


@pytest.mark.parametrize("bad", ["1234", "1101051949123100A", "１１０１０５１９４９１２３１００２", ""])
def test_check_character_refuses_anything_but_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="17 ASCII digits"):
        check_character(bad)


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param(PUBLISHED, PUBLISHED, id="canonical"),
        pytest.param("11010519491231002x", PUBLISHED, id="lower_x"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", PUBLISHED, id="fullwidth"),
        pytest.param("１１０１０５１９４９１２３１００２ｘ", PUBLISHED, id="fullwidth_lower_x"),
        pytest.param(" 11010519491231002X ", PUBLISHED, id="outer_spaces"),
        pytest.param("110105 19491231 002X", PUBLISHED, id="grouped_as_on_forms"),
        pytest.param("11010519491231002X\u3000", PUBLISHED, id="trailing_ideographic_space"),
        pytest.param("1101051949\t1231002X\n", PUBLISHED, id="tab_and_newline"),
        pytest.param("110105491231002", PUBLISHED, id="legacy_15_digit"),
        pytest.param(" 110105 491231 002 ", PUBLISHED, id="legacy_15_digit_spaced"),
        pytest.param("１１０１０５４９１２３１００２", PUBLISHED, id="legacy_15_digit_fullwidth"),
        pytest.param("11010519491231003X", "11010519491231003X", id="mistyped_digit_kept"),
        pytest.param("1101051949123100", "1101051949123100", id="too_short_kept"),
        pytest.param("", None, id="empty"),
        pytest.param("   ", None, id="blank"),
        pytest.param(None, None, id="null"),
    ],
)
def test_normalize_id_number(delivered: str | None, expected: str | None) -> None:
    assert apply_one(normalize_id_number, delivered) == expected


def test_normalize_id_number_upgrades_15_digit_ids() -> None:
    # 330106 + 880208 + 971: born 1988-02-08, so "19" goes before the year.
    assert apply_one(normalize_id_number, "330106880208971") == VALID_MAN
    assert apply(normalize_id_number, ["330106880208971"]) == [VALID_MAN]


def test_normalize_id_number_keeps_the_column_name() -> None:
    frame = pl.DataFrame({"id_number": ["11010519491231002x"]})
    assert frame.with_columns(normalize_id_number(pl.col("id_number"))).columns == ["id_number"]


def test_normalize_id_number_works_on_a_literal() -> None:
    assert pl.select(normalize_id_number(pl.lit("110105491231002"))).item() == PUBLISHED


@pytest.mark.parametrize(
    ("canonical", "expected"),
    [
        pytest.param(PUBLISHED, None, id="published_example"),
        pytest.param(VALID_MAN, None, id="valid_man"),
        pytest.param(VALID_WOMAN, None, id="valid_woman"),
        pytest.param(None, "missing", id="null"),
        pytest.param("", "missing", id="empty"),
        pytest.param("1101051949123100", "bad_length", id="17_characters"),
        pytest.param("110105194912310020X", "bad_length", id="19_characters"),
        pytest.param("11010519491231OO2X", "bad_characters", id="letter_o_for_zero"),
        pytest.param("11010519491231002A", "bad_characters", id="check_letter_not_x"),
        pytest.param("X1010519491231002X", "bad_characters", id="x_not_last"),
        pytest.param("11010519491231003X", "bad_check_character", id="mistyped_sequence_digit"),
        pytest.param("11010519491231020X", "bad_check_character", id="transposed_sequence_digits"),
        # A transposition inside the birth date also makes the date
        # impossible (month 21); the check character names the typo.
        pytest.param("11010519492131002X", "bad_check_character", id="transposed_date_digits"),
        pytest.param("11010519491231002" + "0", "bad_check_character", id="wrong_check_character"),
        pytest.param(PUBLISHED_1880, "bad_birth_date", id="born_before_1900"),
        pytest.param(make_id("110105", "19490230", "001"), "bad_birth_date", id="impossible_date"),
        pytest.param(make_id("110105", "20990101", "001"), "bad_birth_date", id="born_in_the_future"),
        pytest.param(make_id("110105", "20260101", "001"), None, id="born_on_as_of"),
    ],
)
def test_id_number_issue(canonical: str | None, expected: str | None) -> None:
    assert apply_one(lambda expr: id_number_issue(expr, as_of=AS_OF), canonical) == expected


def test_id_number_issue_flags_every_wrong_check_character_and_accepts_the_right_one() -> None:
    rng = random.Random(7064)
    numbers, expected = [], []
    for _ in range(300):
        born = date.fromordinal(rng.randint(date(1900, 1, 1).toordinal(), date(2025, 12, 31).toordinal()))
        first17 = f"{rng.randint(110000, 659999)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
        right = iso7064_mod11_2(first17)
        for candidate in "0123456789X":
            numbers.append(first17 + candidate)
            expected.append(None if candidate == right else "bad_check_character")
    assert apply(lambda expr: id_number_issue(expr, as_of=AS_OF), numbers) == expected


def test_id_number_issue_of_normalized_delivery() -> None:
    delivered = ["11010519491231002x", "110105491231002", "11010519492131002X", ""]
    issues = apply(lambda expr: id_number_issue(normalize_id_number(expr), as_of=AS_OF), delivered)
    assert issues == [None, None, "bad_check_character", "missing"]


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param(PUBLISHED, None, id="canonical"),
        pytest.param("11010519491231002x", "lowercase_x", id="lower_x"),
        pytest.param("１１０１０５１９４９１２３１００２Ｘ", "fullwidth", id="fullwidth"),
        pytest.param("１１０１０５１９４９１２３１００２ｘ", "lowercase_x,fullwidth", id="fullwidth_lower_x"),
        pytest.param("110105 19491231 002X", "whitespace", id="inner_spaces"),
        pytest.param(" 11010519491231002X ", "whitespace", id="outer_spaces"),
        pytest.param("110105491231002", "upgraded_15_digit", id="legacy"),
        pytest.param("１１０１０５４９１２３１００２\u3000", "upgraded_15_digit,fullwidth,whitespace", id="everything"),
        pytest.param("11010519491231003X", None, id="typo_is_not_a_repair"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="null"),
    ],
)
def test_id_number_repairs(delivered: str | None, expected: str | None) -> None:
    assert apply_one(id_number_repairs, delivered) == expected


@pytest.mark.parametrize(
    ("canonical", "birth_date", "gender_code"),
    [
        (PUBLISHED, date(1949, 12, 31), "2"),
        (VALID_MAN, date(1988, 2, 8), "1"),
        (VALID_WOMAN, date(2001, 7, 15), "2"),
        ("11010519491231003X", date(1949, 12, 31), "1"),  # the check character is not verified
        ("11010519490230001X", None, "1"),  # no such day
        ("1101051949123100", None, None),
        ("11010519491231002A", None, None),
        (None, None, None),
    ],
)
def test_birth_date_and_gender_code_from_id(
    canonical: str | None, birth_date: date | None, gender_code: str | None
) -> None:
    assert apply_one(birth_date_from_id, canonical) == birth_date
    assert apply_one(gender_code_from_id, canonical) == gender_code


@pytest.mark.parametrize(
    ("canonical", "expected"),
    [
        (PUBLISHED, True),  # 110105 Beijing Chaoyang
        (VALID_MAN, True),  # 330106 Hangzhou Xihu
        (PUBLISHED_1880, True),  # 440524, a Guangdong county since abolished
        (make_id("999999", "19800101", "001"), False),
        ("12", False),
        (None, None),
    ],
)
def test_area_code_is_known(canonical: str | None, expected: bool | None) -> None:
    assert apply_one(area_code_is_known, canonical) is expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (PUBLISHED, True),
        (VALID_MAN, True),
        ("11010519491231002x", False),  # not canonical
        ("11010519491231020X", False),
        (PUBLISHED_1880, False),
        (make_id("110105", "20990101", "001"), False),
        ("110105491231002", False),
        ("", False),
        (None, False),
    ],
)
def test_is_valid_id_number(number: str | None, expected: bool) -> None:
    assert is_valid_id_number(number, as_of=AS_OF) is expected  # type: ignore[arg-type]


def test_identity_expressions_read_their_input_once() -> None:
    # Eager polars does not share repeated sub-expressions: an input read ten
    # times is computed ten times (this cost 400 s on 1M rows once).
    column = pl.col("delivered_id_number")
    for expression in (
        normalize_id_number(column),
        id_number_issue(column),
        id_number_repairs(column),
        birth_date_from_id(column),
        gender_code_from_id(column),
    ):
        assert str(expression).count('col("delivered_id_number")') == 1
