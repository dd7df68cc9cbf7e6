"""Civil-affairs facts about families: marriages, divorces, subsistence households.

Marriages are registered by couples who live together now (head and spouse)
and married during the span, plus some residents who married someone living
elsewhere. Divorced persons live apart now: a man and a woman heading their
own small households. Subsistence-allowance (低保) households are registered
households, most of them elderly persons living alone or single parents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.config import SimulationConfig
from simulator.events import NOT_A_DATE, office_times, uniform_dates
from simulator.people import OUTSIDE, REGISTERED, RELATION_CODES, Households, Population

MARRIAGE = "结婚"
DIVORCE = "离婚"
ACTIVE = "在保"
STOPPED = "停保"
# Legal minimum marriage ages (Civil Code art. 1047).
_MIN_AGE_MALE = 22
_MIN_AGE_FEMALE = 20
# Yearly rise of the subsistence standard, as Nanjing's has risen.
_STANDARD_YEARLY_RISE = 0.03


@dataclass
class Registrations:
    """Marriage and divorce registrations (columnar).

    Attributes:
        kind: ``结婚`` or ``离婚``.
        male, female: Person indexes of the parties.
        day: Registration date.
        district: Index into `Divisions.districts` of the registry office.
        updated_at: Last change of the record (a reissue or a corrected
            entry moves it later).
        corrected: True when the record was corrected after registration.
    """

    kind: np.ndarray
    male: np.ndarray
    female: np.ndarray
    day: np.ndarray
    district: np.ndarray
    updated_at: np.ndarray
    corrected: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)


@dataclass
class SubsistenceCases:
    """Subsistence-allowance cases, one per household (columnar).

    Attributes:
        household: Household index.
        start: Approval date.
        end: Date the allowance stopped, NaT while active.
        monthly_amount: Yuan per month for the household, as last assessed.
        updated_at: Last change of the case (approval, yearly review, stop).
        corrected: True when the case was corrected after its last change.
    """

    household: np.ndarray
    start: np.ndarray
    end: np.ndarray
    monthly_amount: np.ndarray
    updated_at: np.ndarray
    corrected: np.ndarray

    def __len__(self) -> int:
        return len(self.household)


def _age_on(population: Population, persons: np.ndarray, day: np.ndarray) -> np.ndarray:
    return (day - population.birth_date[persons]).astype(np.int64) / 365.25


def draw_registrations(
    config: SimulationConfig,
    population: Population,
    households: Households,
    death_date: np.ndarray,
    district_of_household: np.ndarray,
    correction_rate: float,
    rng: np.random.Generator,
) -> Registrations:
    """Draw the span's marriage and divorce registrations.

    Args:
        config: The run's options (rates, span).
        population: Everyone.
        households: Households (registered ones marry here).
        death_date: Death date per person (NaT if alive).
        district_of_household: District index per household.
        correction_rate: Share of records corrected later.
        rng: Random stream.

    Returns:
        The registrations, ordered by date.
    """
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    years = config.months / 12
    age = population.age_on(config.end_date)
    alive = np.isnat(death_date)

    # Couples: a registered head with a spouse right after them.
    heads = households.first_member[households.registered & (households.size >= 2)]
    spouse = heads + 1
    is_couple = population.relation[spouse] == RELATION_CODES["spouse"]
    heads, spouse = heads[is_couple], spouse[is_couple]
    male = np.where(population.male[heads], heads, spouse)
    female = np.where(population.male[heads], spouse, heads)
    younger = np.minimum(age[male], age[female])
    ok = alive[male] & alive[female] & (younger >= 22) & (younger <= 45)
    male, female, younger = male[ok], female[ok], younger[ok]
    wanted = round(config.persons * config.annual_marriage_rate * years)
    outside_share = 0.1
    couples = min(len(male), round(wanted * (1 - outside_share)))
    weight = np.exp(-((younger - 27.0) ** 2) / 40.0)
    picked = _weighted(len(male), weight, couples, rng)
    m, f = male[picked], female[picked]

    # Residents who married someone from elsewhere (who lives elsewhere still).
    singles = households.first_member[households.registered & (households.size == 1)]
    singles = singles[alive[singles] & (age[singles] >= 22) & (age[singles] <= 45)]
    outsiders = np.flatnonzero((population.residence == OUTSIDE) & alive & (age <= 48))
    extra = min(len(singles), wanted - couples) if len(outsiders) else 0
    lone = rng.choice(singles, size=extra, replace=False) if extra > 0 else np.array([], dtype=np.int64)
    partner_pool_male = outsiders[population.male[outsiders]]
    partner_pool_female = outsiders[~population.male[outsiders]]
    lone_male = population.male[lone]
    partners = np.where(
        lone_male,
        rng.choice(partner_pool_female, size=len(lone)) if len(partner_pool_female) else lone,
        rng.choice(partner_pool_male, size=len(lone)) if len(partner_pool_male) else lone,
    )
    keep = partners != lone
    lone, partners, lone_male = lone[keep], partners[keep], lone_male[keep]
    m = np.concatenate([m, np.where(lone_male, lone, partners)])
    f = np.concatenate([f, np.where(lone_male, partners, lone)])
    resident_party = np.concatenate([male[picked], lone])
    marriage_kind = np.full(len(m), MARRIAGE)

    # Divorces: a man and a woman now heading small households apart.
    small = households.first_member[households.registered & (households.size <= 2)]
    small = small[alive[small] & (age[small] >= 28) & (age[small] <= 60)]
    men = rng.permutation(small[population.male[small]])
    women = rng.permutation(small[~population.male[small]])
    divorces = min(len(men), len(women), round(config.persons * config.annual_divorce_rate * years))
    dm, df = men[:divorces], women[:divorces]

    kind = np.concatenate([marriage_kind, np.full(divorces, DIVORCE)])
    male_all = np.concatenate([m, dm])
    female_all = np.concatenate([f, df])
    resident_all = np.concatenate([resident_party, dm])
    # Not before both were of age; not after either died.
    of_age = np.maximum(
        population.birth_date[male_all] + np.timedelta64(int(_MIN_AGE_MALE * 365.25) + 1, "D"),
        population.birth_date[female_all] + np.timedelta64(int(_MIN_AGE_FEMALE * 365.25) + 1, "D"),
    )
    low = np.maximum(start, of_age)
    high = np.minimum(
        np.full(len(kind), end),
        np.minimum(
            np.where(np.isnat(death_date[male_all]), end, death_date[male_all] - 1),
            np.where(np.isnat(death_date[female_all]), end, death_date[female_all] - 1),
        ),
    )
    valid = low <= high
    kind, male_all, female_all, resident_all = kind[valid], male_all[valid], female_all[valid], resident_all[valid]
    day = uniform_dates(low[valid], high[valid], rng)
    district = district_of_household[population.household[resident_all]]
    corrected = rng.random(len(kind)) < correction_rate
    later = np.minimum(day + rng.integers(7, 200, len(kind)).astype("timedelta64[D]"), end)
    updated_at = office_times(np.where(corrected, later, day), rng)
    order = np.lexsort((np.arange(len(kind)), day))
    return Registrations(
        kind=kind[order],
        male=male_all[order],
        female=female_all[order],
        day=day[order],
        district=district[order],
        updated_at=updated_at[order],
        corrected=corrected[order],
    )


def _weighted(count: int, weight: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    if size <= 0 or count == 0:
        return np.array([], dtype=np.int64)
    keys = np.log(rng.random(count)) / np.maximum(weight, 1e-12)
    return np.sort(np.argsort(-keys, kind="stable")[:size])


def draw_subsistence(
    config: SimulationConfig,
    population: Population,
    households: Households,
    death_date: np.ndarray,
    correction_rate: float,
    rng: np.random.Generator,
) -> SubsistenceCases:
    """Draw the subsistence-allowance households known over the span.

    Elderly persons living alone and single parents are four and three times
    as likely as other registered households; households where someone died
    during the span are left out so that members never include the dead.

    Args:
        config: The run's options.
        population: Everyone.
        households: Households.
        death_date: Death date per person.
        correction_rate: Share of cases corrected after their last change.
        rng: Random stream.

    Returns:
        The cases, ordered by household.
    """
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")
    age = population.age_on(config.end_date)
    first = households.first_member
    someone_died = np.add.reduceat((~np.isnat(death_date[: population.residents])).astype(np.int64), first) > 0
    eligible = households.registered & ~someone_died
    elderly_alone = (households.size == 1) & (age[first] >= 60)
    second = np.minimum(first + 1, population.residents - 1)
    single_parent = (households.size == 2) & (population.relation[second] == RELATION_CODES["child"])
    weight = np.where(elderly_alone, 4.0, np.where(single_parent, 3.0, 1.0)) * eligible
    registered_persons = int((population.residence == REGISTERED).sum())
    target_persons = config.subsistence_share * registered_persons
    # Turnover: a fifth of cases stop each year, so the span knows more
    # households than are active at any one time.
    years = config.months / 12
    mean_size = float(households.size[eligible].mean()) if eligible.any() else 1.0
    target = target_persons * (1 + 0.2 * years) / max(1.0, mean_size)
    count = min(int(eligible.sum()), max(3, round(target)))
    chosen = _weighted(len(households), weight, count, rng)
    chosen = chosen[eligible[chosen]]
    count = len(chosen)

    # A third started during the span; of the rest, a fifth a year stopped.
    started_in_span = rng.random(count) < 0.3
    early = start - np.timedelta64(8 * 365, "D")
    case_start = np.where(
        started_in_span,
        uniform_dates(np.full(count, start), np.full(count, end - 30), rng),
        uniform_dates(np.full(count, early), np.full(count, start - 1), rng),
    )
    stops = rng.random(count) < min(0.9, 0.2 * years)
    stop_day = uniform_dates(np.maximum(case_start + 60, start), np.full(count, end), rng)
    stop_day = np.where(stops & (stop_day <= end) & (stop_day > case_start), stop_day, NOT_A_DATE)

    # Yearly review in January raises the amount with the standard.
    end_year = int(str(end.astype("datetime64[Y]")))
    review = np.datetime64(f"{end_year}-01-20", "D")
    last_change = np.where(np.isnat(stop_day), np.maximum(case_start, np.minimum(review, end)), stop_day)
    last_change = np.minimum(last_change, end)
    years_before = end_year - (last_change.astype("datetime64[Y]").astype(np.int64) + 1970)
    standard = config.subsistence_monthly_standard * (1 - _STANDARD_YEARLY_RISE) ** years_before
    share = rng.uniform(0.3, 1.0, count)
    amount = np.round(standard * households.size[chosen] * share, 2)
    corrected = rng.random(count) < correction_rate
    later = np.minimum(last_change + rng.integers(5, 90, count).astype("timedelta64[D]"), end)
    updated_at = office_times(np.where(corrected, later, last_change), rng)
    return SubsistenceCases(
        household=chosen,
        start=case_start,
        end=stop_day,
        monthly_amount=amount,
        updated_at=updated_at,
        corrected=corrected,
    )
