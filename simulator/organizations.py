"""Organizations of the demo city: companies, sole proprietors, schools, social organizations.

- Companies (统一社会信用代码 ``91``): the property companies that own units
  (`build_organizations`), and employers of floating residents.
- Sole proprietorships (``92``): shops run by floating residents in business.
- Public institutions (``12``): schools named by students as ``FWCS``.
- Social organizations (``51`` 社会团体, ``52`` 民办非企业单位, ``53`` 基金会):
  registered by civil affairs, delivered by ``/api/v1/organizations`` with a
  legal representative, a status and their changes.

Every organization has a unique GB 32100 credit code and a unique name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulator.city import USE_OFFICE, Divisions, Units
from simulator.credit_codes import make_credit_codes
from simulator.events import NOT_A_DATE, NOT_A_TIME, office_times, uniform_dates
from simulator.names import (
    EMPLOYER_KINDS,
    FOUNDATION_SUFFIXES,
    ORGANIZATION_KINDS,
    PRIVATE_NON_ENTERPRISE_SUFFIXES,
    SCHOOL_KINDS,
    SHOP_KINDS,
    SOCIAL_GROUP_SUFFIXES,
    SOCIAL_GROUP_TOPICS,
    PlaceNamer,
)
from simulator.people import DEPARTED, OUTSIDE, REGISTERED, Population

COMPANY = "company"
SOLE_PROPRIETOR = "sole_proprietor"
PUBLIC_INSTITUTION = "public_institution"
SOCIAL_ORGANIZATION = "social_organization"

SOCIAL_TYPES = ("社会团体", "民办非企业单位", "基金会")
# Nanjing's register: about 45 % associations, 53 % private non-enterprise
# units (schools, care homes, service centres), 2 % foundations.
_SOCIAL_TYPE_SHARES = (0.45, 0.53, 0.02)
_SOCIAL_CODE_PREFIXES = ("51", "52", "53")
ACTIVE = "正常"
DEREGISTERED = "注销"
REVOKED = "撤销"
_STATUS_SHARES = (0.85, 0.10, 0.05)


@dataclass
class Organizations:
    """Every organization (columnar).

    Attributes:
        credit_code: Unified social credit code (GB 32100).
        name: Registered name.
        kind: ``company``, ``sole_proprietor``, ``public_institution`` or
            ``social_organization``.
        social_type: ``社会团体``, ``民办非企业单位`` or ``基金会`` for social
            organizations, else empty.
        legal_rep: Person index of the legal representative of social
            organizations, else -1.
        unit: Unit index of the registered address of social organizations,
            else -1.
        founded: Founding date (``datetime64[D]``).
        status: ``正常``, ``注销`` or ``撤销``.
        status_changed: Date of deregistration or revocation, NaT if active.
        updated_at: Last change of the civil-affairs record (``datetime64[s]``).
    """

    credit_code: list[str]
    name: list[str]
    kind: np.ndarray
    social_type: list[str]
    legal_rep: np.ndarray
    unit: np.ndarray
    founded: np.ndarray
    status: list[str]
    status_changed: np.ndarray
    updated_at: np.ndarray

    def __len__(self) -> int:
        return len(self.credit_code)

    def organization_id(self, index: int) -> str:
        """Return the stable truth identifier of an organization."""
        return f"O{index + 1:06d}"

    def of_kind(self, kind: str) -> np.ndarray:
        """Return the indexes of the organizations of one kind."""
        return np.flatnonzero(self.kind == kind)


def build_organizations(divisions: Divisions, units: Units, rng: np.random.Generator) -> Organizations:
    """Create the property-owning companies, about one per 50 units."""
    count = max(3, round(len(units) / 50))
    namer = PlaceNamer(rng)
    city_short = divisions.city.name.removesuffix("市")
    names = [
        city_short + namer.take("") + ORGANIZATION_KINDS[int(rng.integers(len(ORGANIZATION_KINDS)))]
        for _ in range(count)
    ]
    admin_codes = [divisions.districts[int(d)].code[:6] for d in rng.integers(len(divisions.districts), size=count)]
    return _block(make_credit_codes(admin_codes, rng), names, COMPANY)


def _block(codes: list[str], names: list[str], kind: str, social_type: list[str] | None = None) -> Organizations:
    count = len(codes)
    return Organizations(
        credit_code=codes,
        name=names,
        kind=np.full(count, kind, dtype="U20"),
        social_type=social_type or [""] * count,
        legal_rep=np.full(count, -1, dtype=np.int64),
        unit=np.full(count, -1, dtype=np.int64),
        founded=np.full(count, NOT_A_DATE),
        status=[ACTIVE] * count,
        status_changed=np.full(count, NOT_A_DATE),
        updated_at=np.full(count, NOT_A_TIME),
    )


def _concat(parts: list[Organizations]) -> Organizations:
    return Organizations(
        credit_code=[c for p in parts for c in p.credit_code],
        name=[n for p in parts for n in p.name],
        kind=np.concatenate([p.kind for p in parts]),
        social_type=[t for p in parts for t in p.social_type],
        legal_rep=np.concatenate([p.legal_rep for p in parts]),
        unit=np.concatenate([p.unit for p in parts]),
        founded=np.concatenate([p.founded for p in parts]),
        status=[s for p in parts for s in p.status],
        status_changed=np.concatenate([p.status_changed for p in parts]),
        updated_at=np.concatenate([p.updated_at for p in parts]),
    )


class _UniqueNames:
    def __init__(self, taken: list[str], rng: np.random.Generator) -> None:
        self._taken = set(taken)
        self._namer = PlaceNamer(rng)
        self._rng = rng

    def take(self, build: Callable[[str, np.random.Generator], str]) -> str:
        while True:
            name = build(self._namer.take(""), self._rng)
            if name not in self._taken:
                self._taken.add(name)
                return name


def add_organizations(
    base: Organizations,
    divisions: Divisions,
    units: Units,
    population: Population,
    persons: int,
    social_per_1000: float,
    end: np.datetime64,
    streams: dict[str, np.random.Generator],
) -> Organizations:
    """Add employers, shops, schools and social organizations to the property companies.

    Args:
        base: The property-owning companies (kept first, so their ids stay).
        divisions: The division tree.
        units: The housing stock (addresses of social organizations).
        population: Everyone (legal representatives).
        persons: Residents of the city (sizes the registers).
        social_per_1000: Social organizations per 1,000 residents.
        end: Last day of the span.
        streams: Random streams keyed ``employers``, ``social``.

    Returns:
        All organizations, the property companies first.
    """
    rng = streams["employers"]
    city_short = divisions.city.name.removesuffix("市")
    names = _UniqueNames(base.name, rng)
    districts = [d.code[:6] for d in divisions.districts]
    seen = {code[8:17] for code in base.credit_code}

    def codes(count: int, prefix: str, generator: np.random.Generator) -> list[str]:
        admin = [districts[int(d)] for d in generator.integers(len(districts), size=count)]
        return make_credit_codes(admin, generator, prefix=prefix, seen=seen)

    # About one employer per 30 floating workers, one shop per 40 residents in
    # business, one school per 3,000 residents.
    employer_count = max(5, round(persons * 0.3 * 0.6 / 30))
    employers = [
        names.take(lambda w, r: city_short + w + EMPLOYER_KINDS[int(r.integers(len(EMPLOYER_KINDS)))])
        for _ in range(employer_count)
    ]
    shop_count = max(3, round(persons * 0.3 * 0.15 / 4))
    shops = [names.take(lambda w, r: w + SHOP_KINDS[int(r.integers(len(SHOP_KINDS)))]) for _ in range(shop_count)]
    school_count = max(3, round(persons / 3000))
    schools = [
        names.take(lambda w, r: city_short + w + SCHOOL_KINDS[int(r.integers(len(SCHOOL_KINDS)))])
        for _ in range(school_count)
    ]
    blocks = [
        base,
        _block(codes(employer_count, "91", rng), employers, COMPANY),
        _block(codes(shop_count, "92", rng), shops, SOLE_PROPRIETOR),
        _block(codes(school_count, "12", rng), schools, PUBLIC_INSTITUTION),
        _social_organizations(
            divisions, units, population, persons, social_per_1000, end, names, codes, streams["social"]
        ),
    ]
    return _concat(blocks)


def _social_organizations(
    divisions: Divisions,
    units: Units,
    population: Population,
    persons: int,
    social_per_1000: float,
    end: np.datetime64,
    names: _UniqueNames,
    codes: Callable[[int, str, np.random.Generator], list[str]],
    rng: np.random.Generator,
) -> Organizations:
    count = max(5, round(persons * social_per_1000 / 1000))
    social_type = rng.choice(len(SOCIAL_TYPES), size=count, p=_SOCIAL_TYPE_SHARES)
    city = divisions.city.name
    province = divisions.province_name
    district_names = [d.name for d in divisions.districts]
    org_names = []
    credit_codes = []
    for t in social_type.tolist():
        if t == 0:
            name = names.take(
                lambda w, r: city
                + SOCIAL_GROUP_TOPICS[int(r.integers(len(SOCIAL_GROUP_TOPICS)))]
                + SOCIAL_GROUP_SUFFIXES[int(r.integers(len(SOCIAL_GROUP_SUFFIXES)))]
                if r.random() < 0.5
                else city + w + SOCIAL_GROUP_TOPICS[int(r.integers(len(SOCIAL_GROUP_TOPICS)))] + "协会"
            )
        elif t == 1:
            name = names.take(
                lambda w, r: city
                + district_names[int(r.integers(len(district_names)))]
                + w
                + PRIVATE_NON_ENTERPRISE_SUFFIXES[int(r.integers(len(PRIVATE_NON_ENTERPRISE_SUFFIXES)))]
            )
        else:
            name = names.take(
                lambda w, r: province + w + FOUNDATION_SUFFIXES[int(r.integers(len(FOUNDATION_SUFFIXES)))]
            )
        org_names.append(name)
        credit_codes.extend(codes(1, _SOCIAL_CODE_PREFIXES[t], rng))
    block = _block(credit_codes, org_names, SOCIAL_ORGANIZATION, [SOCIAL_TYPES[t] for t in social_type.tolist()])

    # Legal representatives: residents aged 35-75, mostly registered; a few
    # live elsewhere (the register knows them, no other system does).
    age = population.age_on(end.astype(object))
    candidates = np.flatnonzero((population.residence == REGISTERED) & (age >= 35) & (age <= 75))
    outsiders = np.flatnonzero((population.residence == OUTSIDE) & (age <= 80))
    if len(candidates) == 0:
        candidates = np.flatnonzero(population.residence != DEPARTED)
    reps = rng.choice(candidates, size=count)
    from_outside = rng.random(count) < 0.05
    if len(outsiders):
        reps[from_outside] = rng.choice(outsiders, size=int(from_outside.sum()))
    block.legal_rep = reps

    offices = np.flatnonzero(units.use == USE_OFFICE)
    pool = offices if len(offices) else np.arange(len(units))
    block.unit = rng.choice(pool, size=count)

    # Most were founded after the 2016 Charity Law reform wave.
    founded = uniform_dates(
        np.full(count, np.datetime64("1995-01-01", "D")), np.full(count, end - 30), rng
    )
    block.founded = founded
    status = rng.choice(3, size=count, p=_STATUS_SHARES)
    changed = uniform_dates(np.maximum(founded + 365, end - 5 * 365), np.full(count, end), rng)
    closed = (status > 0) & (changed <= end)
    block.status = [("正常", DEREGISTERED, REVOKED)[s] if closed[i] else ACTIVE for i, s in enumerate(status.tolist())]
    block.status_changed = np.where(closed, changed, NOT_A_DATE)
    # Active organizations file an annual report each spring; the record's
    # update time is the last report, founding or status change.
    year = end.astype("datetime64[Y]")
    report_day = year.astype("datetime64[D]") + rng.integers(90, 180, size=count).astype("timedelta64[D]")
    report_day = np.where(report_day > end, report_day - 365, report_day)
    last_change = np.where(closed, block.status_changed, np.maximum(report_day, founded))
    block.updated_at = office_times(np.minimum(last_change, end), rng)
    return block
