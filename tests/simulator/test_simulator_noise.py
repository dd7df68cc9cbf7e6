"""Data-issue injection: each issue, its rate and its record."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import numpy as np
import pytest

from delivered_rows import normalize_identity_number
from simulator.config import NOISE_LEVELS, NoiseRates, SimulationConfig
from simulator.credit_codes import is_valid_credit_code, make_credit_codes
from simulator.identity_numbers import check_character, is_valid_identity_number
from simulator.noise import FieldNoise, NoiseInjector, combine_issues
from simulator.world import World, build_world

FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

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


def test_date_issues_include_serials_placeholders_impossible_and_future_dates() -> None:
    def forms(issue: str) -> list[str]:
        injector = NoiseInjector(only(issue), np.random.default_rng(0), today=date(2026, 10, 31))
        return injector.dates(["2025-03-07"] * 20).values

    assert set(forms("date_excel_serial")) == {"45723"}
    assert set(forms("date_placeholder")) == {"00000000", "1900-01-01"}
    for value in forms("date_impossible"):
        year, month, day = (int(part) for part in value.split("-"))
        with pytest.raises(ValueError):
            date(year, month, day)
    assert all(date.fromisoformat(v) > date(2026, 10, 31) for v in forms("date_future"))


def test_future_dates_are_not_injected_where_future_dates_are_normal() -> None:
    injector = NoiseInjector(only("date_future"), np.random.default_rng(0), today=date(2026, 10, 31))
    assert set(injector.dates(["2027-03-07"] * 20, future_ok=True).issues) == {""}


def test_old_dates_are_not_written_as_excel_serials() -> None:
    injector = NoiseInjector(only("date_excel_serial"), np.random.default_rng(0))
    assert injector.dates(["1950-01-01"]).issues == [""]


def test_phone_issues_write_the_contract_forms() -> None:
    mobile = "13812345678"

    def noisy(issue: str, landline: str = "") -> FieldNoise:
        return NoiseInjector(only(issue), np.random.default_rng(0)).phones([mobile] * 50, [landline] * 50)

    assert all(re.fullmatch(r"(\+86 ?|0086|86-)13812345678", v) for v in noisy("phone_plus86").values)
    assert {v.replace(" ", "").replace("-", "") for v in noisy("phone_separators").values} == {mobile}
    typos = noisy("phone_typo_10")
    assert all(len(v) == 10 for v in typos.values) and typos.unrecoverable.all()
    assert set(noisy("phone_landline").issues) == {""}  # no landline: nothing to give instead
    landlines = noisy("phone_landline", "025-84123456")
    assert set(landlines.values) <= {"025-84123456", "(025)84123456", "02584123456"}
    assert set(landlines.issues) == {"phone_landline"}


def test_credit_code_issues_are_repairable_only_when_expected() -> None:
    codes = make_credit_codes(["320102"] * 200, np.random.default_rng(1))
    lower = NoiseInjector(only("credit_code_lowercase"), np.random.default_rng(0)).credit_codes(codes)
    assert all(v.upper() == c for v, c in zip(lower.values, codes, strict=True))
    mistyped = NoiseInjector(only("credit_code_mistyped"), np.random.default_rng(0)).credit_codes(codes)
    assert not any(is_valid_credit_code(v) for v in mistyped.values)
    assert mistyped.unrecoverable.all()


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(SimulationConfig(persons=400, seed=2))


@pytest.mark.parametrize(
    ("issue", "pattern"),
    [
        ("address_no_prefix", r"^(?!江苏省).*室$"),
        ("address_chinese_numerals", r"^江苏省.*[一二三四五六七八九十]+栋[一二三四五六七八九十]+单元\d+室$"),
        ("address_building_word", r"^江苏省.*\d+(幢|号楼)\d+单元\d+室$"),
        ("address_dash_form", r"^.*\d+-\d+-\d+$"),
        ("address_fullwidth", r"^江苏省.*[０-９]+栋[０-９]+单元[０-９]+室$"),
    ],
)
def test_address_issues_write_the_same_unit_another_way(world: World, issue: str, pattern: str) -> None:
    units = world.households.unit[:50].tolist()
    noisy = NoiseInjector(only(issue), np.random.default_rng(0)).addresses(units, world.addresses)
    assert set(noisy.issues) == {issue}
    assert all(re.match(pattern, v) for v in noisy.values), noisy.values[:3]
    assert not noisy.unrecoverable.any()
    for value, unit in zip(noisy.values, units, strict=True):
        assert world.units.estate[unit] in value
        assert world.units.room[unit] in value.translate(FULLWIDTH)


def test_addresses_without_room_or_entrance_no_longer_name_one_unit(world: World) -> None:
    units = world.households.unit[:200].tolist()
    noisy = NoiseInjector(only("address_missing_room"), np.random.default_rng(0)).addresses(units, world.addresses)
    for value, unit, bad in zip(noisy.values, units, noisy.unrecoverable, strict=True):
        if not value.endswith("室"):
            assert bad
        else:
            assert "单元" not in value
            assert bad == (not world.addresses.single_entrance(unit))


def test_batch_issues_hit_at_least_one_batch_when_their_rate_is_not_zero() -> None:
    injector = NoiseInjector(ZERO, np.random.default_rng(0))
    assert injector.pick_batches(3, 0.001).sum() == 1
    assert injector.pick_batches(3, 0.0).sum() == 0
    assert 200 < injector.pick_batches(1000, 0.25).sum() < 300
