"""Shared fixtures: small simulated cities, built once per test session."""

from __future__ import annotations

import pytest

from noise_rates import RATES
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


@pytest.fixture(scope="session")
def rates_city(tmp_path_factory: pytest.TempPathFactory) -> SimulationResult:
    """A 5,000-person city with every issue at an explicit rate (`RATES`)."""
    return simulate(tmp_path_factory.mktemp("rates") / "out", persons=5_000, seed=21, noise_rates=RATES)
