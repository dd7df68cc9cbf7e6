"""The simulated city as one value: territory, people, housing, events.

`build_world` runs the steps in dependency order; every step draws from its
own named random stream, so the world depends only on the configuration.
Deliveries then read the world, each with its own view and its own noise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.addresses import AddressBook
from simulator.city import USE_RESIDENTIAL, Divisions, Units, build_divisions, build_units
from simulator.config import SimulationConfig
from simulator.events import LifeEvents, draw_life_events
from simulator.family import Registrations, SubsistenceCases, draw_registrations, draw_subsistence
from simulator.floating import FloatingResidents, departed_count, draw_floating_residents
from simulator.incidents import Incidents, draw_incidents
from simulator.justice_cases import MediationCases, ResettlementCases, draw_mediation, draw_resettlement
from simulator.organizations import Organizations, add_organizations, build_organizations
from simulator.ownership import Ownership, assign_owners
from simulator.people import Households, Population, assign_household_numbers, build_population, draw_households
from simulator.randomness import stream
from simulator.tenancy import Leases, draw_leases, form_group_rentals

# Residents per populated community; see `populated_communities`.
PERSONS_PER_COMMUNITY = 250


@dataclass
class World:
    """Everything true about the demo city.

    Attributes:
        config: The run's options.
        divisions: Districts, streets, communities, grids.
        units: The housing stock.
        households: Households and where they live.
        population: Everyone, residents first.
        events: Registrations, deaths, moves out, community corrections.
        organizations: Companies, shops, schools, social organizations.
        ownership: Owners of units and the register's changes.
        groups: Group-rental number per household (-1 for none).
        floating: The floating residents' register.
        leases: Leases of units.
        registrations: Marriage and divorce registrations.
        subsistence: Subsistence-allowance cases.
        incidents: Police incident reports.
        mediation: People's mediation cases.
        resettlement: Released persons under resettlement support.
        addresses: Renders unit addresses.
    """

    config: SimulationConfig
    divisions: Divisions
    units: Units
    households: Households
    population: Population
    events: LifeEvents
    organizations: Organizations
    ownership: Ownership
    groups: np.ndarray
    floating: FloatingResidents
    leases: Leases
    registrations: Registrations
    subsistence: SubsistenceCases
    incidents: Incidents
    mediation: MediationCases
    resettlement: ResettlementCases
    addresses: AddressBook

    def district_of_community(self, community: int) -> int:
        """Return the district index of a community."""
        return int(self.divisions.street_district[self.divisions.community_street[community]])


def build_world(config: SimulationConfig, progress: Callable[[str], None] = lambda _: None) -> World:
    """Build the city for a configuration.

    Args:
        config: The run's options.
        progress: Receives one line per finished step.

    Returns:
        The world.
    """

    def rng(name: str) -> np.random.Generator:
        return stream(config.seed, name)

    rates = config.noise_rates
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    divisions = build_divisions(config.city_code, config.persons, rng("city/divisions"))
    progress(
        f"city {divisions.city.name}: {len(divisions.districts)} districts, {len(divisions.streets)} streets, "
        f"{len(divisions.communities)} communities, {len(divisions.grids)} grids"
    )

    households, members = draw_households(config.persons, config.floating_share, rng("people/households"))
    populated = populated_communities(divisions, config.persons, rng("city/populated"))
    # Communities differ in size; a lognormal spread matches the 3x range
    # between small and large communities in city yearbooks.
    weights = np.zeros(len(divisions.communities))
    weights[populated] = np.exp(rng("city/community-sizes").normal(0.0, 0.4, len(populated)))
    households.community = rng("city/placement").choice(
        len(divisions.communities), size=len(households), p=weights / weights.sum()
    )
    per_community = np.bincount(households.community, minlength=len(divisions.communities))
    units = build_units(divisions, per_community, config.residential_occupancy, rng("city/units"))
    households.unit = _move_in(households, units, rng("city/move-in"))
    groups = form_group_rentals(
        households, members.age[households.first_member], units, config.group_rental_share, rng("housing/groups")
    )
    district_codes = np.array([district.code[:6] for district in divisions.districts])
    household_district_codes = district_codes[divisions.community_district()[households.community]]
    assign_household_numbers(households, household_district_codes, rng("people/household-numbers"))
    progress(
        f"housing: {len(units)} units for {len(households)} households, "
        f"{int(groups.max()) + 1 if len(groups) else 0} group rentals"
    )

    outside = max(10, round(config.persons * config.outside_person_share))
    floating_persons = int(households.size[~households.registered].sum())
    departed = departed_count(floating_persons, config.annual_floating_departure_rate, config.months)
    population = build_population(
        households,
        members,
        outside,
        config.city_code,
        household_district_codes,
        config.end_date,
        {
            name: rng(f"people/{name}")
            for name in ("ages", "origins", "names", "ids", "phones", "landlines", "departed")
        },
        departed_persons=departed,
    )
    progress(
        f"people: {population.residents} residents ({floating_persons} floating), "
        f"{outside} living elsewhere, {departed} former floating residents"
    )

    events = draw_life_events(
        config,
        population,
        config.city_code,
        {name: rng(f"events/{name}") for name in ("registration", "deaths", "moves", "corrections")},
    )
    organizations = add_organizations(
        build_organizations(divisions, units, rng("housing/organizations")),
        divisions,
        units,
        population,
        config.persons,
        config.social_organizations_per_1000,
        end,
        {"employers": rng("organizations/employers"), "social": rng("organizations/social")},
    )
    ownership = assign_owners(
        units,
        households,
        population,
        organizations,
        (start, end),
        {
            "change": config.annual_unit_change_rate * config.months / 12,
            "new": config.new_unit_share,
            "unknown": rates.unknown_unit,
        },
        rng("housing/owners"),
        rng("housing/history"),
    )
    progress(
        f"events: {int((~np.isnat(events.death_date)).sum())} deaths, "
        f"{int((~np.isnat(events.moved_out_date)).sum())} moves out, "
        f"{len(events.corrections)} corrections cases; {len(organizations)} organizations; "
        f"{int((ownership.change != '').sum())} register changes"
    )
    floating = draw_floating_residents(
        population, households, units, organizations, (start, end), rng("police/floating")
    )
    leases = draw_leases(
        population, households, groups, units, ownership, floating, (start, end),
        config.rental_registration_share, rng("housing/leases"),
    )
    district_of_household = divisions.community_district()[households.community]
    registrations = draw_registrations(
        config, population, households, events.death_date, district_of_household, rates.correction,
        rng("civil_affairs/registrations"),
    )
    subsistence = draw_subsistence(
        config, population, households, events.death_date, rates.correction, rng("civil_affairs/subsistence")
    )
    incidents = draw_incidents(
        config, divisions, units, households, population, events.death_date, rng("police/incidents")
    )
    mediation = draw_mediation(config, population, households, events.death_date, rng("justice/mediation"))
    resettlement = draw_resettlement(config, population, events.death_date, rng("justice/resettlement"))
    progress(
        f"registers: {len(floating)} floating residents, {len(leases)} leases "
        f"({int((~np.isnat(leases.registered_on)).sum())} registered), {len(registrations)} marriage and divorce "
        f"registrations, {len(subsistence)} subsistence cases, {len(incidents)} incidents, "
        f"{len(mediation)} mediation cases, {len(resettlement)} resettlement cases"
    )
    return World(
        config=config,
        divisions=divisions,
        units=units,
        households=households,
        population=population,
        events=events,
        organizations=organizations,
        ownership=ownership,
        groups=groups,
        floating=floating,
        leases=leases,
        registrations=registrations,
        subsistence=subsistence,
        incidents=incidents,
        mediation=mediation,
        resettlement=resettlement,
        addresses=AddressBook(divisions, units),
    )


def populated_communities(divisions: Divisions, persons: int, rng: np.random.Generator) -> np.ndarray:
    """Choose the communities where the demo's residents live, spread over districts.

    Real communities hold 3,000-10,000 residents; a demo city of a few
    thousand persons spread over the contract's minimum of 100 communities
    would leave every per-community statistic below the marts' small-cell
    threshold (5 per age band and gender). So residents fill about one
    community per `PERSONS_PER_COMMUNITY`, at least one per district; the
    other communities exist in the division tree without housing.

    Returns:
        Sorted community indexes.
    """
    count = len(divisions.communities)
    wanted = min(count, max(len(divisions.districts), math.ceil(persons / PERSONS_PER_COMMUNITY)))
    district = divisions.community_district()
    # Round-robin over districts, in a random order within each district.
    shuffled = [rng.permutation(np.flatnonzero(district == d)).tolist() for d in range(len(divisions.districts))]
    order = [c for round_ in itertools.zip_longest(*shuffled) for c in round_ if c is not None]
    return np.sort(np.array(order[:wanted], dtype=np.int64))


def _move_in(households: Households, units: Units, rng: np.random.Generator) -> np.ndarray:
    """Put each household into a distinct residential unit of its community."""
    unit_of = np.full(len(households), -1)
    residential = np.flatnonzero(units.use == USE_RESIDENTIAL)
    by_community = np.split(residential, np.flatnonzero(np.diff(units.community[residential])) + 1)
    lookup = {int(units.community[group[0]]): group for group in by_community if len(group)}
    order = np.argsort(households.community, kind="stable")
    starts = np.flatnonzero(np.diff(np.concatenate([[-1], households.community[order]])))
    ends = np.append(starts[1:], len(order))
    for begin, finish in zip(starts.tolist(), ends.tolist(), strict=True):
        members = order[begin:finish]
        free = lookup[int(households.community[members[0]])]
        unit_of[members] = rng.permutation(free)[: len(members)]
    return unit_of
