"""Life events over the simulated span: registration, deaths, moves, corrections.

These are the real-world facts; each department delivers its own view of them
(police deregister a death, civil affairs records it, with its own delays).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.config import SimulationConfig, month_start
from simulator.people import DEPARTED, FLOATING, OUTSIDE, REGISTERED, Population

NOT_A_DATE = np.datetime64("NaT", "D")
NOT_A_TIME = np.datetime64("NaT", "s")

CORRECTION_CATEGORIES = ("缓刑", "假释", "暂予监外执行", "管制")
# Shares of the caseload by category (Ministry of Justice yearbooks: suspended
# sentences dominate), and the range of supervision terms in years.
_CATEGORY_SHARES = (0.80, 0.09, 0.08, 0.03)
_CATEGORY_TERMS = ((1.0, 5.0), (0.5, 3.0), (0.5, 3.0), (0.25, 2.0))
# Longest delay between a death and its registration by civil affairs or its
# deregistration by the police; deaths stop this many days before the end so
# every death is registered within the span.
REGISTRATION_DELAY_DAYS = 20


@dataclass
class CorrectionCases:
    """Community corrections cases (columnar)."""

    person: np.ndarray
    category: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


@dataclass
class LifeEvents:
    """Dated facts per person (NaT where the event did not happen).

    Attributes:
        registered_date: Household registration date of registered residents.
        death_date: Date of death within the span.
        death_registered_at: When civil affairs recorded the death.
        moved_out_date: Date the household registration moved out of the city.
        corrections: Community corrections cases overlapping the last months.
    """

    registered_date: np.ndarray
    death_date: np.ndarray
    death_registered_at: np.ndarray
    moved_out_date: np.ndarray
    corrections: CorrectionCases


def office_times(days: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Return a timestamp in office hours (08:30-17:30) on each day."""
    seconds = rng.integers(8 * 3600 + 1800, 17 * 3600 + 1800, size=len(days))
    return days.astype("datetime64[s]") + seconds.astype("timedelta64[s]")


def uniform_dates(low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one date uniformly between `low` and `high` (inclusive) per pair."""
    span = (high - low).astype(np.int64)
    offsets = np.floor(rng.random(len(span)) * (np.maximum(span, 0) + 1)).astype(np.int64)
    return low + offsets.astype("timedelta64[D]")


def draw_life_events(
    config: SimulationConfig, population: Population, city_code: str, rng: dict[str, np.random.Generator]
) -> LifeEvents:
    """Draw every dated event of the span.

    Args:
        config: The run's options.
        population: All persons.
        city_code: 6-digit city code (persons whose identity number starts
            with its first four digits were born in the city).
        rng: Random streams keyed ``registration``, ``deaths``, ``moves``,
            ``corrections``.

    Returns:
        The events.
    """
    count = len(population)
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    age = population.age_on(config.end_date)

    registered_date = _registration_dates(population, city_code, end, rng["registration"])
    death_date, death_registered_at = _deaths(config, population, age, start, end, rng["deaths"])
    moved_out_date = np.full(count, NOT_A_DATE)
    movable = np.flatnonzero((population.residence == REGISTERED) & np.isnat(death_date) & (age >= 18))
    moves = min(len(movable), round(_registered_count(population) * config.annual_move_out_rate * config.months / 12))
    movers = rng["moves"].choice(movable, size=moves, replace=False) if moves else np.array([], dtype=np.int64)
    moved_out_date[movers] = uniform_dates(
        np.maximum(start, registered_date[movers] + 1), np.full(len(movers), end), rng["moves"]
    )
    corrections = _corrections(config, population, age, death_date, moved_out_date, rng["corrections"])
    return LifeEvents(
        registered_date=registered_date,
        death_date=death_date,
        death_registered_at=death_registered_at,
        moved_out_date=moved_out_date,
        corrections=corrections,
    )


def _registered_count(population: Population) -> int:
    return int((population.residence == REGISTERED).sum())


def _registration_dates(
    population: Population, city_code: str, end: np.datetime64, rng: np.random.Generator
) -> np.ndarray:
    """Registered at birth if born in the city, else on moving in as an adult."""
    count = len(population)
    registered = population.residence == REGISTERED
    born_here = np.array([number.startswith(city_code[:4]) for number in population.id_number])
    birth = population.birth_date
    at_birth = birth + rng.integers(3, 61, size=count).astype("timedelta64[D]")
    # Adults moved in on their own after 16; children came with their parents.
    adult = birth + np.timedelta64(16 * 365, "D")
    moved_in = uniform_dates(np.where(adult <= end, adult, birth), np.full(count, end), rng)
    dates = np.where(born_here, np.minimum(at_birth, end), moved_in)
    return np.where(registered, dates, NOT_A_DATE)


def _deaths(
    config: SimulationConfig,
    population: Population,
    age: np.ndarray,
    start: np.datetime64,
    end: np.datetime64,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Pick who dies, by a Gompertz hazard (mortality doubling every ~8 years)."""
    count = len(population)
    hazard = np.exp(0.085 * (age - 80.0))
    # Floating residents often return home when seriously ill.
    hazard = np.where(population.residence == FLOATING, hazard * 0.6, hazard)
    resident_deaths = round(population.residents * config.annual_death_rate * config.months / 12)
    outside_deaths = max(1, round(resident_deaths * config.outside_death_share)) if resident_deaths else 0
    residents = np.arange(population.residents)
    # Former floating residents who left are not among those dying here.
    outsiders = np.flatnonzero(population.residence == OUTSIDE)
    dying = np.concatenate(
        [
            _weighted_sample(residents, hazard[residents], resident_deaths, rng),
            _weighted_sample(outsiders, hazard[outsiders], min(outside_deaths, len(outsiders)), rng),
        ]
    )
    last = end - np.timedelta64(REGISTRATION_DELAY_DAYS, "D")
    death_date = np.full(count, NOT_A_DATE)
    death_date[dying] = uniform_dates(
        np.minimum(np.maximum(start, population.birth_date[dying] + 1), last), np.full(len(dying), last), rng
    )
    registered_at = np.full(count, NOT_A_TIME)
    delay = rng.integers(1, REGISTRATION_DELAY_DAYS + 1, size=len(dying)).astype("timedelta64[D]")
    registered_at[dying] = office_times(death_date[dying] + delay, rng)
    return death_date, registered_at


def _weighted_sample(items: np.ndarray, weights: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Sample without replacement, proportional to weight (Efraimidis-Spirakis)."""
    if size <= 0 or len(items) == 0:
        return np.array([], dtype=np.int64)
    keys = np.log(rng.random(len(items))) / weights
    return np.sort(items[np.argsort(-keys, kind="stable")[:size]])


def _corrections(
    config: SimulationConfig,
    population: Population,
    age: np.ndarray,
    death_date: np.ndarray,
    moved_out_date: np.ndarray,
    rng: np.random.Generator,
) -> CorrectionCases:
    """Draw the caseload of the months the justice rosters cover.

    Offenders under community corrections are ~88 % men and mostly aged 25-50
    (Ministry of Justice statistics).
    """
    window_start = np.datetime64(month_start(config.end_date, -(config.roster_months - 1)), "D")
    end = np.datetime64(config.end_date, "D")
    eligible = np.flatnonzero(
        (population.residence != OUTSIDE)
        & (population.residence != DEPARTED)
        & (age >= 18)
        & (age <= 70)
        & np.isnat(death_date)
        & np.isnat(moved_out_date)
    )
    adults = int(((population.residence != OUTSIDE) & (population.residence != DEPARTED) & (age >= 18)).sum())
    cases = min(len(eligible), max(config.corrections_min_cases, round(adults * config.corrections_share_of_adults)))
    weight = np.where(population.male[eligible], 7.3, 1.0) * np.where(
        (age[eligible] >= 25) & (age[eligible] <= 50), 2.0, 1.0
    )
    person = _weighted_sample(eligible, weight, cases, rng)
    category = rng.choice(len(CORRECTION_CATEGORIES), size=cases, p=_CATEGORY_SHARES)
    low = np.array([term[0] for term in _CATEGORY_TERMS])[category]
    high = np.array([term[1] for term in _CATEGORY_TERMS])[category]
    term_days = np.round(rng.uniform(low, high) * 365).astype(np.int64)
    # Start so that the case overlaps the roster window.
    earliest = window_start - term_days.astype("timedelta64[D]")
    start = uniform_dates(earliest, np.full(cases, end), rng)
    return CorrectionCases(
        person=person,
        category=np.array(CORRECTION_CATEGORIES)[category],
        start=start,
        end=start + term_days.astype("timedelta64[D]"),
    )

