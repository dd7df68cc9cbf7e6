"""Police incident reports (警情) with the rhythms real 110 call logs show.

- Time: more reports on Friday and Saturday, fewer on Monday; a summer peak
  (disputes and public order on warm evenings) and a Spring Festival bump; an
  evening peak and a small-hours trough within the day; a slight decline from
  year to year, as city police have reported since 2019.
- Place: proportional to residents per grid, with a few hotspot grids (night
  markets, transport hubs, old estates) at four times the rate.
- Persons involved: often none recorded; family disputes involve household
  members, other incidents adults living in the same community.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import Divisions, Units
from simulator.config import SimulationConfig
from simulator.people import OUTSIDE, Households, Population

CATEGORIES = ("01", "02", "03", "04", "05", "06", "99")
_CATEGORY_SHARES = (0.08, 0.15, 0.30, 0.20, 0.02, 0.20, 0.05)
SUBCATEGORIES: dict[str, tuple[str, ...]] = {
    "01": ("盗窃", "诈骗", "抢劫", "故意伤害", "电信网络诈骗"),
    "02": ("打架斗殴", "噪音扰民", "赌博", "寻衅滋事"),
    "03": ("邻里纠纷", "家庭纠纷", "经济纠纷", "物业纠纷", "劳资纠纷"),
    "04": ("交通事故", "交通堵塞", "违章停车"),
    "05": ("火灾", "冒烟"),
    "06": ("求助", "走失", "开锁", "医疗求助"),
    "99": ("其他",),
}
FAMILY_DISPUTE = "家庭纠纷"
# Share of incidents with persons recorded, per category.
_WITH_PERSONS = {"01": 0.6, "02": 0.5, "03": 0.8, "04": 0.5, "05": 0.2, "06": 0.4, "99": 0.2}
# Monday .. Sunday.
_WEEKLY = (0.88, 0.92, 0.95, 0.98, 1.10, 1.15, 1.02)
_HOURLY = (
    0.6, 0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1.0, 1.05, 1.1,
    1.1, 1.05, 1.05, 1.1, 1.15, 1.2, 1.3, 1.45, 1.55, 1.5, 1.2, 0.9,
)
_YEARLY_DECLINE = 0.03
HOTSPOT_FACTOR = 4.0
# Nanjing's centre (WGS-84).
_CENTRE = (118.7969, 32.0603)


@dataclass
class Incidents:
    """Incident reports (columnar; persons involved flattened).

    Attributes:
        reported_at: Report time (``datetime64[s]``).
        category: Category code.
        subcategory: Sub-category name.
        grid: Grid index where it happened.
        unit: A unit near the place (for the address), -1 for street places.
        longitude, latitude: WGS-84 position.
        hotspot_grids: The hotspot grids (four times the rate).
        person_offsets, persons: Persons of incident ``i`` are
            ``persons[person_offsets[i]:person_offsets[i + 1]]``.
    """

    reported_at: np.ndarray
    category: np.ndarray
    subcategory: np.ndarray
    grid: np.ndarray
    unit: np.ndarray
    longitude: np.ndarray
    latitude: np.ndarray
    hotspot_grids: np.ndarray
    person_offsets: np.ndarray
    persons: np.ndarray

    def __len__(self) -> int:
        return len(self.reported_at)

    def persons_of(self, incident: int) -> np.ndarray:
        """Return the persons involved in one incident, in ``SJRY`` order."""
        return self.persons[self.person_offsets[incident] : self.person_offsets[incident + 1]]


def grid_positions(divisions: Divisions, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Place every grid: districts around the centre, communities and grids within."""
    district_offset = rng.uniform(-0.15, 0.15, (len(divisions.districts), 2))
    street_offset = rng.uniform(-0.04, 0.04, (len(divisions.streets), 2))
    community_offset = rng.uniform(-0.01, 0.01, (len(divisions.communities), 2))
    grid_offset = rng.uniform(-0.003, 0.003, (len(divisions.grids), 2))
    community_of_grid = np.repeat(
        np.arange(len(divisions.communities)), [len(g) for g in divisions.community_grids]
    )
    street = divisions.community_street[community_of_grid]
    district = divisions.street_district[street]
    offset = district_offset[district] + street_offset[street] + community_offset[community_of_grid] + grid_offset
    return _CENTRE[0] + offset[:, 0], _CENTRE[1] + offset[:, 1]


def draw_incidents(
    config: SimulationConfig,
    divisions: Divisions,
    units: Units,
    households: Households,
    population: Population,
    death_date: np.ndarray,
    rng: np.random.Generator,
) -> Incidents:
    """Draw the span's incident reports.

    Args:
        config: The run's options.
        divisions: Grids and their positions.
        units: The housing stock (places and grids).
        households: Where residents live.
        population: Everyone.
        death_date: Death date per person (the dead are not involved later).
        rng: Random stream.

    Returns:
        Incidents ordered by report time.
    """
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    count = max(10, round(config.persons * config.annual_incident_rate * config.months / 12))

    days = np.arange(start, end + 1, dtype="datetime64[D]")
    day_of_year = (days - days.astype("datetime64[Y]")).astype(np.int64)
    weekday = (days.astype(np.int64) + 3) % 7
    elapsed_years = (days - start).astype(np.int64) / 365.25
    spring_festival = np.exp(-(((day_of_year - 35) % 365) ** 2) / (2 * 10.0**2))
    weight = (
        (1.0 + 0.15 * np.cos(2 * np.pi * (day_of_year - 200) / 365.25) + 0.1 * spring_festival)
        * np.array(_WEEKLY)[weekday]
        * (1 - _YEARLY_DECLINE) ** elapsed_years
    )
    day = days[rng.choice(len(days), size=count, p=weight / weight.sum())]
    hour = rng.choice(24, size=count, p=np.array(_HOURLY) / sum(_HOURLY))
    seconds = hour * 3600 + rng.integers(0, 3600, count)
    reported_at = day.astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    reported_at = np.minimum(reported_at, np.datetime64(config.end_date, "D").astype("datetime64[s]") + 86399)

    # Places: grids weighted by residents, hotspots four times as likely.
    resident_grid = units.grid[households.unit[population.household[: population.residents]]]
    per_grid = np.bincount(resident_grid, minlength=len(divisions.grids)).astype(np.float64)
    populated = np.flatnonzero(per_grid > 0)
    hotspot_count = max(1, round(len(populated) * config.incident_hotspot_share))
    hotspots = np.sort(rng.choice(populated, size=min(hotspot_count, len(populated)), replace=False))
    grid_weight = per_grid.copy()
    grid_weight[hotspots] *= HOTSPOT_FACTOR
    grid = rng.choice(len(grid_weight), size=count, p=grid_weight / grid_weight.sum())

    units_by_grid = _group(units.grid, np.arange(len(units)))
    unit_pick = rng.random(count)
    street_place = rng.random(count) < 0.3
    unit = np.array(
        [
            -1 if street_place[i] else int(units_by_grid[g][int(unit_pick[i] * len(units_by_grid[g]))])
            for i, g in enumerate(grid.tolist())
        ],
        dtype=np.int64,
    )
    grid_lon, grid_lat = grid_positions(divisions, rng)
    longitude = np.round(grid_lon[grid] + rng.normal(0, 0.0015, count), 6)
    latitude = np.round(grid_lat[grid] + rng.normal(0, 0.0015, count), 6)

    category = np.array(CATEGORIES)[rng.choice(len(CATEGORIES), size=count, p=_CATEGORY_SHARES)]
    subcategory = np.array([SUBCATEGORIES[c][int(rng.integers(len(SUBCATEGORIES[c])))] for c in category.tolist()])
    order = np.lexsort((np.arange(count), reported_at))
    reported_at, category, subcategory = reported_at[order], category[order], subcategory[order]
    grid, unit, longitude, latitude = grid[order], unit[order], longitude[order], latitude[order]

    persons, offsets = _involved(
        config, population, households, units, death_date, reported_at, category, subcategory, grid, rng
    )
    return Incidents(
        reported_at=reported_at,
        category=category,
        subcategory=subcategory,
        grid=grid,
        unit=unit,
        longitude=longitude,
        latitude=latitude,
        hotspot_grids=hotspots,
        person_offsets=offsets,
        persons=persons,
    )


def _group(keys: np.ndarray, values: np.ndarray) -> dict[int, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    sorted_values = values[order]
    bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.r_[0, bounds] if len(order) else np.array([], dtype=np.int64)
    ends = np.r_[bounds, len(order)] if len(order) else np.array([], dtype=np.int64)
    return {
        int(sorted_keys[a]): sorted_values[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    }


def _involved(
    config: SimulationConfig,
    population: Population,
    households: Households,
    units: Units,
    death_date: np.ndarray,
    reported_at: np.ndarray,
    category: np.ndarray,
    subcategory: np.ndarray,
    grid: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    residents = population.residents
    age = population.age_on(config.end_date)
    adults = np.flatnonzero(age[:residents] >= 18)
    community_of = households.community[population.household[adults]]
    adults_by_community = _group(community_of, adults)
    community_of_grid = units.community[np.unique(units.grid, return_index=True)[1]]
    grid_community = dict(zip(np.unique(units.grid).tolist(), community_of_grid.tolist(), strict=True))
    visitors = np.flatnonzero((population.residence == OUTSIDE) & (age >= 18))
    count = len(category)
    with_persons = rng.random(count) < np.array([_WITH_PERSONS[c] for c in category.tolist()])
    how_many = rng.choice((1, 2, 3), size=count, p=(0.55, 0.35, 0.10))
    picks = rng.random((count, 3))
    visitor = rng.random((count, 3)) < 0.05
    first = households.first_member
    chosen: list[np.ndarray] = []
    day = reported_at.astype("datetime64[D]")
    for i in range(count):
        if not with_persons[i]:
            chosen.append(np.array([], dtype=np.int64))
            continue
        pool = adults_by_community.get(grid_community.get(int(grid[i]), -1))
        if pool is None or len(pool) == 0:
            chosen.append(np.array([], dtype=np.int64))
            continue
        anchor = int(pool[int(picks[i, 0] * len(pool))])
        if subcategory[i] == FAMILY_DISPUTE:
            h = int(population.household[anchor])
            members = np.arange(first[h], first[h] + households.size[h])
            members = members[age[members] >= 16]
            people = members[: int(how_many[i]) + 1] if len(members) > 1 else members
        else:
            people = [anchor]
            for k in range(1, int(how_many[i])):
                if visitor[i, k] and len(visitors):
                    people.append(int(visitors[int(picks[i, k] * len(visitors))]))
                else:
                    people.append(int(pool[int(picks[i, k] * len(pool))]))
            people = np.array(people, dtype=np.int64)
        alive = np.isnat(death_date[people]) | (death_date[people] > day[i])
        born = population.birth_date[people] < day[i]
        people = people[alive & born]
        _, keep = np.unique(people, return_index=True)
        chosen.append(people[np.sort(keep)])
    offsets = np.concatenate([[0], np.cumsum([len(c) for c in chosen])]).astype(np.int64)
    persons = np.concatenate(chosen).astype(np.int64) if chosen else np.array([], dtype=np.int64)
    return persons, offsets
