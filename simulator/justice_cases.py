"""Justice facts beyond community corrections: mediation cases and resettlement support.

People's mediation (人民调解) settles disputes between residents: spouses,
neighbours, a resident and the estate's management, workers and bosses.
Community mediation committees take about six cases per 1,000 residents a
year (Ministry of Justice: ~9 million a year nationally), more around the
Spring Festival. Resettlement support (安置帮教) follows released prisoners
for five years after release; they are mostly men aged 25-55.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.config import SimulationConfig
from simulator.events import NOT_A_DATE, uniform_dates
from simulator.people import OUTSIDE, DEPARTED, Households, Population

DISPUTE_TYPES = ("婚姻家庭", "邻里", "物业", "劳动", "土地", "损害赔偿", "其他")
_DISPUTE_SHARES = (0.25, 0.30, 0.12, 0.08, 0.03, 0.12, 0.10)
SUCCEEDED = "调解成功"
FAILED = "调解不成"
ONGOING = "调解中"
SUPPORTED = "在帮"
ENDED = "已解除"
_SUPPORT_YEARS = 5


@dataclass
class MediationCases:
    """People's mediation cases (columnar; parties flattened).

    Attributes:
        dispute: Index into `DISPUTE_TYPES`.
        accepted: Acceptance date.
        closed: Closing date, NaT if still open at the end of the span.
        succeeded: True if mediation reached an agreement.
        amount: Agreed amount in yuan (0 if none).
        community: Community whose committee mediates.
        place_unit: Unit where the dispute arose.
        party_offsets, parties: Parties of case ``i`` are
            ``parties[party_offsets[i]:party_offsets[i + 1]]``.
    """

    dispute: np.ndarray
    accepted: np.ndarray
    closed: np.ndarray
    succeeded: np.ndarray
    amount: np.ndarray
    community: np.ndarray
    place_unit: np.ndarray
    party_offsets: np.ndarray
    parties: np.ndarray

    def __len__(self) -> int:
        return len(self.dispute)

    def parties_of(self, case: int) -> np.ndarray:
        """Return the parties of one case in the order the roster lists them."""
        return self.parties[self.party_offsets[case] : self.party_offsets[case + 1]]


@dataclass
class ResettlementCases:
    """Released persons under resettlement support (columnar).

    Attributes:
        person: Person index.
        released: Release date.
        support_end: End of the support period.
    """

    person: np.ndarray
    released: np.ndarray
    support_end: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


def seasonal_days(
    start: np.datetime64, end: np.datetime64, count: int, rng: np.random.Generator, peaks: tuple[float, float]
) -> np.ndarray:
    """Draw `count` days in [start, end] with a yearly rhythm.

    Args:
        start, end: The span.
        count: Days to draw.
        rng: Random stream.
        peaks: Amplitude of the winter (Spring Festival) and summer peaks.
    """
    days = np.arange(start, end + 1, dtype="datetime64[D]")
    day_of_year = (days - days.astype("datetime64[Y]")).astype(np.int64)
    winter, summer = peaks
    weight = (
        1.0
        + winter * np.exp(-(((day_of_year - 30) % 365) ** 2) / (2 * 20.0**2))
        + winter * np.exp(-(((30 - day_of_year) % 365) ** 2) / (2 * 20.0**2))
        + summer * np.exp(-((day_of_year - 200) ** 2) / (2 * 35.0**2))
    )
    return np.sort(days[rng.choice(len(days), size=count, p=weight / weight.sum())])


def draw_mediation(
    config: SimulationConfig,
    population: Population,
    households: Households,
    death_date: np.ndarray,
    rng: np.random.Generator,
) -> MediationCases:
    """Draw the span's mediation cases and their parties.

    Args:
        config: The run's options.
        population: Everyone.
        households: Households (where parties live).
        death_date: Death date per person.
        rng: Random stream.

    Returns:
        The cases, ordered by acceptance date.
    """
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    count = max(3, round(config.persons * config.annual_mediation_rate * config.months / 12))
    accepted = seasonal_days(start, end, count, rng, peaks=(0.5, 0.2))
    dispute = rng.choice(len(DISPUTE_TYPES), size=count, p=_DISPUTE_SHARES)
    duration = np.round(rng.gamma(2.0, 8.0, count)).astype(np.int64) + 1
    closed = accepted + duration.astype("timedelta64[D]")
    closed = np.where(closed <= end, closed, NOT_A_DATE)
    succeeded = rng.random(count) < 0.85
    money = np.isin(dispute, (2, 3, 5)) | ((dispute == 1) & (rng.random(count) < 0.3))
    amount = np.where(
        money & succeeded & ~np.isnat(closed), np.round(np.exp(rng.normal(8.0, 1.0, count)), -1), 0.0
    )

    residents = population.residents
    age = population.age_on(config.end_date)[:residents]
    adult = (age >= 18) & np.isnat(death_date[:residents])
    household = population.household[:residents]
    unit_of = households.unit[household]
    community_of = households.community[household]
    by_community: dict[int, np.ndarray] = {}
    adults = np.flatnonzero(adult)
    order = np.argsort(community_of[adults], kind="stable")
    sorted_adults = adults[order]
    bounds = np.flatnonzero(np.diff(community_of[sorted_adults])) + 1
    for group in np.split(sorted_adults, bounds):
        if len(group):
            by_community[int(community_of[group[0]])] = group
    communities = np.array(sorted(by_community))
    sizes = np.array([len(by_community[c]) for c in communities.tolist()], dtype=np.float64)

    first = households.first_member
    couples = first[(households.size >= 2)]
    couples = couples[
        (population.relation[couples + 1] == "10") & adult[couples] & adult[np.minimum(couples + 1, residents - 1)]
    ]
    parties_list: list[np.ndarray] = []
    case_community = np.zeros(count, dtype=np.int64)
    place_unit = np.zeros(count, dtype=np.int64)
    party_count = rng.choice((2, 3, 4), size=count, p=(0.8, 0.15, 0.05))
    picks = rng.random((count, 4))
    for i in range(count):
        if dispute[i] == 0 and len(couples):
            head = int(couples[int(picks[i, 0] * len(couples))])
            parties = np.array([head, head + 1])
        else:
            community = int(communities[rng.choice(len(communities), p=sizes / sizes.sum())])
            pool = by_community[community]
            wanted = min(int(party_count[i]), len(pool))
            parties = pool[(picks[i, :wanted] * len(pool)).astype(np.int64)]
            parties = np.unique(parties)
            if len(parties) < 2 and len(pool) >= 2:
                parties = np.array([pool[0], pool[-1]])
        parties_list.append(parties)
        place_unit[i] = unit_of[parties[0]]
        case_community[i] = community_of[parties[0]]
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in parties_list])]).astype(np.int64)
    return MediationCases(
        dispute=dispute,
        accepted=accepted,
        closed=closed,
        succeeded=succeeded,
        amount=amount,
        community=case_community,
        place_unit=place_unit,
        party_offsets=offsets,
        parties=np.concatenate(parties_list).astype(np.int64) if parties_list else np.array([], dtype=np.int64),
    )


def draw_resettlement(
    config: SimulationConfig, population: Population, death_date: np.ndarray, rng: np.random.Generator
) -> ResettlementCases:
    """Draw released persons whose support period overlaps the justice rosters."""
    end = np.datetime64(config.end_date, "D")
    age = population.age_on(config.end_date)
    living_here = (population.residence != OUTSIDE) & (population.residence != DEPARTED)
    eligible = np.flatnonzero(living_here & (age >= 20) & (age <= 65) & np.isnat(death_date))
    adults = int((living_here & (age >= 18)).sum())
    count = min(len(eligible), max(3, round(adults * config.resettlement_share_of_adults)))
    weight = np.where(population.male[eligible], 9.0, 1.0) * np.where(
        (age[eligible] >= 25) & (age[eligible] <= 55), 2.0, 1.0
    )
    keys = np.log(rng.random(len(eligible))) / weight
    person = np.sort(eligible[np.argsort(-keys, kind="stable")[:count]])
    window_start = np.datetime64(config.span_start, "D")
    released = uniform_dates(
        np.full(count, window_start - _SUPPORT_YEARS * 365), np.full(count, end - 10), rng
    )
    # Most support periods run the full five years; some end early.
    years = np.where(rng.random(count) < 0.8, _SUPPORT_YEARS, rng.integers(2, 5, count))
    support_end = released + (years * 365).astype("timedelta64[D]")
    return ResettlementCases(person=person, released=released, support_end=support_end)
