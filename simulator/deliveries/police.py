"""Public security (police) deliveries: tables of the police population and incident systems.

In production the pipeline reads PostgreSQL tables; the demo delivers the same
tables in ``police/police.sqlite`` (and, on request, loads them into a real
PostgreSQL database, `load_police_into_postgres`). Tables: ``HJRK``
(household-registered residents), ``LDRK`` (floating residents), ``JQ``
(incident reports). Column codes are the police system's pinyin initialisms;
``ID`` is an integer primary key, every other column is text (as extracted
for the data-sharing office); ``police.sql`` is the contract's schema.
Tables are created from their delivered columns, so schema drift (a renamed,
added or reordered column, an out-of-scope ``MZ``/``ZJXY``/``ZZMM``/``JKZK``
column) shows in the schema.

Rows are updated in place: a deregistration, a renewed permit, a closed
incident or a corrected entry keeps the row's ``ID`` and moves its ``GXSJ``
later, which is what incremental extraction on ``GXSJ`` sees. A table cannot
hold the same ``ID`` twice, so the duplicate-row issue is not injected here.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import numpy as np

from simulator.batches import CORRECTION, ORGANIZATION, UNIT, Batch, RowIssue
from simulator.deliveries.common import clear_issues, injector, person_mention, plan_drifts, sensitive
from simulator.events import office_times, uniform_dates
from simulator.floating import REASONS
from simulator.formats import iso_dates, timestamps
from simulator.gbt2260 import place_name
from simulator.names import PLACE_WORDS
from simulator.people import REGISTERED
from simulator.randomness import stream
from simulator.sensitive import POLICE_COLUMNS
from simulator.truth import Truth
from simulator.world import World

SOURCE_SYSTEM = "police"
DATABASE_FILE = "police.sqlite"
HJRK_COLUMNS = (
    "ID", "GMSFHM", "XM", "XBDM", "CSRQ", "HH", "YHZGXDM", "HJDZ", "HJDZQH", "LXDH", "DJRQ", "ZXRQ", "ZXYY", "GXSJ",
)
LDRK_COLUMNS = (
    "ID", "GMSFHM", "XM", "XBDM", "CSRQ", "LXDH", "HJDZ", "XZZ", "JZSY", "FWCS", "DJRQ", "YXQZ", "GXSJ",
)
JQ_COLUMNS = (
    "ID", "JQBH", "BJSJ", "JQLBDM", "JQXLMC", "FSDZ", "JD", "WD", "SSPCS", "CZJG", "SJRY", "GXSJ",
)
TABLES = {"HJRK": "household_residents", "LDRK": "floating_residents", "JQ": "incidents"}
# Other column codes police systems use for the same field.
RENAMES: dict[str, tuple[str, ...]] = {
    "GMSFHM": ("SFZH", "ZJHM"),
    "XBDM": ("XB",),
    "JQLBDM": ("JQLB",),
    "LXDH": ("SJHM",),
}
ADDED_COLUMN = "BZ"
DEATH = "死亡"
MOVED_OUT = "迁出"
DONE = "已处理"
IN_PROGRESS = "处理中"
HANDED_OVER = "移交"
# Records untouched since the last census clean-up (2018-2020) dominate;
# eight years covers the oldest update times police extracts show.
_OLDEST_UPDATE_YEARS = 8
_FLOATING_PHONE_SHARE = 0.6


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write ``police/police.sqlite`` and record one batch per table."""
    folder = out_dir / "police"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DATABASE_FILE
    path.unlink(missing_ok=True)
    noise = injector(world, "police/schema")
    plans = plan_drifts(noise, len(TABLES))
    attributes = sensitive(world)
    connection = sqlite3.connect(path)
    try:
        # One table at a time, so only one table's rows are in memory.
        for build, plan in zip((household_residents, floating_residents, incidents), plans, strict=True):
            batch = build(world)
            plan.apply(batch, attributes, RENAMES, ADDED_COLUMN, POLICE_COLUMNS, as_codes=True)
            _write_table(connection, batch)
            connection.commit()
            truth.record(batch)
            del batch
    finally:
        connection.close()


def _write_table(connection: sqlite3.Connection, batch: Batch) -> None:
    headers = batch.delivered_headers()
    columns = ", ".join(f"{h} INTEGER PRIMARY KEY" if h == "ID" else f"{h} TEXT" for h in headers)
    connection.execute(f"CREATE TABLE {batch.batch} ({columns})")
    placeholders = ", ".join("?" for _ in headers)
    connection.executemany(
        f"INSERT INTO {batch.batch} ({', '.join(headers)}) VALUES ({placeholders})", batch.delivered_rows()
    )


def _extracted_at(world: World) -> str:
    return f"{world.config.end_date:%Y-%m-%d} 23:30:00"


def _corrected_times(
    base: np.ndarray, corrected: np.ndarray, end: np.datetime64, rng: np.random.Generator
) -> np.ndarray:
    """Move the update day of corrected rows to a later day (a clerk fixed an entry)."""
    later = uniform_dates(np.minimum(base + 1, end), np.full(len(base), end), rng)
    return np.where(corrected, np.maximum(base, later), base)


def household_residents(world: World) -> Batch:
    """Build the HJRK rows: every registered resident, active or deregistered."""
    config, population, events = world.config, world.population, world.events
    rng = stream(config.seed, "police/HJRK")
    noise = injector(world, "police/HJRK")
    start = np.datetime64(config.span_start, "D")
    end = np.datetime64(config.end_date, "D")

    registered = np.flatnonzero(population.residence == REGISTERED)
    # Record numbers follow registration order, as the system assigned them.
    persons = registered[np.lexsort((registered, events.registered_date[registered]))]
    count = len(persons)
    households = population.household[persons]
    units = world.households.unit[households]

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
    corrected = noise.mask(count, noise.rates.correction)
    corrected_day = _corrected_times(np.maximum(updated_day, start), corrected, end, rng)
    updated_day = np.where(corrected, corrected_day, updated_day)
    updated_at = timestamps(office_times(updated_day, rng))
    show_phone = rng.random(count) < config.police_phone_share

    true_ids = [population.id_number[p] for p in persons.tolist()]
    true_names = [population.name[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    # A corrected row holds the corrected values.
    clear_issues(ids, corrected, true_ids)
    clear_issues(names, corrected, true_names)
    birth_text = iso_dates(population.birth_date[persons])
    registered_text = iso_dates(events.registered_date[persons])
    deregistered_text = iso_dates(deregistered)
    births = noise.dates(birth_text)
    registered_on = noise.dates(registered_text)
    deregistered_on = noise.dates(deregistered_text)
    addresses = noise.addresses(units.tolist(), world.addresses)
    true_phones = [population.phone[p] if show_phone[i] else "" for i, p in enumerate(persons.tolist())]
    phones = noise.phones(true_phones, [population.landline[p] for p in persons.tolist()])

    community_code = [c.code for c in world.divisions.communities]
    batch = Batch(SOURCE_SYSTEM, TABLES["HJRK"], "HJRK", "HJRK", HJRK_COLUMNS, "ID", _extracted_at(world))
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        row = batch.add(
            (
                i + 1,
                ids.values[i] or None,
                names.values[i],
                "1" if population.male[person] else "2",
                births.values[i],
                world.households.number[int(households[i])],
                str(population.relation[person]),
                addresses.values[i],
                community_code[int(world.units.community[unit])],
                phones.values[i] or None,
                registered_on.values[i],
                deregistered_on.values[i] or None,
                str(reason[i]) or None,
                updated_at[i],
            ),
            subject=person,
        )
        person_mention(batch, row, world, person, "resident", unrecoverable=ids.unrecoverable[i])
        batch.mention(
            row, UNIT, "registered_at", world.units.code[unit], given="address",
            unrecoverable=addresses.unrecoverable[i],
        )
        batch.note(row, "GMSFHM", ids, i, true_ids[i], "resident", 1)
        batch.note(row, "XM", names, i, true_names[i], "resident", 1)
        batch.note(row, "LXDH", phones, i, true_phones[i], "resident", 1)
        batch.note(row, "CSRQ", births, i, birth_text[i])
        batch.note(row, "DJRQ", registered_on, i, registered_text[i])
        batch.note(row, "ZXRQ", deregistered_on, i, deregistered_text[i])
        batch.note(row, "HJDZ", addresses, i, world.units.address[unit], "registered_at", 1)
        if corrected[i]:
            batch.issue(row, RowIssue("GXSJ", CORRECTION, delivered=updated_at[i]))
    return batch


def _origin_addresses(world: World, persons: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Write each person's address of origin: their county of first registration and a village."""
    population = world.population
    years = (population.birth_date[persons].astype("datetime64[Y]").astype(np.int64) + 1970).tolist()
    town = rng.integers(len(PLACE_WORDS), size=len(persons)).tolist()
    village = rng.integers(len(PLACE_WORDS), size=len(persons)).tolist()
    group = rng.integers(1, 13, size=len(persons)).tolist()
    style = rng.random(len(persons)).tolist()
    out = []
    for k, person in enumerate(persons.tolist()):
        county = place_name(population.id_number[person][:6], years[k])
        if style[k] < 0.7:
            out.append(f"{county}{PLACE_WORDS[town[k]]}镇{PLACE_WORDS[village[k]]}村{group[k]}组")
        else:
            out.append(f"{county}{PLACE_WORDS[town[k]]}街道{PLACE_WORDS[village[k]]}路{group[k] * 7}号")
    return out


def workplace_name(world: World, organization: int, variant: float) -> str:
    """Write an employer or school as a floating resident gives it: mostly in full, some shortened."""
    name = world.organizations.name[organization]
    city_short = world.divisions.city.name.removesuffix("市")
    if variant < 0.1 and name.startswith(city_short):
        return name.removeprefix(city_short)
    if variant < 0.2 and name.endswith("有限公司"):
        return name.removesuffix("有限公司")
    return name


def floating_residents(world: World) -> Batch:
    """Build the LDRK rows: every floating resident registered, present or departed."""
    config, population = world.config, world.population
    floating = world.floating
    rng = stream(config.seed, "police/LDRK")
    noise = injector(world, "police/LDRK")
    end = np.datetime64(config.end_date, "D")
    order = np.lexsort((floating.person, floating.arrived))
    persons = floating.person[order]
    count = len(persons)

    renewed = floating.last_renewed[order]
    last_change = np.where(np.isnat(renewed), floating.arrived[order], renewed)
    last_change = np.minimum(last_change, end)
    corrected = noise.mask(count, noise.rates.correction) & np.isnat(floating.left[order])
    updated_day = np.where(corrected, _corrected_times(last_change, corrected, end, rng), last_change)
    updated_at = timestamps(office_times(updated_day, rng))
    show_phone = rng.random(count) < _FLOATING_PHONE_SHARE
    variants = rng.random(count)
    origins = _origin_addresses(world, persons, rng)

    true_ids = [population.id_number[p] for p in persons.tolist()]
    true_names = [population.name[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    names = noise.names(true_names)
    clear_issues(ids, corrected, true_ids)
    clear_issues(names, corrected, true_names)
    birth_text = iso_dates(population.birth_date[persons])
    arrived_text = iso_dates(floating.arrived[order])
    valid_text = iso_dates(floating.valid_until[order])
    births = noise.dates(birth_text)
    arrived = noise.dates(arrived_text)
    valid = noise.dates(valid_text, future_ok=True)
    units = floating.unit[order]
    addresses = noise.addresses(units.tolist(), world.addresses)
    true_phones = [population.phone[p] if show_phone[i] else "" for i, p in enumerate(persons.tolist())]
    phones = noise.phones(true_phones, [population.landline[p] for p in persons.tolist()])

    batch = Batch(SOURCE_SYSTEM, TABLES["LDRK"], "LDRK", "LDRK", LDRK_COLUMNS, "ID", _extracted_at(world))
    for i, person in enumerate(persons.tolist()):
        unit = int(units[i])
        workplace = int(floating.workplace[order[i]])
        employer = workplace_name(world, workplace, float(variants[i])) if workplace >= 0 else ""
        row = batch.add(
            (
                i + 1,
                ids.values[i] or None,
                names.values[i],
                "1" if population.male[person] else "2",
                births.values[i],
                phones.values[i] or None,
                origins[i],
                addresses.values[i],
                REASONS[int(floating.reason[order[i]])],
                employer or None,
                arrived.values[i],
                valid.values[i],
                updated_at[i],
            ),
            subject=person,
        )
        person_mention(batch, row, world, person, "floating_resident", unrecoverable=ids.unrecoverable[i])
        batch.mention(
            row, UNIT, "lives_at", world.units.code[unit], given="address", unrecoverable=addresses.unrecoverable[i]
        )
        if workplace >= 0:
            batch.mention(
                row, ORGANIZATION, "employer", world.organizations.organization_id(workplace), given="name"
            )
        batch.note(row, "GMSFHM", ids, i, true_ids[i], "floating_resident", 1)
        batch.note(row, "XM", names, i, true_names[i], "floating_resident", 1)
        batch.note(row, "LXDH", phones, i, true_phones[i], "floating_resident", 1)
        batch.note(row, "CSRQ", births, i, birth_text[i])
        batch.note(row, "DJRQ", arrived, i, arrived_text[i])
        batch.note(row, "YXQZ", valid, i, valid_text[i])
        batch.note(row, "XZZ", addresses, i, world.units.address[unit], "lives_at", 1)
        if corrected[i]:
            batch.issue(row, RowIssue("GXSJ", CORRECTION, delivered=updated_at[i]))
    return batch


def _street_place(draw: int) -> str:
    """Write a street place (a crossing) for incidents outside any building."""
    first, second = PLACE_WORDS[draw % len(PLACE_WORDS)], PLACE_WORDS[(draw // len(PLACE_WORDS)) % len(PLACE_WORDS)]
    return f"{first}路与{second}路交叉口"


def incidents(world: World) -> Batch:
    """Build the JQ rows: every incident reported during the span."""
    config, population, divisions = world.config, world.population, world.divisions
    found = world.incidents
    rng = stream(config.seed, "police/JQ")
    noise = injector(world, "police/JQ")
    end = np.datetime64(config.end_date, "D").astype("datetime64[s]") + 86399
    count = len(found)
    reported = found.reported_at
    # Outcome and update time: most incidents are handled within two days,
    # some handed over to another unit; recent ones may still be open.
    age_days = (end - reported).astype("timedelta64[D]").astype(np.int64)
    draw = rng.random(count)
    outcome = np.where(
        (age_days < 7) & (draw < 0.5), IN_PROGRESS, np.where(draw > 0.85, HANDED_OVER, DONE)
    )
    handled = reported + rng.integers(600, 2 * 86400, count).astype("timedelta64[s]")
    handover_days = rng.integers(1, 10, count) * np.timedelta64(86400, "s")
    handled = np.where(outcome == HANDED_OVER, handled + handover_days, handled)
    corrected = noise.mask(count, noise.rates.correction)
    later = reported + rng.integers(7, 120, count) * np.timedelta64(86400, "s")
    updated = np.minimum(np.where(corrected, np.maximum(later, handled), handled), end)
    updated = np.where(outcome == IN_PROGRESS, np.minimum(reported + 3600, end), updated)

    missing = noise.mask(count, noise.rates.coordinates_missing)
    zero = noise.mask(count, noise.rates.coordinates_zero) & ~missing

    persons = found.persons
    true_ids = [population.id_number[p] for p in persons.tolist()]
    ids = noise.identity_numbers(true_ids)
    # An unrecorded person is simply not listed: SJRY has no empty slots.
    clear_issues(ids, np.array([issue == "id_missing" for issue in ids.issues], dtype=bool), true_ids)
    addresses = noise.addresses([max(int(u), 0) for u in found.unit.tolist()], world.addresses)
    place_draw = rng.integers(0, 1 << 30, count).tolist()

    community_index = {c.code: i for i, c in enumerate(divisions.communities)}
    community_of_grid = [community_index[grid.parent] for grid in divisions.grids]
    street_names = [s.name for s in divisions.streets]
    serial_by_day: dict[str, int] = {}
    reported_text = timestamps(reported)
    updated_text = timestamps(updated)

    batch = Batch(SOURCE_SYSTEM, TABLES["JQ"], "JQ", "JQ", JQ_COLUMNS, "ID", _extracted_at(world))
    for i in range(count):
        grid = int(found.grid[i])
        community = community_of_grid[grid]
        street = street_names[int(divisions.community_street[community])]
        day = reported_text[i][:10].replace("-", "")
        serial_by_day[day] = serial_by_day.get(day, 0) + 1
        if found.unit[i] >= 0:
            place = addresses.values[i]
        else:
            place = divisions.address_prefix(community) + _street_place(place_draw[i])
        lo, la = found.longitude[i], found.latitude[i]
        longitude = None if missing[i] else ("0" if zero[i] else f"{lo:.6f}")
        latitude = None if missing[i] else ("0" if zero[i] else f"{la:.6f}")
        involved = found.persons_of(i)
        first = int(found.person_offsets[i])
        listed = [ids.values[first + k] for k in range(len(involved))]
        row = batch.add(
            (
                i + 1,
                f"J{divisions.communities[community].code[:6]}{day}{serial_by_day[day]:05d}",
                reported_text[i],
                str(found.category[i]),
                str(found.subcategory[i]),
                place,
                longitude,
                latitude,
                street.removesuffix("街道") + "派出所",
                str(outcome[i]),
                ";".join(listed) or None,
                updated_text[i],
            ),
            subject=int(involved[0]) if len(involved) else -1,
        )
        for k, person in enumerate(involved.tolist()):
            person_mention(
                batch, row, world, person, "involved", position=k + 1, unrecoverable=ids.unrecoverable[first + k]
            )
            batch.note(row, "SJRY", ids, first + k, true_ids[first + k], "involved", k + 1)
        if found.unit[i] >= 0:
            batch.note(row, "FSDZ", addresses, i, world.units.address[int(found.unit[i])])
        if missing[i]:
            batch.issue(row, RowIssue("JD", "coordinates_missing", True, "", f"{lo:.6f},{la:.6f}"))
        elif zero[i]:
            batch.issue(row, RowIssue("JD", "coordinates_zero", True, "0", f"{lo:.6f},{la:.6f}"))
        if corrected[i]:
            batch.issue(row, RowIssue("GXSJ", CORRECTION, delivered=updated_text[i]))
    return batch


def load_police_into_postgres(sqlite_path: Path, database_url: str) -> str:
    """Copy the police tables of a simulated SQLite file into a PostgreSQL database.

    The database plays the police department's source database: every table
    is dropped if present and recreated with the same (quoted, upper-case)
    table and column names, ``ID`` as ``bigint`` primary key and every other
    column as ``text``, then filled with ``COPY``.

    Args:
        sqlite_path: ``police/police.sqlite`` of a simulated city.
        database_url: ``postgresql://user@host:port/database`` of an existing
            database (a SQLAlchemy ``postgresql+psycopg2://`` URL works too).

    Returns:
        The URL to write as the police ``database_url`` (`database_url` as given).
    """
    import psycopg2  # only this option needs it

    source = sqlite3.connect(sqlite_path)
    target = psycopg2.connect(database_url.replace("postgresql+psycopg2://", "postgresql://", 1))
    try:
        listed = source.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
        tables = [name for (name,) in listed]
        with target, target.cursor() as cursor:
            for table in tables:
                columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
                definitions = ", ".join(
                    f'"{c}" bigint PRIMARY KEY' if c == "ID" else f'"{c}" text' for c in columns
                )
                cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
                cursor.execute(f'CREATE TABLE "{table}" ({definitions})')
                rows = source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ID")
                quoted = ", ".join(f'"{c}"' for c in columns)
                while True:
                    chunk = rows.fetchmany(50_000)
                    if not chunk:
                        break
                    buffer = io.StringIO()
                    writer = csv.writer(buffer, lineterminator="\n")
                    for row in chunk:
                        writer.writerow(["\\N" if v is None else v for v in row])
                    buffer.seek(0)
                    cursor.copy_expert(
                        f"COPY \"{table}\" ({quoted}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
                    )
    finally:
        source.close()
        target.close()
    return database_url
