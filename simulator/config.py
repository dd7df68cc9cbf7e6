"""Options of one simulation run, including the data-issue rates.

Every knob of the demo city lives in `SimulationConfig` so that a run is fully
described by one value (and the seed makes it reproducible). Rates that come
from real-world figures say where the figure comes from.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date

DEFAULT_CIVIL_AFFAIRS_BASE_URL = "http://127.0.0.1:8765"

# Multipliers applied to the base ("moderate") rates. "moderate" touches a few
# percent of records, which is what departments' own quality reports show for
# hand-keyed registers; "heavy" is for stress tests of the quarantine path.
NOISE_LEVELS: dict[str, float] = {
    "none": 0.0,
    "light": 0.3,
    "moderate": 1.0,
    "heavy": 3.0,
}


@dataclass(frozen=True)
class NoiseRates:
    """Probability of each data issue, per delivered value.

    A rate is the share of *eligible* values that receive the issue: the
    legacy 15-digit form can only hit persons born 1900-1999, lower-case `x`
    only identity numbers ending in `X`, a middle-dot variant only
    transliterated names, a homophone only names with a rare character. Issues
    of one field kind (identity number, name, date) are mutually exclusive on
    one value, so a value carries at most one issue of its kind.
    """

    id_legacy_15: float = 0.01
    id_lowercase_x: float = 0.08
    id_fullwidth: float = 0.003
    id_spaces: float = 0.006
    id_mistyped_digit: float = 0.003
    id_transposed_digits: float = 0.002
    id_missing: float = 0.003
    name_outer_spaces: float = 0.006
    name_inner_space: float = 0.004
    name_fullwidth_space: float = 0.003
    name_dot_variant: float = 0.25
    name_rare_char: float = 0.2
    date_slashes: float = 0.005
    date_compact: float = 0.003
    date_chinese: float = 0.003
    duplicate_row: float = 0.003

    def scaled(self, factor: float) -> NoiseRates:
        """Return these rates multiplied by `factor`, each capped at 1."""
        return NoiseRates(
            **{f.name: min(1.0, getattr(self, f.name) * factor) for f in dataclasses.fields(self)}
        )


@dataclass(frozen=True)
class SimulationConfig:
    """Everything that decides the demo city and its deliveries.

    Attributes:
        persons: Residents of the city (household-registered plus floating).
        seed: Seed of every random stream; same seed, same bytes.
        months: Length of the simulated span, ending with `end_date`'s month.
        end_date: Last day of the span; no event or timestamp is later.
        noise: One of `NOISE_LEVELS`; scales `base_noise_rates`.
        civil_affairs_base_url: Written to the sources file for the pipeline.
        city_code: GB/T 2260 code of the demo city (a real prefecture city).
        floating_share: Share of residents without household registration.
            Large Chinese cities report 25-45 % (2020 census, Nanjing ~30 %).
        annual_death_rate: Crude death rate; China 2020-2023 ~0.7 %.
        outside_death_share: Deaths of persons living outside the city (died
            in one of its hospitals): the contract's referential gap.
        annual_move_out_rate: Household registrations moved out per year.
        police_phone_share: Share of HJRK rows with a phone (often empty).
        outside_person_share: Persons living elsewhere, relative to
            `persons`, who own units in the city or die in it.
        residential_occupancy: Share of residential units with a household.
        corrections_share_of_adults: Community corrections caseload; China
            has ~0.7 million cases for ~1.1 billion adults (0.06 %), big
            cities report up to 0.2 %.
        corrections_min_cases: Floor so that tiny demo cities still deliver a
            roster with rows.
        justice_months: Monthly justice workbooks delivered (the last ones,
            at most `months`).
        justice_text_date_share: Share of roster date cells typed as text
            rather than entered as Excel dates.
        base_noise_rates: Rates at the "moderate" level.
    """

    persons: int = 10_000
    seed: int = 42
    months: int = 24
    end_date: date = date(2026, 10, 31)
    noise: str = "moderate"
    civil_affairs_base_url: str = DEFAULT_CIVIL_AFFAIRS_BASE_URL
    city_code: str = "320100"
    floating_share: float = 0.30
    annual_death_rate: float = 0.007
    outside_death_share: float = 0.04
    annual_move_out_rate: float = 0.004
    police_phone_share: float = 0.4
    outside_person_share: float = 0.05
    residential_occupancy: float = 0.9
    corrections_share_of_adults: float = 0.0015
    corrections_min_cases: int = 3
    justice_months: int = 3
    justice_text_date_share: float = 0.3
    base_noise_rates: NoiseRates = field(default_factory=NoiseRates)

    def __post_init__(self) -> None:
        if self.persons < 50:
            raise ValueError(f"persons must be at least 50, got {self.persons}")
        if self.seed < 0:
            raise ValueError(f"seed must be non-negative, got {self.seed}")
        if self.months < 1:
            raise ValueError(f"months must be at least 1, got {self.months}")
        if self.justice_months < 1:
            raise ValueError(f"justice_months must be at least 1, got {self.justice_months}")
        if self.noise not in NOISE_LEVELS:
            raise ValueError(f"noise must be one of {sorted(NOISE_LEVELS)}, got {self.noise!r}")

    @property
    def noise_rates(self) -> NoiseRates:
        """The issue rates of this run's noise level."""
        return self.base_noise_rates.scaled(NOISE_LEVELS[self.noise])

    @property
    def span_start(self) -> date:
        """First day of the simulated span (first of its first month)."""
        return month_start(self.end_date, -(self.months - 1))

    @property
    def roster_months(self) -> int:
        """Monthly justice workbooks to deliver: the last ones, within the span."""
        return min(self.justice_months, self.months)

    @property
    def snapshot_date(self) -> date:
        """Date of the last monthly full snapshot: first of the last month."""
        return month_start(self.end_date, 0)


def month_start(day: date, offset: int) -> date:
    """Return the first day of the month `offset` months after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + offset
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """Return the last day of `day`'s month."""
    return date.fromordinal(month_start(day, 1).toordinal() - 1)
