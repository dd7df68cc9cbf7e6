"""Data-issue injection: each issue, its rate and its record."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from delivered_rows import normalize_identity_number
from simulator.config import NOISE_LEVELS, NoiseRates, SimulationConfig
from simulator.identity_numbers import check_character, is_valid_identity_number
from simulator.noise import NoiseInjector, combine_issues

BODY = "32010219800101123"
NUMBER = BODY + check_character(BODY)
X_BODY = next(b for b in (f"3201021980010112{d}" for d in range(10)) if check_character(b) == "X")
ZERO = NoiseRates(**{f.name: 0.0 for f in dataclasses.fields(NoiseRates)})


def only(issue: str) -> NoiseRates:
    return dataclasses.replace(ZERO, **{issue: 1.0})


@pytest.mark.parametrize(
    ("issue", "repairable"),
    [
        ("id_legacy_15", True),
        ("id_fullwidth", True),
        ("id_spaces", True),
        ("id_mistyped_digit", False),
        ("id_transposed_digits", False),
        ("id_missing", False),
    ],
)
def test_identity_number_issue_is_repairable_only_when_expected(issue: str, repairable: bool) -> None:
    noisy = NoiseInjector(only(issue), np.random.default_rng(0)).identity_numbers([NUMBER] * 200)
    assert set(noisy.issues) == {issue}
    assert all(v != NUMBER for v in noisy.values)
    assert noisy.unrecoverable.tolist() == [not repairable] * 200
    repaired = {normalize_identity_number(v) for v in noisy.values}
    assert repaired == ({NUMBER} if repairable else {None})


def test_lowercase_x_hits_only_numbers_ending_in_x() -> None:
    with_x = X_BODY + "X"
    noisy = NoiseInjector(only("id_lowercase_x"), np.random.default_rng(0)).identity_numbers([with_x, NUMBER])
    assert noisy.values == [X_BODY + "x", NUMBER]
    assert noisy.issues == ["id_lowercase_x", ""]


def test_legacy_15_hits_only_persons_born_in_the_1900s() -> None:
    body = "32010220050101123"
    born_2005 = body + check_character(body)
    noisy = NoiseInjector(only("id_legacy_15"), np.random.default_rng(0)).identity_numbers([born_2005])
    assert noisy.values == [born_2005] and noisy.issues == [""]


def test_name_issues_keep_the_characters_of_the_name() -> None:
    rng = np.random.default_rng(0)
    for issue in ("name_outer_spaces", "name_inner_space", "name_fullwidth_space"):
        noisy = NoiseInjector(only(issue), rng).names(["张伟"] * 20)
        assert set(noisy.issues) == {issue}
        assert {v.replace(" ", "").replace("\u3000", "") for v in noisy.values} == {"张伟"}
        assert not noisy.unrecoverable.any()


def test_dot_variants_respect_the_delivery_encoding() -> None:
    noisy = NoiseInjector(only("name_dot_variant"), np.random.default_rng(0), charset="gbk").names(
        ["阿依古丽·买买提"] * 200
    )
    assert set(noisy.issues) == {"name_dot_variant"}
    assert all("·" not in v for v in noisy.values)
    for value in noisy.values:
        value.encode("gbk")


def test_rare_characters_become_homophones_or_pinyin() -> None:
    noisy = NoiseInjector(only("name_rare_char"), np.random.default_rng(0)).names(["王喆"] * 100)
    assert set(noisy.values) == {"王哲", "王zhe"}


def test_date_issues_write_the_contract_forms() -> None:
    forms = {}
    for issue in ("date_slashes", "date_compact", "date_chinese"):
        forms[issue] = NoiseInjector(only(issue), np.random.default_rng(0)).dates(["2025-03-07", ""]).values
    assert forms == {
        "date_slashes": ["2025/3/7", ""],
        "date_compact": ["20250307", ""],
        "date_chinese": ["2025年3月7日", ""],
    }


def test_noise_level_none_touches_nothing() -> None:
    rates = SimulationConfig(persons=100, noise="none").noise_rates
    injector = NoiseInjector(rates, np.random.default_rng(0))
    assert set(injector.identity_numbers([NUMBER] * 1000).issues) == {""}
    assert not injector.duplicates(1000).any()


def test_moderate_noise_touches_a_few_percent_of_identity_numbers() -> None:
    rates = SimulationConfig(persons=100, noise="moderate").noise_rates
    rng = np.random.default_rng(0)
    noisy = NoiseInjector(rates, rng).identity_numbers([NUMBER] * 20_000)
    touched = sum(1 for issue in noisy.issues if issue) / 20_000
    assert 0.01 < touched < 0.06
    assert all(is_valid_identity_number(v) for v, i in zip(noisy.values, noisy.issues, strict=True) if not i)


def test_noise_levels_scale_the_rates() -> None:
    moderate = SimulationConfig(persons=100, noise="moderate").noise_rates
    heavy = SimulationConfig(persons=100, noise="heavy").noise_rates
    assert heavy.id_missing == pytest.approx(moderate.id_missing * NOISE_LEVELS["heavy"])
    assert all(0.0 <= getattr(heavy, f.name) <= 1.0 for f in dataclasses.fields(heavy))


def test_combine_issues_joins_the_issues_of_a_row() -> None:
    assert combine_issues(["id_spaces", ""], ["", ""], ["date_compact", ""]) == ["id_spaces;date_compact", ""]
