"""Shared fixtures: small simulated cities, built once per test session."""

from __future__ import annotations

import pytest

from simulator.generate import SimulationResult, simulate

TINY_PERSONS = 300
SMALL_PERSONS = 2_000


@pytest.fixture(scope="session")
def tiny_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 300-person city, the smallest the contract's division ranges allow."""
    return simulate(tmp_path_factory.mktemp("tiny") / "out", persons=TINY_PERSONS, seed=7)


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 2,000-person city with heavy noise, so every issue occurs."""
    return simulate(tmp_path_factory.mktemp("small") / "out", persons=SMALL_PERSONS, seed=11, noise="heavy")


@pytest.fixture(scope="session")
def moderate_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 2,000-person city at the default noise level."""
    return simulate(tmp_path_factory.mktemp("moderate") / "out", persons=SMALL_PERSONS, seed=3)


@pytest.fixture(scope="session")
def clean_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 300-person city without any data issue."""
    return simulate(tmp_path_factory.mktemp("clean") / "out", persons=TINY_PERSONS, seed=5, noise="none")


# Every issue at a rate high enough to count in a 5,000-person city.
RATES = {
    **{f"id_{name}": 0.02 for name in ("fullwidth", "spaces", "mistyped_digit", "transposed_digits", "missing")},
    "id_legacy_15": 0.05,
    "id_lowercase_x": 0.05,
    "name_outer_spaces": 0.02,
    "name_inner_space": 0.02,
    "name_fullwidth_space": 0.02,
    "name_dot_variant": 0.3,
    "name_rare_char": 0.3,
    **{
        f"date_{name}": 0.02
        for name in ("slashes", "compact", "chinese", "excel_serial", "placeholder", "impossible", "future")
    },
    **{
        f"address_{name}": 0.02
        for name in ("no_prefix", "chinese_numerals", "building_word", "dash_form", "missing_room", "fullwidth")
    },
    **{f"phone_{name}": 0.03 for name in ("plus86", "separators", "landline", "typo_10")},
    "credit_code_lowercase": 0.05,
    "credit_code_mistyped": 0.05,
    "coordinates_missing": 0.05,
    "coordinates_zero": 0.05,
    "duplicate_row": 0.02,
    "duplicate_batch": 0.05,
    "correction": 0.03,
    "unknown_unit": 0.02,
    "schema_renamed": 0.25,
    "schema_added_column": 0.25,
    "schema_reordered": 0.25,
    "out_of_scope": 0.25,
    "broken_truncated": 0.02,
    "broken_wrong_encoding": 0.02,
    "broken_empty": 0.02,
    "extra_sheet": 0.25,
}


@pytest.fixture(scope="session")
def rates_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 5,000-person city with every issue at an explicit rate (`RATES`)."""
    return simulate(tmp_path_factory.mktemp("rates") / "out", persons=5_000, seed=21, noise_rates=RATES)
