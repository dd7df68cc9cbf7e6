"""Floating residents (流动人口): arrival, residence permits, reason, employer, departure.

Every floating resident registers with the police on arrival (``DJRQ``) and
holds a residence permit valid one year, renewed each year (``YXQZ``); each
renewal updates the police row. Residents who left during the span stay in
the register with a permit that lapsed or will lapse (the police are not told
of departures). Migrant surveys: stays average about five years; most come to
work, some to do business, study or join family.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import USE_RESIDENTIAL, Units
from simulator.events import NOT_A_DATE, uniform_dates
from simulator.organizations import COMPANY, PUBLIC_INSTITUTION, SOLE_PROPRIETOR, Organizations
from simulator.people import DEPARTED, FLOATING, Households, Population

REASONS = ("务工", "经商", "求学", "投亲", "其他")
WORK, BUSINESS, STUDY, FAMILY, OTHER = range(5)
_PERMIT_DAYS = 365
# Share of residents whose permit lapsed without renewal although they stay.
_OVERDUE_SHARE = 0.05


@dataclass
class FloatingResidents:
    """The police register of floating residents (columnar, one entry per person).

    Attributes:
        person: Person index (floating residents, then departed ones).
        unit: Unit lived in (for departed persons, the unit they left).
        arrived: Registration date (``DJRQ``).
        valid_until: End of the latest permit (``YXQZ``).
        last_renewed: Date of the latest renewal (NaT if never renewed).
        left: Departure date of departed persons, else NaT.
        reason: Index into `REASONS`.
        workplace: Organization index named as employer or school, else -1.
    """

    person: np.ndarray
    unit: np.ndarray
    arrived: np.ndarray
    valid_until: np.ndarray
    last_renewed: np.ndarray
    left: np.ndarray
    reason: np.ndarray
    workplace: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


def departed_count(floating_persons: int, annual_rate: float, months: int) -> int:
    """Return how many floating residents left during the span."""
    return round(floating_persons * annual_rate * months / 12)


def draw_floating_residents(
    population: Population,
    households: Households,
    units: Units,
    organizations: Organizations,
    span: tuple[np.datetime64, np.datetime64],
    rng: np.random.Generator,
) -> FloatingResidents:
    """Draw arrival, permits, reasons and workplaces of every floating resident.

    Args:
        population: Everyone; floating and departed persons are registered.
        households: Households with their unit.
        units: The housing stock (departed persons' former flats).
        organizations: Employers, shops and schools.
        span: First and last day of the span.
        rng: Random stream of the floating register.

    Returns:
        The register, present residents first in person order, then departed.
    """
    start, end = span
    present = np.flatnonzero(population.residence == FLOATING)
    departed = np.flatnonzero(population.residence == DEPARTED)
    birth = population.birth_date

    # Households arrive together: the head's stay decides; children born
    # since registered a few weeks after birth.
    household = population.household[present]
    head_of = households.first_member[household]
    heads = np.unique(head_of)
    adult_since = birth[heads] + np.timedelta64(16 * 365, "D")
    stay = np.round(rng.exponential(5 * 365, len(heads))).astype("timedelta64[D]")
    head_arrival = np.maximum(end - stay, np.minimum(adult_since, end))
    arrived = head_arrival[np.searchsorted(heads, head_of)]
    arrived = np.maximum(arrived, birth[present] + rng.integers(15, 60, len(present)).astype("timedelta64[D]"))
    arrived = np.minimum(arrived, end)
    present_unit = households.unit[household]

    # Departed residents: left on a day of the span after a shorter stay.
    left = uniform_dates(np.full(len(departed), start), np.full(len(departed), end), rng)
    departed_stay = np.round(rng.exponential(3 * 365, len(departed)) + 60).astype("timedelta64[D]")
    departed_arrival = np.maximum(left - departed_stay, birth[departed] + np.timedelta64(16 * 365, "D"))
    residential = np.flatnonzero(units.use == USE_RESIDENTIAL)
    vacant = np.setdiff1d(residential, households.unit)
    pool = vacant if len(vacant) else residential
    departed_unit = rng.choice(pool, size=len(departed))

    person = np.concatenate([present, departed])
    arrived_all = np.concatenate([arrived, departed_arrival])
    left_all = np.concatenate([np.full(len(present), NOT_A_DATE), left])
    unit = np.concatenate([present_unit, departed_unit])

    # Permits renew on each anniversary of arrival up to the last one before
    # the end (or before leaving); a few residents are overdue.
    until = np.where(np.isnat(left_all), end, left_all)
    years = np.floor((until - arrived_all).astype(np.int64) / _PERMIT_DAYS).astype(np.int64)
    overdue = np.isnat(left_all) & (rng.random(len(person)) < _OVERDUE_SHARE) & (years >= 1)
    years = years - overdue
    last_renewed = np.where(years >= 1, arrived_all + (years * _PERMIT_DAYS).astype("timedelta64[D]"), NOT_A_DATE)
    valid_until = arrived_all + ((years + 1) * _PERMIT_DAYS).astype("timedelta64[D]")

    age = ((end - birth[person]).astype(np.int64) / 365.25).astype(np.int64)
    reason = _reasons(age, rng)
    workplace = _workplaces(reason, organizations, rng)
    return FloatingResidents(
        person=person,
        unit=unit,
        arrived=arrived_all,
        valid_until=valid_until,
        last_renewed=last_renewed,
        left=left_all,
        reason=reason,
        workplace=workplace,
    )


def _reasons(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    draw = rng.random(len(age))
    child = np.where(age >= 6, np.where(draw < 0.4, STUDY, FAMILY), FAMILY)
    student_age = np.select([draw < 0.5, draw < 0.9], [STUDY, WORK], default=OTHER)
    working = np.select([draw < 0.70, draw < 0.88, draw < 0.93], [WORK, BUSINESS, FAMILY], default=OTHER)
    elderly = np.where(draw < 0.85, FAMILY, OTHER)
    return np.select(
        [age < 16, age <= 22, age < 60], [child, student_age, working], default=elderly
    ).astype(np.int64)


def _workplaces(reason: np.ndarray, organizations: Organizations, rng: np.random.Generator) -> np.ndarray:
    workplace = np.full(len(reason), -1, dtype=np.int64)
    pools = {
        WORK: (organizations.of_kind(COMPANY), 0.85),
        BUSINESS: (organizations.of_kind(SOLE_PROPRIETOR), 0.7),
        STUDY: (organizations.of_kind(PUBLIC_INSTITUTION), 0.9),
    }
    for reason_code, (pool, named_share) in pools.items():
        rows = np.flatnonzero((reason == reason_code) & (rng.random(len(reason)) < named_share))
        if len(pool) == 0 or len(rows) == 0:
            continue
        # A few big employers take many workers (Zipf); shops and schools are
        # spread more evenly.
        weight = 1.0 / np.arange(1, len(pool) + 1) ** (0.8 if reason_code == WORK else 0.3)
        workplace[rows] = pool[rng.choice(len(pool), size=len(rows), p=weight / weight.sum())]
    return workplace
