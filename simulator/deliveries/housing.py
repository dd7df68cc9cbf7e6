"""Housing deliveries: GBK-encoded CSV files dropped in a folder.

First version: the monthly full snapshot of house units
(``房屋基础信息_全量_YYYYMMDD.csv``) on the first of the span's last month.
Daily increments and rental registrations come later.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from simulator.formats import timestamps
from simulator.noise import NoiseInjector, combine_issues
from simulator.randomness import stream
from simulator.truth import Mentions, Truth
from simulator.world import World

SOURCE_SYSTEM = "housing"
ENCODING = "gbk"
HOUSE_UNIT_HEADERS = (
    "房屋编码", "行政区划代码", "小区名称", "坐落地址", "楼栋号", "单元号", "楼层", "房号", "建筑面积",
    "房屋用途", "产权人证件号", "产权人名称", "变更时间",
)


def deliver(world: World, out_dir: Path, truth: Truth) -> None:
    """Write the house-unit snapshot and record its batch."""
    folder = out_dir / "housing"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"房屋基础信息_全量_{world.config.snapshot_date:%Y%m%d}.csv"
    rows, mentions = house_units(world)
    # Windows line ends: the housing system exports from a Windows desktop tool.
    with (folder / name).open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HOUSE_UNIT_HEADERS)
        writer.writerows(rows)
    truth.record(SOURCE_SYSTEM, "house_units", name, name, len(rows), mentions)


def house_units(world: World) -> tuple[list[tuple[str, ...]], Mentions]:
    """Build the snapshot rows, one per unit, some delivered twice.

    Returns:
        Rows in `HOUSE_UNIT_HEADERS` order and the truth mentions (the owner
        of each delivered row, a person or an organization).
    """
    config, units, ownership, population = world.config, world.units, world.ownership, world.population
    organizations = world.organizations
    noise = NoiseInjector(config.noise_rates, stream(config.seed, "noise/housing/house_units"), charset=ENCODING)
    count = len(units)
    by_person = ownership.person >= 0
    owner_ids = [
        population.id_number[p] if p >= 0 else organizations.credit_code[o]
        for p, o in zip(ownership.person.tolist(), ownership.organization.tolist(), strict=True)
    ]
    owner_names = [
        population.name[p] if p >= 0 else organizations.name[o]
        for p, o in zip(ownership.person.tolist(), ownership.organization.tolist(), strict=True)
    ]
    # Only personal identity numbers and names carry the person-data issues;
    # credit codes and company names pass through untouched for now.
    person_rows = np.flatnonzero(by_person)
    ids = noise.identity_numbers([owner_ids[i] for i in person_rows.tolist()])
    names = noise.names([owner_names[i] for i in person_rows.tolist()])
    issues = [""] * count
    unrecoverable = np.zeros(count, dtype=bool)
    for k, i in enumerate(person_rows.tolist()):
        owner_ids[i] = ids.values[k]
        owner_names[i] = names.values[k]
        issues[i] = combine_issues([ids.issues[k]], [names.issues[k]])[0]
        unrecoverable[i] = ids.unrecoverable[k]
    twice = noise.duplicates(count)

    community_codes = [c.code for c in world.divisions.communities]
    changed_at = timestamps(ownership.changed_at)
    rows: list[tuple[str, ...]] = []
    mentions = Mentions()
    for i in range(count):
        row = (
            units.code[i],
            community_codes[int(units.community[i])],
            units.estate[i],
            units.address[i],
            str(units.building[i]),
            str(units.entrance[i]),
            str(units.floor[i]),
            units.room[i],
            f"{units.area[i]:.2f}",
            str(units.use[i]),
            owner_ids[i],
            owner_names[i],
            changed_at[i],
        )
        person = int(ownership.person[i])
        for copy in range(2 if twice[i] else 1):
            rows.append(row)
            mentions.extend(
                row_number=[len(rows)],
                record_key=[str(len(rows))],
                role="owner",
                person_id=[population.person_id(person) if person >= 0 else ""],
                organization_id=[organizations.organization_id(int(ownership.organization[i])) if person < 0 else ""],
                noise=[";".join(filter(None, (issues[i], "duplicate_row" if copy else "")))],
                unrecoverable=[bool(unrecoverable[i])],
            )
    return rows, mentions
