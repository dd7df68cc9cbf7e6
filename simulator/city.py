"""The demo city's territory: divisions, grids, estates and house units.

Division codes follow the statistical division code (统计用区划代码): 12 digits
of province, city, district, street (3) and community (3); a grid appends 3
digits to its community. District codes are the real GB/T 2260 codes of the
chosen city; streets, communities and estates are invented but named the way
Nanjing names them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulator import gbt2260
from simulator.names import ESTATE_SUFFIXES, OFFICE_SUFFIXES, PlaceNamer

USE_RESIDENTIAL = "住宅"
USE_COMMERCIAL = "商业"
USE_OFFICE = "办公"
USE_OTHER = "其他"


@dataclass(frozen=True)
class Division:
    """One administrative division or grid.

    Attributes:
        code: 12 digits (15 for a grid: community code + 3 digits).
        name: Chinese name (``玄武区``, ``梅园街道``, ``兰园社区``, ``第2网格``).
        level: ``city``, ``district``, ``street``, ``community`` or ``grid``.
        parent: Code of the enclosing division; empty for the city.
    """

    code: str
    name: str
    level: str
    parent: str


@dataclass
class Divisions:
    """The city's division tree, flattened per level.

    Attributes:
        province_name: e.g. ``江苏省``.
        city: The city itself.
        districts, streets, communities, grids: Divisions of each level.
        street_district: Index into `districts` per street.
        community_street: Index into `streets` per community.
        community_grids: Indexes into `grids` per community.
    """

    province_name: str
    city: Division
    districts: list[Division]
    streets: list[Division]
    communities: list[Division]
    grids: list[Division]
    street_district: np.ndarray
    community_street: np.ndarray
    community_grids: list[list[int]]

    def all(self) -> list[Division]:
        """Return every division, parents before children."""
        return [self.city, *self.districts, *self.streets, *self.communities, *self.grids]

    def community_district(self) -> np.ndarray:
        """Return the index into `districts` of each community."""
        return self.street_district[self.community_street]

    def address_prefix(self, community: int) -> str:
        """Return ``<province><city><district><street>`` of a community."""
        street = int(self.community_street[community])
        district = int(self.street_district[street])
        return self.province_name + self.city.name + self.districts[district].name + self.streets[street].name


@dataclass
class Units:
    """The housing stock, one entry per house unit (columnar).

    Attributes:
        code: Unit code (房屋编码), ``FW`` + community code + 5 digits.
        community: Index into `Divisions.communities`.
        grid: Index into `Divisions.grids`.
        estate: Estate name (小区名称).
        building, entrance, floor: Building (楼栋号), entrance (单元号), floor.
        room: Room number (房号), floor then two digits (``501``).
        area: Floor area in m², two decimals.
        use: ``住宅``, ``商业``, ``办公`` or ``其他``.
        address: Full address (坐落地址) as the housing register writes it.
    """

    code: list[str]
    community: np.ndarray
    grid: np.ndarray
    estate: list[str]
    building: np.ndarray
    entrance: np.ndarray
    floor: np.ndarray
    room: list[str]
    area: np.ndarray
    use: np.ndarray
    address: list[str]

    def __len__(self) -> int:
        return len(self.code)


def build_divisions(city_code: str, persons: int, rng: np.random.Generator) -> Divisions:
    """Draw the division tree, sized to the population.

    Counts stay inside the contract's ranges (4-8 districts, 5-15 streets per
    district, 5-20 communities per street, 3-12 grids per community) and grow
    with the logarithm of `persons`, so a 300-person test city has the
    minimum and a million-person city approaches the maximum.

    Args:
        city_code: 6-digit GB/T 2260 code of a prefecture-level city.
        persons: Residents to house.
        rng: Random stream of the city's layout.

    Returns:
        The divisions.
    """
    size = min(1.0, max(0.0, (math.log10(persons) - 3.5) / 3))
    available = gbt2260.current_districts(city_code)
    district_count = int(np.clip(round(4 + 4 * size + rng.normal(0, 0.5)), 4, min(8, len(available))))
    picked = sorted(rng.choice(len(available), size=district_count, replace=False).tolist())
    city = Division(city_code + "000000", gbt2260.current_name(city_code), "city", "")
    namer = PlaceNamer(rng)
    districts = [Division(available[i][0] + "000000", available[i][1], "district", city.code) for i in picked]
    streets: list[Division] = []
    street_district: list[int] = []
    for d, district in enumerate(districts):
        for s in range(int(rng.integers(5, 5 + round(10 * size) + 1))):
            code = district.code[:6] + f"{s + 1:03d}000"
            streets.append(Division(code, namer.take("街道"), "street", district.code))
            street_district.append(d)
    communities: list[Division] = []
    community_street: list[int] = []
    grids: list[Division] = []
    community_grids: list[list[int]] = []
    for s, street in enumerate(streets):
        for c in range(int(rng.integers(5, 5 + round(15 * size) + 1))):
            code = street.code[:9] + f"{c + 1:03d}"
            communities.append(Division(code, namer.take("社区"), "community", street.code))
            community_street.append(s)
            first = len(grids)
            for g in range(int(rng.integers(3, 3 + round(9 * size) + 1))):
                grids.append(Division(code + f"{g + 1:03d}", f"第{g + 1}网格", "grid", code))
            community_grids.append(list(range(first, len(grids))))
    return Divisions(
        province_name=gbt2260.current_name(city_code[:2] + "0000"),
        city=city,
        districts=districts,
        streets=streets,
        communities=communities,
        grids=grids,
        street_district=np.array(street_district, dtype=np.int64),
        community_street=np.array(community_street, dtype=np.int64),
        community_grids=community_grids,
    )


@dataclass(frozen=True)
class _Building:
    community: int
    estate: str
    number: int
    entrances: int
    floors: int
    rooms_per_floor: int
    office: bool
    shops_on_ground_floor: bool


def build_units(
    divisions: Divisions, households_per_community: np.ndarray, occupancy: float, rng: np.random.Generator
) -> Units:
    """Build estates, buildings and units for each community.

    Each community with households gets at least enough residential units
    for them at the given occupancy; buildings are whole (every floor, every
    entrance), so the vacancy rate varies as it does in reality. Communities
    without households get no housing.

    Args:
        divisions: The division tree.
        households_per_community: Households to house, per community.
        occupancy: Target share of residential units with a household.
        rng: Random stream of the housing stock.

    Returns:
        The units, grouped by community, estate, building, entrance, floor.
    """
    namer = PlaceNamer(rng)
    buildings: list[_Building] = []
    community_building_ranges: list[tuple[int, int]] = []
    for community, households in enumerate(households_per_community.tolist()):
        first = len(buildings)
        needed = math.ceil(households / occupancy)
        buildings.extend(_residential_buildings(community, needed, namer, rng))
        # About one community in ten has an office block; tiny test cities
        # skip them so their housing stays tiny too.
        if needed >= 40 and rng.random() < 0.1:
            name = namer.take(OFFICE_SUFFIXES[int(rng.integers(len(OFFICE_SUFFIXES)))])
            floors = int(rng.integers(8, 21))
            buildings.append(_Building(community, name, 1, 1, floors, int(rng.integers(4, 7)), True, False))
        community_building_ranges.append((first, len(buildings)))
    return _expand_units(divisions, buildings, community_building_ranges, rng)


def _residential_buildings(
    community: int, needed: int, namer: PlaceNamer, rng: np.random.Generator
) -> list[_Building]:
    buildings: list[_Building] = []
    remaining = needed
    while remaining > 0:
        style = rng.random()
        if style < 0.45:  # walk-up, the 1980s-1990s danwei housing
            floors, entrances, rooms = int(rng.integers(5, 8)), int(rng.integers(1, 5)), 2
        elif style < 0.8:
            floors, entrances, rooms = int(rng.integers(11, 19)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
        else:
            floors, entrances, rooms = int(rng.integers(24, 34)), int(rng.integers(1, 3)), int(rng.integers(2, 5))
        if floors * entrances * rooms > remaining:
            entrances, rooms = 1, 2
            floors = max(1, min(floors, math.ceil(remaining / rooms)))
        per_building = floors * entrances * rooms
        count = int(np.clip(round(remaining / per_building), 1, rng.integers(4, 16)))
        estate = namer.take(ESTATE_SUFFIXES[int(rng.integers(len(ESTATE_SUFFIXES)))])
        # Shops on the ground floor (底商) along the street side of some estates.
        shops = floors > 1 and rng.random() < 0.15
        for number in range(1, count + 1):
            buildings.append(_Building(community, estate, number, entrances, floors, rooms, False, shops))
        residential = count * per_building - (count * entrances * rooms if shops else 0)
        remaining -= max(1, residential)
    return buildings


def _expand_units(
    divisions: Divisions,
    buildings: list[_Building],
    community_building_ranges: list[tuple[int, int]],
    rng: np.random.Generator,
) -> Units:
    codes: list[str] = []
    community_of: list[int] = []
    grid_of: list[int] = []
    estates: list[str] = []
    building_numbers: list[int] = []
    entrance_numbers: list[int] = []
    floor_numbers: list[int] = []
    rooms: list[str] = []
    uses: list[str] = []
    addresses: list[str] = []
    for community, (first, last) in enumerate(community_building_ranges):
        grids = divisions.community_grids[community]
        prefix = divisions.address_prefix(community)
        community_code = divisions.communities[community].code
        serial = 0
        for position, building in enumerate(buildings[first:last]):
            # Grids split a community into contiguous blocks of buildings.
            grid = grids[position * len(grids) // (last - first)]
            for entrance in range(1, building.entrances + 1):
                for floor in range(1, building.floors + 1):
                    for room in range(1, building.rooms_per_floor + 1):
                        serial += 1
                        room_number = f"{floor}{room:02d}"
                        if building.office:
                            use = USE_OFFICE
                            address = f"{prefix}{building.estate}{room_number}室"
                        else:
                            use = USE_COMMERCIAL if building.shops_on_ground_floor and floor == 1 else USE_RESIDENTIAL
                            address = f"{prefix}{building.estate}{building.number}栋{entrance}单元{room_number}室"
                        codes.append(f"FW{community_code}{serial:05d}")
                        community_of.append(community)
                        grid_of.append(grid)
                        estates.append(building.estate)
                        building_numbers.append(building.number)
                        entrance_numbers.append(entrance)
                        floor_numbers.append(floor)
                        rooms.append(room_number)
                        uses.append(use)
                        addresses.append(address)
    use_array = np.array(uses)
    # Bicycle sheds and storage rooms registered as units of their own.
    use_array[(use_array == USE_COMMERCIAL) & (rng.random(len(uses)) < 0.1)] = USE_OTHER
    return Units(
        code=codes,
        community=np.array(community_of, dtype=np.int64),
        grid=np.array(grid_of, dtype=np.int64),
        estate=estates,
        building=np.array(building_numbers, dtype=np.int64),
        entrance=np.array(entrance_numbers, dtype=np.int64),
        floor=np.array(floor_numbers, dtype=np.int64),
        room=rooms,
        area=_draw_areas(use_array, rng),
        use=use_array,
        address=addresses,
    )


def _draw_areas(use: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Median sizes from Nanjing's housing statistics: flats ~85 m², shops
    # smaller and more varied, offices larger.
    median = np.select(
        [use == USE_RESIDENTIAL, use == USE_COMMERCIAL, use == USE_OFFICE], [85.0, 60.0, 150.0], default=20.0
    )
    spread = np.select([use == USE_RESIDENTIAL], [0.3], default=0.6)
    area = median * np.exp(rng.normal(0.0, 1.0, size=len(use)) * spread)
    return np.round(np.clip(area, 8.0, 2000.0), 2)
