"""Persons and households: ages, genders, names, identity numbers, phones.

Persons are made household by household from composition templates (head,
spouse, children, parents), so ages within a household fit together and the
city's age pyramid emerges from them. Household sizes follow the 2020 census
(average 2.6 persons; 25 % live alone).

Index conventions: persons ``0 .. residents-1`` live in the city (in household
order, head first); persons from ``residents`` on live elsewhere: first those
who own units here or die in one of the city's hospitals (``outside``), then
former floating residents who left the city during the span (``departed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from simulator import gbt2260
from simulator.identity_numbers import assign_identity_numbers
from simulator.names import draw_given_names, draw_surnames, draw_transliterated_names

REGISTERED = "registered"
FLOATING = "floating"
OUTSIDE = "outside"
DEPARTED = "departed"

RELATION_CODES = {"head": "02", "spouse": "10", "child": "20", "parent": "50", "other": "99"}

# Household size shares, 2020 census (家庭户规模), 5 standing for 5+.
_SIZE_SHARES = {1: 0.25, 2: 0.30, 3: 0.25, 4: 0.12, 5: 0.08}
# Compositions by size with their shares.
_TEMPLATES: dict[int, tuple[tuple[tuple[str, ...], float], ...]] = {
    1: ((("head",), 1.0),),
    2: ((("head", "spouse"), 0.65), (("head", "child"), 0.22), (("head", "parent"), 0.13)),
    3: (
        (("head", "spouse", "child"), 0.78),
        (("head", "child", "child"), 0.07),
        (("head", "spouse", "parent"), 0.15),
    ),
    4: ((("head", "spouse", "child", "child"), 0.5), (("head", "spouse", "child", "parent"), 0.5)),
    5: (
        (("head", "spouse", "child", "child", "parent"), 0.5),
        (("head", "spouse", "child", "parent", "parent"), 0.35),
        (("head", "spouse", "child", "child", "other"), 0.15),
    ),
}
_MOBILE_PREFIXES = tuple(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 170 173 176 177 178 180 181 182 183 184 185 186 187 188 189 191 198 199".split()
)
# Share of Uyghur-style (middle-dot) households among eastern-city residents.
_TRANSLITERATED_SHARE = 0.004
_XINJIANG = "65"
# Nanjing's area code; fixed lines have 8 digits starting 5 or 8 there.
AREA_CODE = "025"
# Households with a fixed line: falling fast, ~35 % of urban households in
# recent telecom statistics, mostly older registered households.
_LANDLINE_SHARE = 0.35


@dataclass
class Households:
    """Households of city residents (columnar).

    Attributes:
        size: Members per household.
        first_member: Person index of the head (members are contiguous).
        registered: True for household-registered (户籍) households.
        number: Household number (户号) of registered households, else empty.
        community: Community index where the household lives.
        unit: Unit index where the household lives.
    """

    size: np.ndarray
    first_member: np.ndarray
    registered: np.ndarray
    number: list[str]
    community: np.ndarray
    unit: np.ndarray

    def __len__(self) -> int:
        return len(self.size)


@dataclass
class Population:
    """Every person of the simulation (columnar).

    Attributes:
        residents: Count of city residents; the rest live elsewhere.
        male: True for male.
        birth_date: ``datetime64[D]``.
        residence: ``registered``, ``floating``, ``outside`` or ``departed``.
        household: Household index, -1 for persons living elsewhere.
        relation: Relation to the household head code, empty outside.
        name: Name as on the identity card.
        id_number: 18-character identity number.
        phone: Mobile number of persons aged 16+, else empty.
        landline: The household's fixed line (``025-8xxxxxxx``), else empty.
    """

    residents: int
    male: np.ndarray
    birth_date: np.ndarray
    residence: np.ndarray
    household: np.ndarray
    relation: np.ndarray
    name: list[str]
    id_number: list[str]
    phone: list[str]
    landline: list[str]

    def __len__(self) -> int:
        return len(self.male)

    def person_id(self, index: int) -> str:
        """Return the stable truth identifier of a person."""
        return f"P{index + 1:07d}"

    def age_on(self, day: date) -> np.ndarray:
        """Return each person's age in whole years on `day`."""
        return ((np.datetime64(day, "D") - self.birth_date).astype(np.int64) / 365.25).astype(np.int64)


@dataclass
class Members:
    """Household members before identities are drawn."""

    household: np.ndarray
    relation: np.ndarray
    age: np.ndarray
    male: np.ndarray


def draw_households(persons: int, floating_share: float, rng: np.random.Generator) -> tuple[Households, Members]:
    """Draw household sizes, compositions, ages and genders.

    Args:
        persons: Residents to create.
        floating_share: Share of residents in floating (non-registered)
            households.
        rng: Random stream of the population.

    Returns:
        Households (without place or household number yet) and their members
        in household order.
    """
    sizes_list = list(_SIZE_SHARES)
    shares = np.array(list(_SIZE_SHARES.values()))
    sizes = np.array(sizes_list)[rng.choice(len(sizes_list), size=persons, p=shares)]
    cumulative = np.cumsum(sizes)
    count = int(np.searchsorted(cumulative, persons) + 1)
    sizes = sizes[:count].copy()
    sizes[-1] -= int(cumulative[count - 1] - persons)

    households: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    relations: list[np.ndarray] = []
    ages: list[np.ndarray] = []
    males: list[np.ndarray] = []
    head_age = np.zeros(count)
    for size, templates in _TEMPLATES.items():
        of_size = np.flatnonzero(sizes == size)
        picks = rng.choice(len(templates), size=len(of_size), p=[share for _, share in templates])
        for t, (roles, _) in enumerate(templates):
            chosen = of_size[picks == t]
            member_ages, member_males = _draw_member_ages(roles, len(chosen), rng)
            head_age[chosen] = member_ages[0]
            for position, role in enumerate(roles):
                households.append(chosen)
                positions.append(np.full(len(chosen), position))
                relations.append(np.full(len(chosen), RELATION_CODES[role]))
                ages.append(member_ages[position])
                males.append(member_males[position])
    household = np.concatenate(households)
    order = np.lexsort((np.concatenate(positions), household))
    members = Members(
        household=household[order],
        relation=np.concatenate(relations)[order],
        age=np.concatenate(ages)[order],
        male=np.concatenate(males)[order],
    )
    first_member = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    registered = ~_pick_floating(sizes, head_age, floating_share, rng)
    return (
        Households(
            size=sizes,
            first_member=first_member,
            registered=registered,
            number=[""] * count,
            community=np.full(count, -1),
            unit=np.full(count, -1),
        ),
        members,
    )


def _draw_member_ages(roles: tuple[str, ...], count: int, rng: np.random.Generator) -> tuple[list, list]:
    """Draw ages (years, fractional) and genders for one composition."""
    if "child" in roles:
        eldest = rng.uniform(0, 34, count)
        head = eldest + rng.uniform(23, 36, count)
    elif roles == ("head",):
        # Young singles, middle-aged singles, elderly living alone.
        head = _mixture(rng, count, ((0.45, 20, 35), (0.25, 35, 60), (0.30, 60, 92)))
    elif roles == ("head", "spouse"):
        # Young couples before children and empty nesters.
        head = _mixture(rng, count, ((0.35, 22, 35), (0.2, 35, 55), (0.45, 55, 88)))
    else:
        head = rng.uniform(25, 58, count)
    # Men head most couples' households; with a sex ratio at birth of ~1.1
    # this yields the census's 51 % men.
    head_male = rng.random(count) < (0.65 if "spouse" in roles else 0.55)
    ages: list[np.ndarray] = []
    males: list[np.ndarray] = []
    children = 0
    for role in roles:
        if role == "head":
            age, male = head, head_male
        elif role == "spouse":
            gap = rng.normal(2.0, 3.0, count)
            # Spouses below the marriage age are moved just above it, spread
            # over two years (a hard floor would give hundreds the same birthday).
            age = head + np.where(head_male, -gap, gap)
            age, male = np.where(age < 20.0, rng.uniform(20.0, 22.0, count), age), ~head_male
        elif role == "child":
            younger = eldest - rng.uniform(1, 9, count)
            age = eldest if children == 0 else np.where(younger < 0.0, rng.uniform(0.0, 1.0, count), younger)
            male = rng.random(count) < 0.53
            children += 1
        elif role == "parent":
            # Women outlive men, so more of the parents living with a child are mothers.
            age = head + rng.uniform(24, 34, count)
            age, male = np.where(age > 99.0, rng.uniform(90.0, 99.0, count), age), rng.random(count) < 0.42
        else:
            age, male = rng.uniform(15, 75, count), rng.random(count) < 0.5
        ages.append(age)
        males.append(male)
    return ages, males


def _mixture(rng: np.random.Generator, count: int, parts: tuple[tuple[float, float, float], ...]) -> np.ndarray:
    which = rng.choice(len(parts), size=count, p=[share for share, _, _ in parts])
    low = np.array([lo for _, lo, _ in parts])[which]
    high = np.array([hi for _, _, hi in parts])[which]
    return rng.uniform(low, high)


def _pick_floating(sizes: np.ndarray, head_age: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Pick floating households, mostly of working age, until `share` is reached."""
    weight = np.select([head_age <= 45, head_age <= 60], [1.0, 0.4], default=0.1)
    # Weighted sampling without replacement (Efraimidis-Spirakis keys).
    keys = np.log(rng.random(len(sizes))) / weight
    order = np.argsort(-keys, kind="stable")
    target = share * sizes.sum()
    taken = np.cumsum(sizes[order]) <= target
    floating = np.zeros(len(sizes), dtype=bool)
    floating[order[taken]] = True
    return floating


def build_population(
    households: Households,
    members: Members,
    outside_persons: int,
    city_code: str,
    household_district_codes: np.ndarray,
    end_date: date,
    streams: dict[str, np.random.Generator],
    departed_persons: int = 0,
) -> Population:
    """Give every resident and every outside person an identity.

    Args:
        households: Households with their community already placed.
        members: Members from `draw_households`.
        outside_persons: Persons living elsewhere to add.
        city_code: 6-digit code of the city.
        household_district_codes: 6-digit district code per household.
        end_date: Ages are ages on this day.
        streams: Random streams keyed ``ages``, ``origins``, ``names``,
            ``ids``, ``phones``, ``landlines``, ``departed``.
        departed_persons: Former floating residents (working-age migrants,
            most of them young, 55 % men) who left the city during the span.

    Returns:
        The population.
    """
    residents = len(members.age)
    ages_rng = streams["ages"]
    outside_age = ages_rng.uniform(28, 88, outside_persons)
    outside_male = ages_rng.random(outside_persons) < 0.5
    departed_rng = streams["departed"]
    departed_age = 18 + departed_rng.gamma(2.0, 6.0, departed_persons).clip(0, 40)
    departed_male = departed_rng.random(departed_persons) < 0.55
    age = np.concatenate([members.age, outside_age, departed_age])
    male = np.concatenate([members.male, outside_male, departed_male])
    outside_persons_and_departed = outside_persons + departed_persons
    end = np.datetime64(end_date, "D")
    # Age in days, at least one day so nobody is born after the span ends.
    birth_date = end - np.maximum(1, np.floor(age * 365.25)).astype("timedelta64[D]")

    household = np.concatenate([members.household, np.full(outside_persons_and_departed, -1)])
    residence = np.where(households.registered[members.household], REGISTERED, FLOATING)
    residence = np.concatenate(
        [residence, np.full(outside_persons, OUTSIDE), np.full(departed_persons, DEPARTED)]
    ).astype("U10")
    relation = np.concatenate([members.relation, np.full(outside_persons_and_departed, "")])

    transliterated_household = streams["names"].random(len(households)) < _TRANSLITERATED_SHARE
    transliterated = np.concatenate(
        [transliterated_household[members.household], np.zeros(outside_persons_and_departed, bool)]
    )
    names = _draw_names(male, relation, household, households, transliterated, streams["names"])
    address_codes = _draw_address_codes(
        birth_date, residence, relation, household, transliterated, city_code, household_district_codes,
        streams["origins"],
    )
    id_numbers = assign_identity_numbers(address_codes, birth_date, male, streams["ids"])
    return Population(
        residents=residents,
        male=male,
        birth_date=birth_date,
        residence=residence,
        household=household,
        relation=relation,
        name=names,
        id_number=id_numbers,
        phone=_draw_phones(age, streams["phones"]),
        landline=_draw_landlines(households, household, streams["landlines"]),
    )


def _draw_names(
    male: np.ndarray,
    relation: np.ndarray,
    household: np.ndarray,
    households: Households,
    transliterated: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    count = len(male)
    surnames = draw_surnames(count, rng)
    # Children carry the father's surname (the male head, else a male spouse,
    # who always directly follows the head); a head's father shares it too.
    resident = household >= 0
    head = np.full(count, -1)
    head[resident] = households.first_member[household[resident]]
    second = np.minimum(head + 1, count - 1)
    spouse_is_father = (
        resident
        & ~male[head]
        & (relation[second] == RELATION_CODES["spouse"])
        & male[second]
        & (household[second] == household)
    )
    father = np.where(spouse_is_father, second, head)
    child = relation == RELATION_CODES["child"]
    surnames[child] = surnames[father[child]]
    paternal = (relation == RELATION_CODES["parent"]) & male
    surnames[paternal] = surnames[head[paternal]]
    given = draw_given_names(male, rng)
    names = [str(s) + g for s, g in zip(surnames.tolist(), given, strict=True)]
    dotted = np.flatnonzero(transliterated)
    for index, name in zip(dotted.tolist(), draw_transliterated_names(male[dotted], rng), strict=True):
        names[index] = name
    return names


def _draw_address_codes(
    birth_date: np.ndarray,
    residence: np.ndarray,
    relation: np.ndarray,
    household: np.ndarray,
    transliterated: np.ndarray,
    city_code: str,
    household_district_codes: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw the county of first registration of each person.

    Registered residents were mostly born in the city (children nearly all);
    the others, floating residents and outside persons come from elsewhere,
    40 % of them from the same province. Codes are those in force in the
    birth year.
    """
    count = len(birth_date)
    years = birth_date.astype("datetime64[Y]").astype(np.int64) + 1970
    city_prefix = city_code[:4]
    province = city_code[:2]
    born_here_share = np.select(
        [residence == OUTSIDE, relation == RELATION_CODES["child"]],
        [0.0, np.where(residence == REGISTERED, 0.9, 0.25)],
        default=np.where(residence == REGISTERED, 0.6, 0.0),
    )
    born_here = (rng.random(count) < born_here_share) & ~transliterated
    in_home_district = rng.random(count) < 0.7
    same_province = rng.random(count) < 0.4
    pick = rng.random(count)
    home_district = np.full(count, "", dtype="U6")
    resident = household >= 0
    home_district[resident] = household_district_codes[household[resident]]

    cache: dict[tuple[int, str, bool], np.ndarray] = {}

    def candidates(year: int, prefix: str, exclude_city: bool) -> np.ndarray:
        key = (year, prefix, exclude_city)
        if key not in cache:
            codes = tuple(
                code
                for code in gbt2260.county_codes_valid_in(year)
                if code.startswith(prefix) and not (exclude_city and code.startswith(city_prefix))
            )
            cache[key] = np.array(
                codes
                or tuple(code for code in gbt2260.county_codes_valid_in(year) if not code.startswith(city_prefix)),
                dtype="U6",
            )
        return cache[key]

    # Pool per person: 0 the home district, 1 the city, 2 Xinjiang, 3 the
    # province, 4 anywhere else; a home district no longer valid in the birth
    # year falls back to the whole city.
    pool_kind = np.select([born_here, transliterated, same_province], [1, 2, 3], default=4)
    home_wanted = np.flatnonzero(born_here & in_home_district & (home_district != ""))
    codes = np.empty(count, dtype="U6")
    if len(home_wanted):
        pair = years[home_wanted] * 1_000_000 + home_district[home_wanted].astype(np.int64)
        unique_pairs, inverse = np.unique(pair, return_inverse=True)
        valid = np.array(
            [
                f"{p % 1_000_000:06d}" in candidates(int(p // 1_000_000), city_prefix, False)
                for p in unique_pairs.tolist()
            ],
            dtype=bool,
        )
        at_home = home_wanted[valid[inverse]]
        codes[at_home] = home_district[at_home]
        pool_kind[at_home] = 0
    prefixes = {1: (city_prefix, False), 2: (_XINJIANG, True), 3: (province, True), 4: ("", True)}
    key = pool_kind * 10_000 + years
    order = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.diff(key[order])) + 1
    for group in np.split(order, bounds):
        kind, year = divmod(int(key[group[0]]), 10_000)
        if kind == 0:
            continue
        prefix, exclude_city = prefixes[kind]
        pool = candidates(year, prefix, exclude_city)
        codes[group] = pool[(pick[group] * len(pool)).astype(np.int64)]
    return codes


def _draw_phones(age: np.ndarray, rng: np.random.Generator) -> list[str]:
    prefix = rng.integers(0, len(_MOBILE_PREFIXES), size=len(age))
    tail = rng.integers(0, 100_000_000, size=len(age))
    return [
        f"{_MOBILE_PREFIXES[p]}{t:08d}" if a >= 16 else ""
        for p, t, a in zip(prefix.tolist(), tail.tolist(), age.tolist(), strict=True)
    ]


def _draw_landlines(households: Households, household: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Give some households a fixed line, mostly registered ones; members share it."""
    count = len(households)
    share = np.where(households.registered, _LANDLINE_SHARE, _LANDLINE_SHARE / 4)
    has_line = rng.random(count) < share
    first = rng.choice(np.array(["5", "8"]), size=count)
    rest = rng.integers(0, 10_000_000, size=count)
    lines = [
        f"{AREA_CODE}-{f}{r:07d}" if h else ""
        for h, f, r in zip(has_line.tolist(), first.tolist(), rest.tolist(), strict=True)
    ]
    return [lines[h] if h >= 0 else "" for h in household.tolist()]


def assign_household_numbers(
    households: Households, household_district_codes: np.ndarray, rng: np.random.Generator
) -> None:
    """Give registered households a unique 9-digit household number (户号).

    Numbers start with the district's two-digit code so that a clerk can tell
    the issuing police branch, as local police systems do.
    """
    registered = np.flatnonzero(households.registered)
    serials = rng.permutation(max(len(registered), 1) * 3)[: len(registered)] + 1
    numbers = list(households.number)
    for index, serial in zip(registered.tolist(), serials.tolist(), strict=True):
        district = str(household_district_codes[index])
        numbers[index] = f"{district[4:6]}{serial:07d}"
    households.number = numbers
