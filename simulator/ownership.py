"""Who owns each house unit: residents, persons living elsewhere, organizations.

Owner mixes by kind of unit follow the pattern of Chinese city housing
registers: most occupied flats belong to the household head or spouse,
rented and vacant flats to other residents (multiple-property owners) or to
persons living elsewhere, shops and offices mostly to companies. Owners living
elsewhere are the contract's referential gap: a person no other system knows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import USE_RESIDENTIAL, Divisions, Units
from simulator.credit_codes import make_credit_codes
from simulator.events import office_times, uniform_dates
from simulator.names import ORGANIZATION_KINDS, PlaceNamer
from simulator.people import OUTSIDE, REGISTERED, RELATION_CODES, Households, Population

NO_OWNER = -1


@dataclass
class Organizations:
    """Companies owning units (columnar)."""

    credit_code: list[str]
    name: list[str]

    def __len__(self) -> int:
        return len(self.credit_code)

    def organization_id(self, index: int) -> str:
        """Return the stable truth identifier of an organization."""
        return f"O{index + 1:06d}"


@dataclass
class Ownership:
    """The registered owner of each unit and when the record last changed.

    Attributes:
        person: Owner's person index, or `NO_OWNER` when an organization owns it.
        organization: Owner's organization index, or `NO_OWNER`.
        changed_at: Last change of the register entry (``datetime64[s]``).
        occupant: Household living in the unit, or `NO_OWNER` if vacant or
            not residential.
    """

    person: np.ndarray
    organization: np.ndarray
    changed_at: np.ndarray
    occupant: np.ndarray


def build_organizations(
    divisions: Divisions, units: Units, rng: np.random.Generator
) -> Organizations:
    """Create the property-owning companies, about one per 50 units."""
    count = max(3, round(len(units) / 50))
    namer = PlaceNamer(rng)
    city_short = divisions.city.name.removesuffix("市")
    names = [
        city_short + namer.take("") + ORGANIZATION_KINDS[int(rng.integers(len(ORGANIZATION_KINDS)))]
        for _ in range(count)
    ]
    admin_codes = [divisions.districts[int(d)].code[:6] for d in rng.integers(len(divisions.districts), size=count)]
    return Organizations(credit_code=make_credit_codes(admin_codes, rng), name=names)


def assign_owners(
    units: Units,
    households: Households,
    population: Population,
    organizations: Organizations,
    snapshot_day: np.datetime64,
    rng: np.random.Generator,
) -> Ownership:
    """Draw the owner of every unit.

    Args:
        units: The housing stock.
        households: Households with their unit.
        population: All persons.
        organizations: Property-owning companies.
        snapshot_day: No register change is later than the day before.
        rng: Random stream of ownership.

    Returns:
        The ownership register.
    """
    count = len(units)
    occupant = np.full(count, NO_OWNER)
    occupant[households.unit] = np.arange(len(households))
    occupied = occupant >= 0
    registered_occupant = occupied & households.registered[np.maximum(occupant, 0)]
    residential = units.use == USE_RESIDENTIAL

    age = population.age_on(snapshot_day.astype(object))
    residents = np.arange(population.residents)
    landlords = residents[(population.residence[residents] == REGISTERED) & (age[residents] >= 30)]
    if len(landlords) == 0:
        landlords = residents
    outsiders = np.flatnonzero(population.residence == OUTSIDE)

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
    org_weight = 1.0 / np.arange(1, len(organizations) + 1)
    organization[choice == 4] = rng.choice(
        len(organizations), size=int((choice == 4).sum()), p=org_weight / org_weight.sum()
    )

    # Most entries were last touched years ago; about a fifth changed recently.
    first_day = np.datetime64("2000-01-01", "D")
    last_day = snapshot_day - 1
    recent = rng.random(count) < 0.2
    low = np.where(recent, last_day - 730, first_day)
    changed_days = uniform_dates(low, np.full(count, last_day), rng)
    return Ownership(
        person=person,
        organization=organization,
        changed_at=office_times(changed_days, rng),
        occupant=occupant,
    )
