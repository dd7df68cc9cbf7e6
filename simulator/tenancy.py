"""Leases of house units: who rents what from whom, and which leases are registered.

Households living in a flat they do not own rent it from its owner, lease
after lease (a year mostly, some six months or two years). Some floating
residents share a small flat as a group rental (群租): more tenants than the
floor area supports at the usual 10 m² per person. Residents in business rent
a shop. About two thirds of leases are registered with housing (租赁备案).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import USE_COMMERCIAL, USE_RESIDENTIAL, Units
from simulator.events import NOT_A_DATE, uniform_dates
from simulator.floating import BUSINESS, FloatingResidents
from simulator.ownership import NEW_UNIT, NO_OWNER, Ownership, next_workday
from simulator.people import Households, Population

RESIDENTIAL_USE = "居住"
BUSINESS_USE = "经营"
# Floor area per tenant below which a flat counts as over-occupied (群租),
# the threshold most cities' group-rental rules use.
AREA_PER_TENANT = 10.0
_TERMS_DAYS = (365, 182, 730)
_TERM_SHARES = (0.7, 0.1, 0.2)
# Registrations follow the lease start within a month.
_REGISTRATION_DELAY_DAYS = 30


@dataclass
class Leases:
    """Leases overlapping the span (columnar; tenants flattened).

    Attributes:
        unit: Unit rented.
        landlord: Person index of the owner letting it.
        start, end: Lease period (``datetime64[D]``).
        registered_on: Registration date, NaT if never registered.
        rent: Monthly rent in yuan.
        use: ``居住`` or ``经营``.
        group: True for group rentals.
        tenant_offsets: Tenants of lease ``i`` are
            ``tenants[tenant_offsets[i]:tenant_offsets[i + 1]]``.
        tenants: Person indexes.
    """

    unit: np.ndarray
    landlord: np.ndarray
    start: np.ndarray
    end: np.ndarray
    registered_on: np.ndarray
    rent: np.ndarray
    use: np.ndarray
    group: np.ndarray
    tenant_offsets: np.ndarray
    tenants: np.ndarray

    def __len__(self) -> int:
        return len(self.unit)

    def tenants_of(self, lease: int) -> np.ndarray:
        """Return the tenants of one lease, in the order the registration lists them."""
        return self.tenants[self.tenant_offsets[lease] : self.tenant_offsets[lease + 1]]


def form_group_rentals(
    households: Households, head_age: np.ndarray, units: Units, share: float, rng: np.random.Generator
) -> np.ndarray:
    """Move some young single floating residents together into small flats.

    Each group gets a small vacant flat and more tenants than its area
    supports (at least one per `AREA_PER_TENANT` m² plus one to four).

    Args:
        households: Households after moving in (their unit and community
            are updated for the grouped ones).
        head_age: Age of each household's head.
        units: The housing stock.
        share: Groups per floating household.
        rng: Random stream.

    Returns:
        Group number per household, -1 outside a group.
    """
    group = np.full(len(households), -1, dtype=np.int64)
    floating = ~households.registered
    singles = np.flatnonzero(floating & (households.size == 1) & (head_age >= 18) & (head_age <= 45))
    wanted = round(share * int(floating.sum()))
    if wanted == 0 and len(singles) >= 4:
        wanted = 1
    residential = np.flatnonzero(units.use == USE_RESIDENTIAL)
    vacant = np.setdiff1d(residential, households.unit)
    # The smallest vacant flats; group rentals favour them.
    candidates = vacant[np.argsort(units.area[vacant], kind="stable")][: max(wanted * 3, 1)]
    pool = rng.permutation(singles).tolist()
    chosen_units = rng.permutation(candidates)[:wanted] if len(candidates) else []
    for number, unit in enumerate(np.asarray(chosen_units).tolist()):
        tenants = int(units.area[unit] // AREA_PER_TENANT) + int(rng.integers(1, 5))
        if tenants > len(pool):
            break
        members = np.array(pool[:tenants])
        pool = pool[tenants:]
        group[members] = number
        households.unit[members] = unit
        households.community[members] = units.community[unit]
    return group


def draw_leases(
    population: Population,
    households: Households,
    groups: np.ndarray,
    units: Units,
    ownership: Ownership,
    floating: FloatingResidents,
    span: tuple[np.datetime64, np.datetime64],
    registration_share: float,
    rng: np.random.Generator,
) -> Leases:
    """Draw every lease that starts within (or just before) the span.

    Args:
        population: Everyone.
        households: Households with their unit.
        groups: Group-rental number per household (-1 for none).
        units: The housing stock.
        ownership: Owners over time.
        floating: Floating residents (arrival dates, departed residents'
            flats, business people).
        span: First and last day of the span.
        registration_share: Share of leases registered.
        rng: Random stream.

    Returns:
        The leases, ordered by start.
    """
    start, end = span
    birth = population.birth_date
    arrival = np.full(len(population), NOT_A_DATE)
    arrival[floating.person] = floating.arrived

    # Tenancies: (unit, tenants, moved in, use, group, moved out), one per
    # renting household, group, departed resident and rented shop.
    tenancies: list[tuple[int, np.ndarray, np.datetime64, str, bool, np.datetime64]] = []
    first = households.first_member
    size = households.size
    moved_in_registered = uniform_dates(
        np.maximum(birth[first] + np.timedelta64(20 * 365, "D"), end - 10 * 365), np.full(len(households), end), rng
    )
    for h in np.flatnonzero(groups < 0).tolist():
        unit = int(households.unit[h])
        owner = int(ownership.person[unit])
        if owner >= first[h] and owner < first[h] + size[h]:
            continue
        moved_in = arrival[first[h]] if not households.registered[h] else moved_in_registered[h]
        tenancies.append((unit, np.arange(first[h], first[h] + size[h]), moved_in, RESIDENTIAL_USE, False, end))
    for number in np.unique(groups[groups >= 0]).tolist():
        grouped = np.flatnonzero(groups == number)
        members = first[grouped]
        unit = int(households.unit[grouped[0]])
        tenancies.append((unit, members, arrival[members].max(), RESIDENTIAL_USE, True, end))
    departed = np.flatnonzero(~np.isnat(floating.left))
    for k in departed.tolist():
        tenancies.append(
            (
                int(floating.unit[k]), floating.person[k : k + 1], floating.arrived[k], RESIDENTIAL_USE, False,
                floating.left[k],
            )
        )
    shops = np.flatnonzero(
        (units.use == USE_COMMERCIAL) & (ownership.person >= 0) & ownership.in_register
    )
    renting_a_shop = rng.random(len(floating)) < 0.5
    traders = np.flatnonzero((floating.reason == BUSINESS) & np.isnat(floating.left) & renting_a_shop)
    if len(shops):
        shop_of = {}
        by_community: dict[int, np.ndarray] = {}
        for c in np.unique(units.community[shops]).tolist():
            by_community[c] = shops[units.community[shops] == c]
        for k in traders.tolist():
            person = int(floating.person[k])
            community = int(units.community[floating.unit[k]])
            local = by_community.get(community)
            if local is None:
                continue
            shop = int(local[int(rng.integers(len(local)))])
            if shop in shop_of:
                continue
            shop_of[shop] = person
            tenancies.append((shop, np.array([person]), floating.arrived[k], BUSINESS_USE, False, end))

    return _expand(tenancies, population, units, ownership, span, registration_share, rng)


def _expand(
    tenancies: list,
    population: Population,
    units: Units,
    ownership: Ownership,
    span: tuple[np.datetime64, np.datetime64],
    registration_share: float,
    rng: np.random.Generator,
) -> Leases:
    start, end = span
    count = len(tenancies)
    term = np.array(_TERMS_DAYS)[rng.choice(len(_TERMS_DAYS), size=count, p=_TERM_SHARES)]
    moved_in = np.array([t[2] for t in tenancies], dtype="datetime64[D]")
    moved_in = np.where(np.isnat(moved_in), start - 400, moved_in)
    # The first lease whose registration could fall within the span.
    horizon = start - _REGISTRATION_DELAY_DAYS
    first_k = np.maximum(0, np.ceil((horizon - moved_in).astype(np.int64) / term)).astype(np.int64)
    first_start = moved_in + (first_k * term).astype("timedelta64[D]")
    until = np.array([t[5] for t in tenancies], dtype="datetime64[D]")
    leases_each = np.where(first_start <= until, (until - first_start).astype(np.int64) // term + 1, 0)
    owner = np.repeat(np.arange(count), leases_each)
    within = np.arange(len(owner)) - np.repeat(np.cumsum(leases_each) - leases_each, leases_each)
    lease_start = first_start[owner] + (within * term[owner]).astype("timedelta64[D]")
    lease_end = lease_start + (term[owner] - 1).astype("timedelta64[D]")
    delay = rng.integers(0, _REGISTRATION_DELAY_DAYS + 1, len(owner)).astype("timedelta64[D]")
    registered_on = next_workday(lease_start + delay)
    registered = (rng.random(len(owner)) < registration_share) & (registered_on >= start) & (registered_on <= end)
    registered_on = np.where(registered, registered_on, NOT_A_DATE)
    rate = np.where(
        np.array([tenancies[o][3] for o in owner.tolist()]) == BUSINESS_USE,
        rng.uniform(80, 200, len(owner)),
        rng.uniform(35, 65, len(owner)),
    )

    units_out, landlords, starts, ends, registrations, rents, uses, groups = [], [], [], [], [], [], [], []
    offsets = [0]
    tenant_list: list[np.ndarray] = []
    birth = population.birth_date
    for i, o in enumerate(owner.tolist()):
        unit, members, _, use, group, _ = tenancies[o]
        moment = lease_start[i].astype("datetime64[s]")
        if ownership.change[unit] == NEW_UNIT and ownership.changed_at[unit] > moment:
            continue
        landlord, _organization = ownership.owner_on(unit, moment)
        if landlord == NO_OWNER:
            continue
        adults = members[birth[members] + np.timedelta64(16 * 365, "D") <= lease_start[i]]
        if len(adults) == 0:
            continue
        units_out.append(unit)
        landlords.append(landlord)
        starts.append(lease_start[i])
        ends.append(lease_end[i])
        registrations.append(registered_on[i])
        area = units.area[unit]
        step = 100 if use == BUSINESS_USE else 50
        rents.append(max(step, round(area * rate[i] / step) * step))
        uses.append(use)
        groups.append(group)
        tenant_list.append(adults)
        offsets.append(offsets[-1] + len(adults))
    order = np.lexsort((np.arange(len(starts)), np.array(starts, dtype="datetime64[D]")))
    tenants = np.concatenate(tenant_list) if tenant_list else np.array([], dtype=np.int64)
    offsets_array = np.array(offsets, dtype=np.int64)
    sizes = np.diff(offsets_array)[order]
    new_offsets = np.concatenate([[0], np.cumsum(sizes)])
    reordered = (
        np.concatenate([tenants[offsets_array[i] : offsets_array[i + 1]] for i in order.tolist()])
        if len(order)
        else tenants
    )
    return Leases(
        unit=np.array(units_out, dtype=np.int64)[order],
        landlord=np.array(landlords, dtype=np.int64)[order],
        start=np.array(starts, dtype="datetime64[D]")[order],
        end=np.array(ends, dtype="datetime64[D]")[order],
        registered_on=np.array(registrations, dtype="datetime64[D]")[order],
        rent=np.array(rents, dtype=np.float64)[order],
        use=np.array(uses, dtype="U4")[order],
        group=np.array(groups, dtype=bool)[order],
        tenant_offsets=new_offsets.astype(np.int64),
        tenants=reordered.astype(np.int64),
    )
