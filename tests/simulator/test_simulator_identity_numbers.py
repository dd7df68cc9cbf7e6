"""Identity numbers and credit codes the simulator generates."""

from __future__ import annotations

import numpy as np

from simulator.credit_codes import credit_code_check, is_valid_credit_code, make_credit_codes
from simulator.identity_numbers import (
    assign_identity_numbers,
    check_character,
    check_characters,
    is_valid_identity_number,
    to_legacy_15,
)


def test_check_character_matches_the_standard_example() -> None:
    # The example number of GB 11643-1999's annex.
    assert check_character("11010519491231002") == "X"
    assert is_valid_identity_number("11010519491231002X")
    assert not is_valid_identity_number("110105194912310021")


def test_check_characters_agree_with_the_scalar_function() -> None:
    bodies = ["11010519491231002", "32010219800101123", "44030420001231999"]
    assert check_characters(bodies) == [check_character(b) for b in bodies]


def test_is_valid_identity_number_rejects_impossible_birth_dates() -> None:
    body = "32010219800230123"
    assert not is_valid_identity_number(body + check_character(body))


def test_to_legacy_15_drops_the_century_and_the_check_character() -> None:
    assert to_legacy_15("11010519491231002X") == "110105491231002"


def test_assign_identity_numbers_are_unique_valid_and_carry_the_gender() -> None:
    count = 5_000
    rng = np.random.default_rng(0)
    # Everybody shares address and birth date: forces sequence collisions.
    codes = np.full(count // 10, "320102")
    births = np.full(count // 10, np.datetime64("1980-01-01", "D"))
    male = rng.random(count // 10) < 0.5
    numbers = assign_identity_numbers(codes, births, male, rng)
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_identity_number(n) for n in numbers)
    assert all(int(n[16]) % 2 == int(m) for n, m in zip(numbers, male, strict=True))


def test_credit_code_check_matches_a_published_code() -> None:
    # Unified social credit code of a listed company (public record).
    assert credit_code_check("91350100M000100Y4") == "3"
    assert is_valid_credit_code("91350100M000100Y43")
    assert not is_valid_credit_code("91350100M000100Y44")


def test_make_credit_codes_are_unique_and_valid() -> None:
    codes = make_credit_codes(["320102"] * 500, np.random.default_rng(1))
    assert len(set(codes)) == 500
    assert all(is_valid_credit_code(c) and c.startswith("91320102") for c in codes)
