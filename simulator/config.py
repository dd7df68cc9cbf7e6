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

# How many monthly full snapshots of the house-unit register to deliver.
SNAPSHOTS_FIRST_AND_LAST = "first_and_last"
SNAPSHOTS_MONTHLY = "monthly"
SNAPSHOT_MODES = (SNAPSHOTS_FIRST_AND_LAST, SNAPSHOTS_MONTHLY)


@dataclass(frozen=True)
class NoiseRates:
    """Probability of each data issue (contract section 5).

    At the "moderate" level about 1 % of delivered values carry an issue; a
    record with many fields (a police HJRK row has eight that can be damaged)
    is touched somewhat more often, about one in ten.

    Value issues (``id_``, ``name_``, ``date_``, ``address_``, ``phone_``,
    ``credit_code_``, ``coordinates_``) are the share of *eligible* delivered
    values that receive the issue: the legacy 15-digit form can only hit
    persons born 1900-1999, lower-case `x` only identity numbers ending in
    `X`, a middle-dot variant only transliterated names, a homophone only
    names with a rare character, a Chinese-numeral address only addresses with
    a building number. Issues of one field kind are mutually exclusive on one
    value, so a value carries at most one issue of its kind.

    Record issues (``duplicate_row``, ``correction``, ``unknown_unit``) are the
    share of records; batch issues (``duplicate_batch``, ``schema_``,
    ``out_of_scope``, ``broken_``, ``extra_sheet``) the share of batches (or
    of months, for departments that deliver monthly). A batch issue with a
    non-zero rate occurs at least once per department that can have it, so
    that even a small demo city shows every kind.

    Attributes:
        id_legacy_15 ... id_missing: identity numbers (GB 11643).
        name_outer_spaces ... name_rare_char: personal names.
        date_slashes ... date_chinese: other ways of writing a valid date.
        date_excel_serial: an Excel serial number (text, or a number cell in
            a workbook).
        date_placeholder: ``00000000`` or ``1900-01-01`` for an unknown date.
        date_impossible: a date that does not exist (``2023-02-30``).
        date_future: a date later than the delivery (typo in the year).
        address_no_prefix ... address_fullwidth: the same place written
            another way; ``address_missing_room`` loses the unit or room.
        phone_plus86 ... phone_typo_10: phone number forms; a 10-digit typo
            cannot be repaired.
        credit_code_lowercase, credit_code_mistyped: GB 32100 credit codes.
        coordinates_missing, coordinates_zero: incident ``JD``/``WD``.
        duplicate_row: a record delivered twice in the same batch.
        duplicate_batch: a batch delivered again (a re-sent daily increment,
            a monthly workbook sent twice).
        correction: a record corrected later (a later batch with the same
            business key, or a later update time of a police or API record).
        unknown_unit: house units no housing delivery ever lists although
            residents, rentals or police refer to them.
        schema_renamed, schema_added_column, schema_reordered: schema drift
            per month (housing, justice) or per table / endpoint.
        out_of_scope: fields the shared model must not hold (ethnicity,
            religion, political affiliation, health) added to a batch.
        broken_truncated, broken_wrong_encoding, broken_empty: broken files.
        extra_sheet: a workbook with an extra sheet.
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
    date_excel_serial: float = 0.002
    date_placeholder: float = 0.002
    date_impossible: float = 0.0005
    date_future: float = 0.0005
    address_no_prefix: float = 0.008
    address_chinese_numerals: float = 0.003
    address_building_word: float = 0.003
    address_dash_form: float = 0.003
    address_missing_room: float = 0.001
    address_fullwidth: float = 0.002
    phone_plus86: float = 0.005
    phone_separators: float = 0.005
    phone_landline: float = 0.005
    phone_typo_10: float = 0.002
    credit_code_lowercase: float = 0.01
    credit_code_mistyped: float = 0.003
    coordinates_missing: float = 0.05
    coordinates_zero: float = 0.02
    duplicate_row: float = 0.003
    duplicate_batch: float = 0.01
    correction: float = 0.01
    unknown_unit: float = 0.005
    schema_renamed: float = 0.1
    schema_added_column: float = 0.05
    schema_reordered: float = 0.05
    out_of_scope: float = 0.05
    broken_truncated: float = 0.005
    broken_wrong_encoding: float = 0.003
    broken_empty: float = 0.003
    extra_sheet: float = 0.1

    def scaled(self, factor: float) -> NoiseRates:
        """Return these rates multiplied by `factor`, each capped at 1."""
        return NoiseRates(
            **{f.name: min(1.0, getattr(self, f.name) * factor) for f in dataclasses.fields(self)}
        )

    def replace(self, **rates: float) -> NoiseRates:
        """Return these rates with some set explicitly (e.g. for tests)."""
        return dataclasses.replace(self, **rates)


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
        annual_floating_departure_rate: Floating residents leaving the city
            per year (their permits lapse); such former residents stay in the
            police register. Migrant surveys put the yearly turnover of a
            city's floating population at 10-20 %.
        annual_death_rate: Crude death rate; China 2020-2023 ~0.7 %.
        outside_death_share: Deaths of persons living outside the city (died
            in one of its hospitals): the contract's referential gap.
        annual_move_out_rate: Household registrations moved out per year.
        police_phone_share: Share of HJRK rows with a phone (often empty).
        outside_person_share: Persons living elsewhere, relative to
            `persons`, who own units in the city or die in it.
        residential_occupancy: Share of residential units with a household.
        annual_marriage_rate: Marriage registrations per person and year;
            China 2023: 7.7 million for 1.41 billion (0.55 %).
        annual_divorce_rate: Divorce registrations at civil affairs per person
            and year; China 2023: 2.6 million (0.18 %).
        subsistence_share: Share of registered residents in subsistence-
            allowance (低保) households; urban China ~0.7 %, Nanjing ~0.5 %.
        subsistence_monthly_standard: Nanjing's urban 低保 standard in yuan
            per person and month (2024: 1,170).
        social_organizations_per_1000: Registered social organizations per
            1,000 residents; Nanjing ~1.6.
        annual_incident_rate: Police incident reports (警情) per person and
            year; city police report 40-80 per 1,000 residents.
        incident_hotspot_share: Share of populated grids with 4x the incident
            rate (night markets, transport hubs, old estates).
        annual_mediation_rate: People's mediation cases per person and year;
            China ~9 million cases a year (0.64 %).
        resettlement_share_of_adults: Released persons under resettlement
            support (安置帮教, five years after release); ~0.1-0.2 %.
        annual_unit_change_rate: House-unit register changes (ownership
            transfers, remeasured areas) per unit and year.
        new_unit_share: Units first registered during the span.
        group_rental_share: Group rentals (群租: a small flat shared by more
            young floating residents than its floor area supports) per
            floating household.
        rental_registration_share: Share of leases registered with housing;
            unregistered leases are common (about a third).
        rental_unit_code_missing_share: Rental registrations without a unit
            code, identified by their address only.
        housing_full_snapshots: ``first_and_last`` (default) delivers the full
            house-unit snapshot on the first of the span's first and last
            month, with daily increments in between; ``monthly`` delivers one
            on the first of every month as the contract describes. 24 monthly
            snapshots of a million-person city are 1.8 GB of CSV for little
            extra information, hence the default.
        housing_utf8_months: Months whose housing files are UTF-8 with a
            byte-order mark instead of GBK (chosen among the middle months).
        corrections_share_of_adults: Community corrections caseload; China
            has ~0.7 million cases for ~1.1 billion adults (0.06 %), big
            cities report up to 0.2 %.
        corrections_min_cases: Floor so that tiny demo cities still deliver a
            roster with rows.
        justice_months: Monthly justice workbooks delivered (the last ones,
            at most `months`); ``None`` delivers every month of the span.
        justice_text_date_share: Share of roster date cells typed as text
            rather than entered as Excel dates.
        base_noise_rates: Rates at the "moderate" level.
        noise_rates_override: Rates used as they are, ignoring `noise` and
            `base_noise_rates` (tests set one issue's rate exactly).
    """

    persons: int = 10_000
    seed: int = 42
    months: int = 24
    end_date: date = date(2026, 10, 31)
    noise: str = "moderate"
    civil_affairs_base_url: str = DEFAULT_CIVIL_AFFAIRS_BASE_URL
    city_code: str = "320100"
    floating_share: float = 0.30
    annual_floating_departure_rate: float = 0.12
    annual_death_rate: float = 0.007
    outside_death_share: float = 0.04
    annual_move_out_rate: float = 0.004
    police_phone_share: float = 0.4
    outside_person_share: float = 0.05
    residential_occupancy: float = 0.9
    annual_marriage_rate: float = 0.0055
    annual_divorce_rate: float = 0.0018
    subsistence_share: float = 0.006
    subsistence_monthly_standard: float = 1170.0
    social_organizations_per_1000: float = 1.6
    annual_incident_rate: float = 0.06
    incident_hotspot_share: float = 0.05
    annual_mediation_rate: float = 0.0064
    resettlement_share_of_adults: float = 0.0015
    annual_unit_change_rate: float = 0.04
    new_unit_share: float = 0.02
    group_rental_share: float = 0.01
    rental_registration_share: float = 0.7
    rental_unit_code_missing_share: float = 0.1
    housing_full_snapshots: str = SNAPSHOTS_FIRST_AND_LAST
    housing_utf8_months: int = 1
    corrections_share_of_adults: float = 0.0015
    corrections_min_cases: int = 3
    justice_months: int | None = None
    justice_text_date_share: float = 0.3
    base_noise_rates: NoiseRates = field(default_factory=NoiseRates)
    noise_rates_override: NoiseRates | None = None

    def __post_init__(self) -> None:
        if self.persons < 50:
            raise ValueError(f"persons must be at least 50, got {self.persons}")
        if self.seed < 0:
            raise ValueError(f"seed must be non-negative, got {self.seed}")
        if self.months < 1:
            raise ValueError(f"months must be at least 1, got {self.months}")
        if self.justice_months is not None and self.justice_months < 1:
            raise ValueError(f"justice_months must be at least 1, got {self.justice_months}")
        if self.noise not in NOISE_LEVELS:
            raise ValueError(f"noise must be one of {sorted(NOISE_LEVELS)}, got {self.noise!r}")
        if self.housing_full_snapshots not in SNAPSHOT_MODES:
            raise ValueError(
                f"housing_full_snapshots must be one of {SNAPSHOT_MODES}, got {self.housing_full_snapshots!r}"
            )

    @property
    def noise_rates(self) -> NoiseRates:
        """The issue rates of this run (its noise level, or the explicit override)."""
        if self.noise_rates_override is not None:
            return self.noise_rates_override
        return self.base_noise_rates.scaled(NOISE_LEVELS[self.noise])

    @property
    def span_start(self) -> date:
        """First day of the simulated span (first of its first month)."""
        return month_start(self.end_date, -(self.months - 1))

    @property
    def roster_months(self) -> int:
        """Monthly justice workbooks to deliver: the last ones, within the span."""
        return self.months if self.justice_months is None else min(self.justice_months, self.months)

    @property
    def snapshot_date(self) -> date:
        """Date of the last monthly full snapshot: first of the last month."""
        return month_start(self.end_date, 0)

    def span_months(self) -> list[date]:
        """Return the first day of every month of the span, oldest first."""
        return [month_start(self.end_date, -offset) for offset in range(self.months - 1, -1, -1)]


def month_start(day: date, offset: int) -> date:
    """Return the first day of the month `offset` months after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + offset
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """Return the last day of `day`'s month."""
    return date.fromordinal(month_start(day, 1).toordinal() - 1)
