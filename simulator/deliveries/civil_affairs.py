"""Civil affairs deliveries: the data files behind the HTTP JSON API.

Each endpoint ``/api/v1/<name>`` is served from ``civil_affairs/<name>.json``
(a JSON array of records) by `simulator.server`. First version: ``deaths``.
Marriages, subsistence households and social organizations come later.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from simulator.formats import iso_dates, timestamps
from simulator.noise import NoiseInjector, combine_issues
from simulator.people import OUTSIDE
from simulator.randomness import stream
from simulator.truth import Mentions, Truth
from simulator.world import World

SOURCE_SYSTEM = "civil_affairs"
DEATHS_ENDPOINT = "/api/v1/deaths"
# Big hospitals of the demo city where most deaths are certified.
HOSPITALS = (
    "江苏省人民医院", "南京鼓楼医院", "南京市第一医院", "南京市中医院", "江苏省中医院", "南京市第二医院",
    "南京市江宁医院", "南京医科大学第二附属医院",
)
# Two thirds of urban deaths occur in hospital (China health statistics
# yearbook), most of the rest at home, a few in care homes.
_PLACE_SHARES = (0.65, 0.30, 0.05)


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write ``civil_affairs/deaths.json`` and record its batch."""
    folder = out_dir / "civil_affairs"
    folder.mkdir(parents=True, exist_ok=True)
    records, mentions = deaths(world)
    text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    (folder / "deaths.json").write_text(text, encoding="utf-8")
    truth.record(SOURCE_SYSTEM, "deaths", "deaths", DEATHS_ENDPOINT, len(records), mentions)


def deaths(world: World) -> tuple[list[dict], Mentions]:
    """Build the death registrations, some delivered twice.

    Returns:
        Records with the contract's keys (``None`` for a missing identity
        number) and the truth mentions, one per delivered record.
    """
    config, population, events = world.config, world.population, world.events
    rng = stream(config.seed, "civil_affairs/deaths")
    noise = NoiseInjector(config.noise_rates, stream(config.seed, "noise/civil_affairs/deaths"))

    dead = np.flatnonzero(~np.isnat(events.death_registered_at))
    persons = dead[np.lexsort((dead, events.death_registered_at[dead]))]
    count = len(persons)
    updated_at = timestamps(events.death_registered_at[persons], "T")
    record_numbers = [f"SW{stamp[:4]}{i + 1:06d}" for i, stamp in enumerate(updated_at)]

    place_kind = rng.choice(len(_PLACE_SHARES), size=count, p=_PLACE_SHARES)
    hospital = rng.integers(len(HOSPITALS), size=count)
    districts = world.divisions.districts
    care_home = rng.integers(len(districts), size=count)
    places = []
    for i, person in enumerate(persons.tolist()):
        at_home = place_kind[i] == 1 and population.residence[person] != OUTSIDE
        if at_home:
            unit = world.households.unit[population.household[person]]
            places.append(world.units.address[unit])
        elif place_kind[i] == 2:
            places.append(f"{districts[care_home[i]].name}社会福利院")
        else:
            places.append(HOSPITALS[hospital[i]])

    ids = noise.identity_numbers([population.id_number[p] for p in persons.tolist()])
    names = noise.names([population.name[p] for p in persons.tolist()])
    death_dates = noise.dates(iso_dates(events.death_date[persons]))
    twice = noise.duplicates(count)

    records: list[dict] = []
    mentions = Mentions()
    for i, person in enumerate(persons.tolist()):
        record = {
            "recordNo": record_numbers[i],
            "idNo": ids.values[i] or None,
            "name": names.values[i],
            "deathDate": death_dates.values[i],
            "place": places[i],
            "updatedAt": updated_at[i],
        }
        issues = combine_issues([ids.issues[i]], [names.issues[i]], [death_dates.issues[i]])[0]
        copies = 2 if twice[i] else 1
        for copy in range(copies):
            records.append(dict(record))
            mentions.extend(
                row_number=[len(records)],
                record_key=[record_numbers[i]],
                role="deceased",
                person_id=[population.person_id(person)],
                noise=[";".join(filter(None, (issues, "duplicate_row" if copy else "")))],
                unrecoverable=[bool(ids.unrecoverable[i])],
            )
    return records, mentions
