"""Specs for ingest.common.credit_codes: GB 32100-2015 unified social credit codes."""

from __future__ import annotations

import random

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.credit_codes import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    credit_code_issue,
    is_valid_credit_code,
    normalize_credit_code,
)

# The example code of GB 32100-2015, checked by hand (M = 21, Y = 30):
#   characters 9 1 3  5  0  1  0  0  M  0  0  0 1  0  0  Y  4
#   weights    1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
#   sum = 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640
#   1640 mod 31 = 28; (31 - 28) mod 31 = 3 -> "3".
PUBLISHED = "91350100M000100Y43"


def reference_check_character(first17: str) -> str:
    """Compute the check character with weights 3**i mod 31, independently of the module's table."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def make_code(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


FOUNDATION = make_code("53330100MJ0000001")
SOCIAL_GROUP = make_code("51330106MJ2345678")


def test_credit_code_check_character_matches_the_published_example() -> None:
    assert credit_code_check_character(PUBLISHED[:17]) == "3"
    assert reference_check_character(PUBLISHED[:17]) == "3"


def test_credit_code_check_character_agrees_with_the_reference() -> None:
    rng = random.Random(32100)
    for _ in range(2000):
        first17 = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(17))
        assert credit_code_check_character(first17) == reference_check_character(first17)


@pytest.mark.parametrize("bad", ["9135", "91350100I000100Y4", "91350100m000100y4"])
def test_credit_code_check_character_refuses_bad_input(bad: str) -> None:
    with pytest.raises(ValueError, match="17 characters"):
        credit_code_check_character(bad)


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        (PUBLISHED, PUBLISHED),
        (" 91350100m000100y43 ", PUBLISHED),
        ("９１３５０１００Ｍ０００１００Ｙ４３", PUBLISHED),
        ("913501 00M000 100Y43", PUBLISHED),
        ("91350100M000100Y43\u3000", PUBLISHED),
        ("91350100MOOO100Y43", "91350100MOOO100Y43"),  # look-alikes are not guessed
        ("", None),
        (None, None),
    ],
)
def test_normalize_credit_code(delivered: str | None, expected: str | None) -> None:
    assert apply_one(normalize_credit_code, delivered) == expected


@pytest.mark.parametrize(
    ("canonical", "expected"),
    [
        pytest.param(PUBLISHED, None, id="published_example"),
        pytest.param(FOUNDATION, None, id="foundation"),
        pytest.param(SOCIAL_GROUP, None, id="social_group"),
        pytest.param(None, "missing", id="null"),
        pytest.param("", "missing", id="empty"),
        pytest.param("91350100M000100Y4", "bad_length", id="17_characters"),
        pytest.param("91350100MOOO100Y43", "bad_characters", id="letter_o"),
        pytest.param("91350100M000100I43", "bad_characters", id="letter_i"),
        pytest.param("91350100M000100Y44", "bad_check_character", id="wrong_check_character"),
        pytest.param("91350100M001000Y43", "bad_check_character", id="transposed"),
    ],
)
def test_credit_code_issue(canonical: str | None, expected: str | None) -> None:
    assert apply_one(credit_code_issue, canonical) == expected


def test_credit_code_issue_flags_every_wrong_check_character() -> None:
    rng = random.Random(31)
    codes, expected = [], []
    for _ in range(100):
        first17 = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(17))
        right = reference_check_character(first17)
        for candidate in CREDIT_CODE_ALPHABET:
            codes.append(first17 + candidate)
            expected.append(None if candidate == right else "bad_check_character")
    assert apply(credit_code_issue, codes) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (PUBLISHED, True),
        (FOUNDATION, True),
        ("91350100M000100Y44", False),
        ("91350100m000100y43", False),  # not canonical
        (None, False),
    ],
)
def test_is_valid_credit_code(code: str | None, expected: bool) -> None:
    assert is_valid_credit_code(code) is expected  # type: ignore[arg-type]


def test_credit_code_expressions_read_their_input_once() -> None:
    column = pl.col("delivered_code")
    for expression in (normalize_credit_code(column), credit_code_issue(column)):
        assert str(expression).count('col("delivered_code")') == 1
