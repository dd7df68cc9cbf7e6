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

from simulator.city import USE_RESIDENTIAL, Divisions, Units, build_divisions, build_units
from simulator.config import SimulationConfig
from simulator.events import LifeEvents, draw_life_events
from simulator.ownership import Organizations, Ownership, assign_owners, build_organizations
from simulator.people import Households, Population, assign_household_numbers, build_population, draw_households
from simulator.randomness import stream

# Residents per populated community; see `populated_communities`.
PERSONS_PER_COMMUNITY = 250


@dataclass
class World:
    """Everything true about the demo city."""

    config: SimulationConfig
    divisions: Divisions
    units: Units
    households: Households
    population: Population
    events: LifeEvents
    organizations: Organizations
    ownership: Ownership


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
    district_codes = np.array([district.code[:6] for district in divisions.districts])
    household_district_codes = district_codes[divisions.community_district()[households.community]]
    assign_household_numbers(households, household_district_codes, rng("people/household-numbers"))
    progress(f"housing: {len(units)} units for {len(households)} households")

    outside = max(10, round(config.persons * config.outside_person_share))
    population = build_population(
        households,
        members,
        outside,
        config.city_code,
        household_district_codes,
        config.end_date,
        {name: rng(f"people/{name}") for name in ("ages", "origins", "names", "ids", "phones")},
    )
    progress(f"people: {population.residents} residents, {len(population) - population.residents} living elsewhere")

    events = draw_life_events(
        config,
        population,
        config.city_code,
        {name: rng(f"events/{name}") for name in ("registration", "deaths", "moves", "corrections")},
    )
    organizations = build_organizations(divisions, units, rng("housing/organizations"))
    ownership = assign_owners(
        units, households, population, organizations, np.datetime64(config.snapshot_date, "D"), rng("housing/owners")
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
