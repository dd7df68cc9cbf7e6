"""Civil affairs deliveries: the data files behind the HTTP JSON API.

Each endpoint ``/api/v1/<name>`` is served from ``civil_affairs/<name>.json``
(a JSON array of records) by `simulator.server`: marriages, deaths,
subsistence (低保 households) and organizations (社会组织). Each file holds
the latest version of each record; a record corrected after registration has
a later ``updatedAt`` (incremental extraction sees it again). Some records
are served twice, some endpoints carry an extra ``remark`` key or fields the
shared model must not hold (``ethnicity``, ``religion``, ``politicalStatus``,
``healthStatus``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from simulator.batches import CORRECTION, ORGANIZATION, UNIT, Batch, RowIssue
from simulator.deliveries.common import injector, person_mention, plan_drifts, sensitive
from simulator.family import MARRIAGE, STOPPED
from simulator.family import ACTIVE as SUBSISTENCE_ACTIVE
from simulator.formats import iso_dates, timestamps
from simulator.noise import NoiseInjector
from simulator.people import OUTSIDE, RELATION_CODES
from simulator.randomness import stream
from simulator.sensitive import JSON_KEYS
from simulator.truth import Truth
from simulator.world import World

SOURCE_SYSTEM = "civil_affairs"
ENDPOINTS = {
    "marriages": ("marriages", "regNo"),
    "deaths": ("deaths", "recordNo"),
    "subsistence": ("subsistence_cases", "caseNo"),
    "organizations": ("organizations", "creditCode"),
}
MARRIAGE_KEYS = (
    "regNo", "regType", "regDate", "maleIdNo", "maleName", "femaleIdNo", "femaleName", "office", "updatedAt",
)
DEATH_KEYS = ("recordNo", "idNo", "name", "deathDate", "place", "updatedAt")
SUBSISTENCE_KEYS = (
    "caseNo", "headIdNo", "headName", "members", "address", "monthlyAmount", "startDate", "endDate", "status",
    "updatedAt",
)
ORGANIZATION_KEYS = (
    "creditCode", "orgName", "orgType", "legalRepName", "legalRepIdNo", "address", "foundedDate", "status",
    "updatedAt",
)
ADDED_KEY = "remark"
# Big hospitals of the demo city where most deaths are certified.
HOSPITALS = (
    "江苏省人民医院", "南京鼓楼医院", "南京市第一医院", "南京市中医院", "江苏省中医院", "南京市第二医院",
    "南京市江宁医院", "南京医科大学第二附属医院",
)
# Two thirds of urban deaths occur in hospital (China health statistics
# yearbook), most of the rest at home, a few in care homes.
_PLACE_SHARES = (0.65, 0.30, 0.05)
RELATION_WORDS = {
    RELATION_CODES["head"]: "户主",
    RELATION_CODES["spouse"]: "配偶",
    RELATION_CODES["child"]: "子女",
    RELATION_CODES["parent"]: "父母",
    RELATION_CODES["other"]: "其他",
}


def endpoint_path(name: str) -> str:
    """Return the API path of an endpoint."""
    return f"/api/v1/{name}"


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write one ``civil_affairs/<endpoint>.json`` per endpoint and record its batch."""
    folder = out_dir / "civil_affairs"
    folder.mkdir(parents=True, exist_ok=True)
    builders = {"marriages": marriages, "deaths": deaths, "subsistence": subsistence, "organizations": organizations}
    plans = plan_drifts(injector(world, "civil_affairs/schema"), len(builders), can_rename=False)
    attributes = sensitive(world)
    for (name, build), plan in zip(builders.items(), plans, strict=True):
        batch = build(world)
        plan.apply(batch, attributes, {}, ADDED_KEY, JSON_KEYS)
        keys = batch.delivered_headers()
        records = [dict(zip(keys, row, strict=True)) for row in batch.delivered_rows()]
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        truth.record(batch)


def _batch(world: World, name: str, keys: tuple[str, ...]) -> Batch:
    entity, key = ENDPOINTS[name]
    return Batch(
        SOURCE_SYSTEM, entity, name, endpoint_path(name), keys, key, f"{world.config.end_date:%Y-%m-%d} 23:59:59"
    )


def _finish(batch: Batch, noise: NoiseInjector) -> Batch:
    batch.duplicate_rows(noise.duplicates(len(batch.rows)))
    return batch


def deaths(world: World) -> Batch:
    """Build the death registrations, some delivered twice."""
    config, population, events = world.config, world.population, world.events
    rng = stream(config.seed, "civil_affairs/deaths")
    noise = injector(world, "civil_affairs/deaths")

    dead = np.flatnonzero(~np.isnat(events.death_registered_at))
    persons = dead[np.lexsort((dead, events.death_registered_at[dead]))]
    count = len(persons)
    registered_at = events.death_registered_at[persons]
    corrected = noise.mask(count, noise.rates.correction)
    end = np.datetime64(config.end_date, "D").astype("datetime64[s]") + 17 * 3600
    later = registered_at + rng.integers(3, 60, count) * np.timedelta64(86400, "s")
    updated = np.where(corrected, np.minimum(later, end), registered_at)
    updated_at = timestamps(updated, "T")
    registered_text = timestamps(registered_at, "T")
    record_numbers = [f"SW{stamp[:4]}{i + 1:06d}" for i, stamp in enumerate(registered_text)]

    place_kind = rng.choice(len(_PLACE_SHARES), size=count, p=_PLACE_SHARES)
    hospital = rng.integers(len(HOSPITALS), size=count)
    districts = world.divisions.districts
    care_home = rng.integers(len(districts), size=count)
    true_ids = [population.id_number[p] for p in persons.tolist()]
    true_names = [population.name[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    death_text = iso_dates(events.death_date[persons])
    death_dates = noise.dates(death_text)

    batch = _batch(world, "deaths", DEATH_KEYS)
    for i, person in enumerate(persons.tolist()):
        at_home = place_kind[i] == 1 and population.residence[person] != OUTSIDE
        if at_home:
            place = world.units.address[world.households.unit[population.household[person]]]
        elif place_kind[i] == 2:
            place = f"{districts[care_home[i]].name}社会福利院"
        else:
            place = HOSPITALS[hospital[i]]
        row = batch.add(
            (record_numbers[i], ids.values[i] or None, names.values[i], death_dates.values[i], place, updated_at[i]),
            subject=person,
        )
        person_mention(batch, row, world, person, "deceased", unrecoverable=ids.unrecoverable[i])
        batch.note(row, "idNo", ids, i, true_ids[i], "deceased", 1)
        batch.note(row, "name", names, i, true_names[i], "deceased", 1)
        batch.note(row, "deathDate", death_dates, i, death_text[i])
        if corrected[i]:
            batch.issue(row, RowIssue("updatedAt", CORRECTION, delivered=updated_at[i], true=registered_text[i]))
    return _finish(batch, noise)


def marriages(world: World) -> Batch:
    """Build the marriage and divorce registrations."""
    population = world.population
    found = world.registrations
    noise = injector(world, "civil_affairs/marriages")
    count = len(found)
    true_male_ids = [population.id_number[p] for p in found.male.tolist()]
    true_female_ids = [population.id_number[p] for p in found.female.tolist()]
    true_male_names = [population.name[p] for p in found.male.tolist()]
    true_female_names = [population.name[p] for p in found.female.tolist()]
    male_ids = noise.identity_numbers(true_male_ids)
    female_ids = noise.identity_numbers(true_female_ids)
    male_names = noise.names(true_male_names)
    female_names = noise.names(true_female_names)
    day_text = iso_dates(found.day)
    days = noise.dates(day_text)
    updated_at = timestamps(found.updated_at, "T")
    serial: dict[tuple[str, int, str], int] = {}
    districts = world.divisions.districts

    batch = _batch(world, "marriages", MARRIAGE_KEYS)
    for i in range(count):
        district = districts[int(found.district[i])]
        kind = str(found.kind[i])
        key = (district.code[:6], int(day_text[i][:4]), kind)
        serial[key] = serial.get(key, 0) + 1
        number = f"{'J' if kind == MARRIAGE else 'L'}{key[0]}-{key[1]}-{serial[key]:06d}"
        male, female = int(found.male[i]), int(found.female[i])
        row = batch.add(
            (
                number,
                kind,
                days.values[i],
                male_ids.values[i] or None,
                male_names.values[i],
                female_ids.values[i] or None,
                female_names.values[i],
                f"{district.name}婚姻登记处",
                updated_at[i],
            ),
            subject=male,
        )
        person_mention(batch, row, world, male, "male_party", unrecoverable=male_ids.unrecoverable[i])
        person_mention(batch, row, world, female, "female_party", unrecoverable=female_ids.unrecoverable[i])
        batch.note(row, "maleIdNo", male_ids, i, true_male_ids[i], "male_party", 1)
        batch.note(row, "maleName", male_names, i, true_male_names[i], "male_party", 1)
        batch.note(row, "femaleIdNo", female_ids, i, true_female_ids[i], "female_party", 1)
        batch.note(row, "femaleName", female_names, i, true_female_names[i], "female_party", 1)
        batch.note(row, "regDate", days, i, day_text[i])
        if found.corrected[i]:
            batch.issue(row, RowIssue("updatedAt", CORRECTION, delivered=updated_at[i]))
    return _finish(batch, noise)


def subsistence(world: World) -> Batch:
    """Build the subsistence-allowance cases with their members."""
    population, households = world.population, world.households
    cases = world.subsistence
    noise = injector(world, "civil_affairs/subsistence")
    count = len(cases)
    first = households.first_member[cases.household]
    size = households.size[cases.household]
    heads = first
    members = (
        np.concatenate([np.arange(f, f + s) for f, s in zip(first.tolist(), size.tolist(), strict=True)])
        if count
        else np.array([], dtype=np.int64)
    )
    offsets = np.concatenate([[0], np.cumsum(size)]).astype(np.int64)
    true_head_ids = [population.id_number[p] for p in heads.tolist()]
    true_head_names = [population.name[p] for p in heads.tolist()]
    true_member_ids = [population.id_number[p] for p in members.tolist()]
    true_member_names = [population.name[p] for p in members.tolist()]
    head_ids = noise.identity_numbers(true_head_ids)
    head_names = noise.names(true_head_names)
    member_ids = noise.identity_numbers(true_member_ids)
    member_names = noise.names(true_member_names)
    units = households.unit[cases.household]
    addresses = noise.addresses(units.tolist(), world.addresses)
    start_text = iso_dates(cases.start)
    end_text = iso_dates(cases.end)
    starts = noise.dates(start_text)
    ends = noise.dates(end_text)
    updated_at = timestamps(cases.updated_at, "T")
    district_codes = [d.code[:6] for d in world.divisions.districts]
    district_of = world.divisions.community_district()[households.community[cases.household]]
    serial: dict[tuple[str, str], int] = {}

    batch = _batch(world, "subsistence", SUBSISTENCE_KEYS)
    for i in range(count):
        district = district_codes[int(district_of[i])]
        year = start_text[i][:4]
        serial[(district, year)] = serial.get((district, year), 0) + 1
        listed = []
        for k in range(int(offsets[i]), int(offsets[i + 1])):
            person = int(members[k])
            listed.append(
                {
                    "idNo": member_ids.values[k] or None,
                    "name": member_names.values[k],
                    "relation": RELATION_WORDS[str(population.relation[person])],
                }
            )
        stopped = bool(end_text[i])
        row = batch.add(
            (
                f"DB{district}{year}{serial[(district, year)]:05d}",
                head_ids.values[i] or None,
                head_names.values[i],
                listed,
                addresses.values[i],
                float(cases.monthly_amount[i]),
                starts.values[i],
                ends.values[i] or None,
                STOPPED if stopped else SUBSISTENCE_ACTIVE,
                updated_at[i],
            ),
            subject=int(heads[i]),
        )
        person_mention(batch, row, world, int(heads[i]), "head", unrecoverable=head_ids.unrecoverable[i])
        batch.note(row, "headIdNo", head_ids, i, true_head_ids[i], "head", 1)
        batch.note(row, "headName", head_names, i, true_head_names[i], "head", 1)
        for position, k in enumerate(range(int(offsets[i]), int(offsets[i + 1])), start=1):
            person_mention(
                batch, row, world, int(members[k]), "member", position=position,
                unrecoverable=member_ids.unrecoverable[k],
            )
            batch.note(row, "members.idNo", member_ids, k, true_member_ids[k], "member", position)
            batch.note(row, "members.name", member_names, k, true_member_names[k], "member", position)
        unit = int(units[i])
        batch.mention(
            row, UNIT, "lives_at", world.units.code[unit], given="address", unrecoverable=addresses.unrecoverable[i]
        )
        batch.note(row, "address", addresses, i, world.units.address[unit], "lives_at", 1)
        batch.note(row, "startDate", starts, i, start_text[i])
        batch.note(row, "endDate", ends, i, end_text[i])
        if cases.corrected[i]:
            batch.issue(row, RowIssue("updatedAt", CORRECTION, delivered=updated_at[i]))
    return _finish(batch, noise)


def organizations(world: World) -> Batch:
    """Build the register of social organizations."""
    population, found = world.population, world.organizations
    noise = injector(world, "civil_affairs/organizations")
    rng = stream(world.config.seed, "civil_affairs/organizations")
    social = np.flatnonzero(found.kind == "social_organization")
    social = social[np.lexsort((social, found.updated_at[social]))]
    count = len(social)
    reps = found.legal_rep[social]
    true_codes = [found.credit_code[o] for o in social.tolist()]
    codes = noise.credit_codes(true_codes)
    true_rep_ids = [population.id_number[p] for p in reps.tolist()]
    true_rep_names = [population.name[p] for p in reps.tolist()]
    rep_ids = noise.identity_numbers(true_rep_ids)
    rep_names = noise.names(true_rep_names)
    units = found.unit[social]
    addresses = noise.addresses(units.tolist(), world.addresses)
    founded_text = iso_dates(found.founded[social])
    founded = noise.dates(founded_text)
    updated_at = timestamps(found.updated_at[social], "T")
    corrected = noise.mask(count, noise.rates.correction)
    end = np.datetime64(world.config.end_date, "D").astype("datetime64[s]") + 17 * 3600
    later = found.updated_at[social] + rng.integers(3, 90, count) * np.timedelta64(86400, "s")
    corrected_at = timestamps(np.minimum(later, end), "T")

    batch = _batch(world, "organizations", ORGANIZATION_KEYS)
    for i, org in enumerate(social.tolist()):
        stamp = corrected_at[i] if corrected[i] else updated_at[i]
        row = batch.add(
            (
                codes.values[i],
                found.name[org],
                found.social_type[org],
                rep_names.values[i],
                rep_ids.values[i] or None,
                addresses.values[i],
                founded.values[i],
                found.status[org],
                stamp,
            ),
            subject=int(reps[i]),
        )
        batch.mention(
            row, ORGANIZATION, "organization", found.organization_id(org), given="credit_code",
            unrecoverable=codes.unrecoverable[i],
        )
        person_mention(batch, row, world, int(reps[i]), "legal_representative", unrecoverable=rep_ids.unrecoverable[i])
        batch.note(row, "creditCode", codes, i, true_codes[i], "organization", 1)
        batch.note(row, "legalRepIdNo", rep_ids, i, true_rep_ids[i], "legal_representative", 1)
        batch.note(row, "legalRepName", rep_names, i, true_rep_names[i], "legal_representative", 1)
        batch.note(row, "address", addresses, i, world.units.address[int(units[i])])
        batch.note(row, "foundedDate", founded, i, founded_text[i])
        if corrected[i]:
            batch.issue(row, RowIssue("updatedAt", CORRECTION, delivered=stamp, true=updated_at[i]))
    return _finish(batch, noise)
