"""Who owns each house unit, and how the register changed over the span.

Owner mixes by kind of unit follow the pattern of Chinese city housing
registers: most occupied flats belong to the household head or spouse,
rented and vacant flats to other residents (multiple-property owners) or to
persons living elsewhere, shops and offices mostly to companies. Owners living
elsewhere are the contract's referential gap: a person no other system knows.

Over the span some units change hands or are remeasured (one change per unit
at most), a few are registered for the first time, and a few are never in the
register at all although people live in them (the other referential gap).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import USE_COMMERCIAL, USE_RESIDENTIAL, Units
from simulator.events import NOT_A_DATE, office_times, uniform_dates
from simulator.organizations import COMPANY, Organizations, build_organizations
from simulator.people import OUTSIDE, REGISTERED, RELATION_CODES, Households, Population

__all__ = [
    "NO_OWNER", "Organizations", "Ownership", "assign_owners", "build_organizations", "next_workday", "workdays",
]

NO_OWNER = -1
TRANSFER = "transfer"
REMEASURE = "remeasure"
NEW_UNIT = "new_unit"


@dataclass
class Ownership:
    """The registered owner of each unit, at the end of the span and before.

    Attributes:
        person: Owner's person index, or `NO_OWNER` when an organization owns it.
        organization: Owner's organization index, or `NO_OWNER`.
        changed_at: Last change of the register entry (``datetime64[s]``).
        occupant: Household living in the unit, or `NO_OWNER` if vacant or
            not residential.
        change: ``transfer``, ``remeasure`` or ``new_unit`` for units whose
            register entry changed during the span, else empty.
        previous_person, previous_organization: The owner before a transfer.
        previous_area: The floor area before a remeasurement.
        created: First registration of units new during the span, else NaT.
        in_register: False for units the housing register never lists.
        changed_before: Last change before the span (``datetime64[s]``).
    """

    person: np.ndarray
    organization: np.ndarray
    changed_at: np.ndarray
    occupant: np.ndarray
    change: np.ndarray
    previous_person: np.ndarray
    previous_organization: np.ndarray
    previous_area: np.ndarray
    created: np.ndarray
    in_register: np.ndarray
    changed_before: np.ndarray

    def owner_on(self, unit: int, moment: np.datetime64) -> tuple[int, int]:
        """Return (person, organization) owning `unit` just before `moment` (``datetime64[s]``)."""
        if self.change[unit] == TRANSFER and moment <= self.changed_at[unit]:
            return int(self.previous_person[unit]), int(self.previous_organization[unit])
        return int(self.person[unit]), int(self.organization[unit])

    def exists_on(self, unit: int, moment: np.datetime64) -> bool:
        """Tell whether the unit was registered before `moment`."""
        return bool(self.in_register[unit]) and (self.change[unit] != NEW_UNIT or self.changed_at[unit] < moment)


def workdays(low: np.ndarray, high: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a working day (Monday-Friday) between `low` and `high` per pair."""
    days = uniform_dates(low, high, rng)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    shift = np.where(weekday == 5, -1, np.where(weekday == 6, -2, 0))
    moved = days + shift.astype("timedelta64[D]")
    return np.where(moved < low, days, moved)


def next_workday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays to the following Monday."""
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    shift = np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
    return days + shift.astype("timedelta64[D]")


def assign_owners(
    units: Units,
    households: Households,
    population: Population,
    organizations: Organizations,
    span: tuple[np.datetime64, np.datetime64],
    rates: dict[str, float],
    rng: np.random.Generator,
    history_rng: np.random.Generator,
) -> Ownership:
    """Draw the owner of every unit and the register's changes over the span.

    Args:
        units: The housing stock.
        households: Households with their unit.
        population: All persons.
        organizations: Organizations; property companies own units.
        span: First and last day of the span.
        rates: ``change`` (register changes per unit over the span),
            ``new`` (share of units first registered in the span), ``unknown``
            (share of occupied units never in the register).
        rng: Random stream of ownership.
        history_rng: Random stream of the register's changes.

    Returns:
        The ownership register.
    """
    count = len(units)
    start, end = span
    occupant = np.full(count, NO_OWNER)
    occupant[households.unit] = np.arange(len(households))
    occupied = occupant >= 0
    registered_occupant = occupied & households.registered[np.maximum(occupant, 0)]
    residential = units.use == USE_RESIDENTIAL

    age = population.age_on(end.astype(object))
    residents = np.arange(population.residents)
    landlords = residents[(population.residence[residents] == REGISTERED) & (age[residents] >= 30)]
    if len(landlords) == 0:
        landlords = residents
    outsiders = np.flatnonzero(population.residence == OUTSIDE)
    companies = organizations.of_kind(COMPANY)[: max(3, round(count / 50))]

    # Columns: head, spouse, another resident, outside person, organization.
    mixes = {
        "registered": (0.70, 0.10, 0.12, 0.03, 0.05),
        "floating": (0.0, 0.0, 0.75, 0.15, 0.10),
        "vacant": (0.0, 0.0, 0.70, 0.20, 0.10),
        "business": (0.0, 0.0, 0.25, 0.10, 0.65),
    }
    kind = np.select(
        [registered_occupant, occupied, residential], ["registered", "floating", "vacant"], default="business"
    )
    choice = np.zeros(count, dtype=np.int64)
    for name, mix in mixes.items():
        rows = np.flatnonzero(kind == name)
        choice[rows] = rng.choice(len(mix), size=len(rows), p=mix)

    head = np.where(occupied, households.first_member[np.maximum(occupant, 0)], NO_OWNER)
    second = np.minimum(head + 1, len(population) - 1)
    has_spouse = occupied & (population.relation[second] == RELATION_CODES["spouse"]) & (
        population.household[second] == np.maximum(occupant, 0)
    )
    person = np.full(count, NO_OWNER)
    person[choice == 0] = head[choice == 0]
    person[choice == 1] = np.where(has_spouse, second, head)[choice == 1]
    person[choice == 2] = rng.choice(landlords, size=int((choice == 2).sum()))
    to_outsiders = choice == 3
    if len(outsiders):
        person[to_outsiders] = rng.choice(outsiders, size=int(to_outsiders.sum()))
    else:
        person[to_outsiders] = rng.choice(landlords, size=int(to_outsiders.sum()))
    organization = np.full(count, NO_OWNER)
    # A few large property companies own most company-held units (Zipf).
    org_weight = 1.0 / np.arange(1, len(companies) + 1)
    organization[choice == 4] = companies[
        rng.choice(len(companies), size=int((choice == 4).sum()), p=org_weight / org_weight.sum())
    ]

    # Entries untouched during the span were last changed between 2000 and
    # the span's start.
    first_day = np.datetime64("2000-01-01", "D")
    changed_days = uniform_dates(np.full(count, first_day), np.full(count, start - 1), rng)
    changed_at = office_times(changed_days, rng)

    history = _history(units, occupied, person, organization, landlords, outsiders, companies, span, rates, history_rng)
    change, previous_person, previous_organization, previous_area, created, in_register, change_day = history
    changed_before = changed_at.copy()
    changed = change != ""
    changed_at[changed] = office_times(change_day[changed], history_rng)
    return Ownership(
        person=person,
        organization=organization,
        changed_at=changed_at,
        occupant=occupant,
        change=change,
        previous_person=previous_person,
        previous_organization=previous_organization,
        previous_area=previous_area,
        created=created,
        in_register=in_register,
        changed_before=changed_before,
    )


def _history(
    units: Units,
    occupied: np.ndarray,
    person: np.ndarray,
    organization: np.ndarray,
    landlords: np.ndarray,
    outsiders: np.ndarray,
    companies: np.ndarray,
    span: tuple[np.datetime64, np.datetime64],
    rates: dict[str, float],
    rng: np.random.Generator,
):
    count = len(units)
    start, end = span
    change = np.full(count, "", dtype="U10")
    previous_person = np.full(count, NO_OWNER)
    previous_organization = np.full(count, NO_OWNER)
    previous_area = units.area.copy()
    created = np.full(count, NOT_A_DATE)
    in_register = np.ones(count, dtype=bool)
    change_day = np.full(count, NOT_A_DATE)

    # Never registered: flats in buildings the register has not caught up
    # with (self-built extensions, unfinished transfers); people live there.
    unknown = occupied & (rng.random(count) < rates["unknown"])
    in_register[unknown] = False
    # New units: vacant flats and shops first registered during the span.
    business_or_vacant = ~occupied & in_register & np.isin(units.use, (USE_RESIDENTIAL, USE_COMMERCIAL))
    new = business_or_vacant & (rng.random(count) < rates["new"] / max(1e-9, business_or_vacant.mean()))
    change[new] = NEW_UNIT
    created[new] = workdays(np.full(int(new.sum()), start), np.full(int(new.sum()), end), rng)
    change_day[new] = created[new]

    # Transfers (70 %) and remeasured floor areas (30 %) of existing units.
    changes = in_register & ~new & (rng.random(count) < rates["change"])
    kinds = np.where(rng.random(count) < 0.7, TRANSFER, REMEASURE)
    transfer = changes & (kinds == TRANSFER)
    remeasure = changes & (kinds == REMEASURE)
    change[transfer] = TRANSFER
    change[remeasure] = REMEASURE
    moved = np.flatnonzero(changes)
    change_day[moved] = workdays(np.full(len(moved), start), np.full(len(moved), end), rng)

    sellers = np.flatnonzero(transfer)
    seller_kind = rng.choice(3, size=len(sellers), p=(0.7, 0.2, 0.1))
    previous_person[sellers] = np.where(
        seller_kind == 0,
        rng.choice(landlords, size=len(sellers)),
        rng.choice(outsiders, size=len(sellers)) if len(outsiders) else rng.choice(landlords, size=len(sellers)),
    )
    by_company = sellers[seller_kind == 2]
    previous_person[by_company] = NO_OWNER
    previous_organization[by_company] = rng.choice(companies, size=len(by_company))
    # The seller is never the buyer.
    same = (previous_person[sellers] == person[sellers]) & (previous_person[sellers] >= 0)
    previous_person[sellers[same]] = NO_OWNER
    previous_organization[sellers[same]] = rng.choice(companies, size=int(same.sum()))
    del organization
    # Remeasurement corrects the area by a few percent (balconies counted or not).
    remeasured = np.flatnonzero(remeasure)
    previous_area[remeasured] = np.round(units.area[remeasured] * rng.uniform(0.9, 1.1, len(remeasured)), 2)
    return change, previous_person, previous_organization, previous_area, created, in_register, change_day
