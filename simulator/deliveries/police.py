"""Public security (police) deliveries: an embedded SQLite database.

In production the pipeline reads PostgreSQL tables; the demo delivers the same
tables in ``police/police.sqlite``. First version: ``HJRK`` (household-
registered residents). ``LDRK`` and ``JQ`` come later.

HJRK cannot hold the same record twice (``ID`` is the primary key), so the
duplicate-row issue is not injected here.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import numpy as np

from simulator.events import office_times, uniform_dates
from simulator.formats import iso_dates, timestamps
from simulator.noise import NoiseInjector, combine_issues
from simulator.people import REGISTERED
from simulator.randomness import stream
from simulator.truth import Mentions, Truth
from simulator.world import World

SOURCE_SYSTEM = "police"
HJRK_COLUMNS = (
    "ID", "GMSFHM", "XM", "XBDM", "CSRQ", "HH", "YHZGXDM", "HJDZ", "HJDZQH", "LXDH", "DJRQ", "ZXRQ", "ZXYY", "GXSJ",
)
_INSERT_HJRK = (
    "INSERT INTO HJRK (ID, GMSFHM, XM, XBDM, CSRQ, HH, YHZGXDM, HJDZ, HJDZQH, LXDH, DJRQ, ZXRQ, ZXYY, GXSJ) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
DEATH = "死亡"
MOVED_OUT = "迁出"
# Records untouched since the last census clean-up (2018-2020) dominate;
# eight years covers the oldest update times police extracts show.
_OLDEST_UPDATE_YEARS = 8


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write ``police/police.sqlite`` and record its batches."""
    folder = out_dir / "police"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "police.sqlite"
    path.unlink(missing_ok=True)
    rows, mentions = household_residents(world)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(resources.files(__package__).joinpath("police.sql").read_text(encoding="utf-8"))
        connection.executemany(_INSERT_HJRK, rows)
        connection.commit()
    finally:
        connection.close()
    truth.record(SOURCE_SYSTEM, "household_residents", "HJRK", "HJRK", len(rows), mentions)


def household_residents(world: World) -> tuple[list[tuple], Mentions]:
    """Build the HJRK rows: every registered resident, active or deregistered.

    Returns:
        Rows in `HJRK_COLUMNS` order (``None`` for empty values) and the
        truth mentions, one per row.
    """
    config, population, events = world.config, world.population, world.events
    rng = stream(config.seed, "police/HJRK")
    noise = NoiseInjector(config.noise_rates, stream(config.seed, "noise/police/HJRK"))

    registered = np.flatnonzero(population.residence == REGISTERED)
    # Record numbers follow registration order, as the system assigned them.
    persons = registered[np.lexsort((registered, events.registered_date[registered]))]
    count = len(persons)
    households = population.household[persons]
    units = world.households.unit[households]
    end = np.datetime64(config.end_date, "D")

    death = events.death_date[persons]
    moved = events.moved_out_date[persons]
    deregistered = np.where(np.isnat(death), moved, death)
    reason = np.where(~np.isnat(death), DEATH, np.where(~np.isnat(moved), MOVED_OUT, ""))
    updated_day = np.where(
        np.isnat(deregistered),
        np.maximum(
            events.registered_date[persons],
            uniform_dates(np.full(count, end - 365 * _OLDEST_UPDATE_YEARS), np.full(count, end), rng),
        ),
        np.minimum(deregistered + rng.integers(0, 21, size=count).astype("timedelta64[D]"), end),
    )
    updated_at = timestamps(office_times(updated_day, rng))
    show_phone = rng.random(count) < config.police_phone_share

    ids = noise.identity_numbers([population.id_number[p] for p in persons.tolist()])
    names = noise.names([population.name[p] for p in persons.tolist()])
    births = noise.dates(iso_dates(population.birth_date[persons]))
    registered_on = noise.dates(iso_dates(events.registered_date[persons]))
    deregistered_on = noise.dates(iso_dates(deregistered))

    unit_address = world.units.address
    unit_community = world.units.community
    community_code = [c.code for c in world.divisions.communities]
    rows = []
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        rows.append(
            (
                i + 1,
                ids.values[i] or None,
                names.values[i],
                "1" if population.male[person] else "2",
                births.values[i],
                world.households.number[int(households[i])],
                str(population.relation[person]),
                unit_address[unit],
                community_code[int(unit_community[unit])],
                population.phone[person] if show_phone[i] and population.phone[person] else None,
                registered_on.values[i],
                deregistered_on.values[i] or None,
                str(reason[i]) or None,
                updated_at[i],
            )
        )
    mentions = Mentions()
    mentions.extend(
        row_number=range(1, count + 1),
        record_key=[str(i + 1) for i in range(count)],
        role="resident",
        person_id=[population.person_id(p) for p in persons.tolist()],
        noise=combine_issues(ids.issues, names.issues, births.issues, registered_on.issues, deregistered_on.issues),
        unrecoverable=ids.unrecoverable,
    )
    return rows, mentions
