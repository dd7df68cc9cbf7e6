"""Comparison levels and match weights of person mention pairs (table-driven)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from resolution.persons_compare import COMPARISONS, compare_pairs, prior_weight

FEATURES = (
    "id_number", "name_norm", "name_key", "birth_date", "gender_code", "phone_norm", "address_key", "estate_key",
)


def _pair(left: dict, right: dict, frequency: float = 1e-4) -> dict:
    row = {f"{c}_l": left.get(c) for c in FEATURES} | {f"{c}_r": right.get(c) for c in FEATURES}
    return row | {"name_frequency": frequency}


def _score(rows: list[dict]) -> pl.DataFrame:
    schema = {f"{c}_{s}": (pl.Date if c == "birth_date" else pl.Utf8) for c in FEATURES for s in "lr"}
    return compare_pairs(pl.DataFrame(rows, schema=schema | {"name_frequency": pl.Float64}), prior_weight(10_000))


WANG = {"name_norm": "王喆", "name_key": "wangzhe"}
WANG_HOMOPHONE = {"name_norm": "王哲", "name_key": "wangzhe"}
LI = {"name_norm": "李芳", "name_key": "lifang"}
NUMBER = "11010519491231002X"


@pytest.mark.parametrize(
    ("left", "right", "levels"),
    [
        (WANG | {"id_number": NUMBER}, WANG | {"id_number": "11010519491231003X"},
         {"id_number": "one_edit", "name": "exact", "birth_date": None, "gender": None}),
        (WANG | {"id_number": NUMBER}, WANG_HOMOPHONE | {"id_number": "21010519491231003X"},
         {"id_number": "different", "name": "homophone"}),
        (WANG | {"birth_date": date(1949, 12, 31), "gender_code": "2"},
         WANG | {"birth_date": date(1949, 12, 31), "gender_code": "2"},
         {"id_number": None, "birth_date": "exact", "gender": "exact"}),
        (WANG | {"birth_date": date(1949, 12, 31)}, LI | {"birth_date": date(1950, 1, 1)},
         {"name": "different", "birth_date": "different", "gender": None}),
        (WANG | {"phone_norm": "13800138000"}, WANG | {"phone_norm": "13800138000"}, {"phone": "exact"}),
        (WANG | {"phone_norm": "13800138000"}, WANG, {"phone": None}),
        (WANG | {"address_key": "梅园新村|1|2|301", "estate_key": "梅园新村"},
         WANG | {"address_key": "梅园新村|1|2|301", "estate_key": "梅园新村"}, {"address": "exact"}),
        (WANG | {"address_key": "梅园新村|1|2|301", "estate_key": "梅园新村"},
         WANG | {"address_key": "梅园新村|3|1|502", "estate_key": "梅园新村"}, {"address": "same_estate"}),
        (WANG | {"address_key": "梅园新村|1|2|301", "estate_key": "梅园新村"},
         WANG | {"address_key": "锁金新村|1|2|301", "estate_key": "锁金新村"}, {"address": "different"}),
    ],
)
def test_compare_pairs_puts_each_field_on_its_level(left: dict, right: dict, levels: dict) -> None:
    scored = _score([_pair(left, right)])
    for comparison, level in levels.items():
        assert scored[f"{comparison}_level"][0] == level, comparison


def test_missing_fields_weigh_nothing_and_agreement_outweighs_disagreement() -> None:
    scored = _score([
        _pair(WANG | {"phone_norm": "13800138000"}, WANG | {"phone_norm": "13800138000"}),
        _pair(WANG | {"phone_norm": "13800138000"}, WANG | {"phone_norm": "13900139000"}),
        _pair(WANG, WANG),
    ])
    phone = scored["phone_weight"].to_list()
    assert phone[0] > 10 > 0 > phone[1]
    assert phone[2] == 0
    assert scored["match_probability"][0] > 0.999 > scored["match_probability"][2]


def test_common_names_weigh_less_than_rare_names() -> None:
    scored = _score([_pair(WANG, WANG, frequency=0.005), _pair(WANG, WANG, frequency=0.00005)])
    common, rare = scored["name_weight"].to_list()
    assert rare - common == pytest.approx(6.64, abs=0.01)  # log2(100)


def test_a_mistyped_number_with_the_same_name_is_a_match_and_a_different_name_lowers_it() -> None:
    scored = _score([
        _pair(WANG | {"id_number": NUMBER}, WANG | {"id_number": "11010519491231003X"}),
        _pair(WANG | {"id_number": NUMBER}, LI | {"id_number": "11010519491231003X"}),
    ])
    same, other = scored["match_weight"].to_list()
    assert scored["match_probability"][0] > 0.9999
    assert same - other > 15


def test_every_level_has_probabilities_and_a_reason() -> None:
    for level in COMPARISONS:
        assert 0 < level.m <= 1, level
        assert level.u is None or 0 < level.u <= 1, level
        assert level.reason
    comparisons = {level.comparison for level in COMPARISONS}
    for comparison in comparisons:
        total = sum(level.m for level in COMPARISONS if level.comparison == comparison)
        assert total == pytest.approx(1.0), f"the m probabilities of {comparison} are a distribution"
