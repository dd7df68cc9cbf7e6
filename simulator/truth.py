"""Ground truth written next to the deliveries (contract section 7).

The pipeline never reads ``truth/``. Tests and benchmarks use it to measure
linkage and to check that every delivered row is accounted for:

- ``manifest.csv``: one line per delivered batch: rows delivered (what a
  reader gets out of the file), rows whose person or organization cannot be
  identified (an identity number or credit code beyond repair, a row cut off
  mid-way), rows that are copies (the same row twice in the batch, or a
  re-sent batch), rows the batch should have held but a broken file lost
  (an empty file, a file in a wrong encoding, a workbook cut short, the rows
  after a cut), the broken-delivery kind, the schema drift and the
  out-of-scope fields delivered (which the pipeline must drop).
- ``person_mentions.csv``, ``unit_mentions.csv``,
  ``organization_mentions.csv``: one line per entity a delivered row mentions
  (record key per contract section 6, role, 1-based position) with its true
  entity, what the record identifies it by (``given``), the issues of the
  row that concern it (``noise``) and whether the identifier is beyond
  repair. ``row_number`` is the 1-based position of the row in the batch as
  delivered; it tells apart the two copies of a row delivered twice.
- ``noise.csv``: one line per injected issue: the row, the field (empty for
  row issues such as ``duplicate_row``), the issue, whether it can be
  repaired, the value delivered and the value it stands for.
- ``persons.csv``, ``units.csv``, ``organizations.csv``, ``divisions.csv``:
  the real entities behind the mentions.

Mentions and issues are written as each batch is recorded, so memory stays
flat however large the city.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from simulator.batches import (
    DUPLICATE_BATCH,
    DUPLICATE_ROW,
    ORGANIZATION,
    PERSON,
    UNIT,
    UNREADABLE,
    Batch,
)
from simulator.formats import iso_dates, timestamps

MANIFEST_COLUMNS = (
    "source_system", "source_entity", "batch", "source", "rows_delivered", "rows_unrecoverable",
    "rows_duplicate", "rows_lost", "broken", "schema_drift", "out_of_scope_fields", "delivered_at",
)
_MENTION_HEAD = ("source_system", "source_entity", "source", "record_key", "role", "position")
_MENTION_TAIL = ("noise", "unrecoverable", "row_number", "given")
PERSON_MENTION_COLUMNS = (*_MENTION_HEAD, "person_id", *_MENTION_TAIL)
UNIT_MENTION_COLUMNS = (*_MENTION_HEAD, "unit_code", *_MENTION_TAIL)
ORGANIZATION_MENTION_COLUMNS = (*_MENTION_HEAD, "organization_id", *_MENTION_TAIL)
NOISE_COLUMNS = (
    "source_system", "source_entity", "source", "record_key", "row_number", "field", "issue", "unrecoverable",
    "role", "position", "delivered_value", "true_value",
)
_FILES = {
    PERSON: ("person_mentions.csv", PERSON_MENTION_COLUMNS),
    UNIT: ("unit_mentions.csv", UNIT_MENTION_COLUMNS),
    ORGANIZATION: ("organization_mentions.csv", ORGANIZATION_MENTION_COLUMNS),
    "noise": ("noise.csv", NOISE_COLUMNS),
}


@dataclass(frozen=True)
class ManifestLine:
    """One delivered batch as the manifest lists it."""

    source_system: str
    source_entity: str
    batch: str
    source: str
    rows_delivered: int
    rows_unrecoverable: int
    rows_duplicate: int
    rows_lost: int
    broken: str
    schema_drift: str
    out_of_scope_fields: str
    delivered_at: str


def _bool(value: bool) -> str:
    return "true" if value else "false"


class Truth:
    """Records every delivered batch and writes ``truth/``.

    Args:
        truth_dir: The folder to write (created; earlier files replaced).
    """

    def __init__(self, truth_dir: Path) -> None:
        self.truth_dir = Path(truth_dir)
        self.truth_dir.mkdir(parents=True, exist_ok=True)
        self.batches: list[ManifestLine] = []
        self._handles: list[IO[str]] = []
        self._writers = {}
        for kind, (name, header) in _FILES.items():
            handle = (self.truth_dir / name).open("w", encoding="utf-8", newline="")
            self._handles.append(handle)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            self._writers[kind] = writer

    def record(self, batch: Batch) -> ManifestLine:
        """Record one delivered batch: its manifest line, mentions and issues."""
        system, entity, source = batch.source_system, batch.source_entity, batch.source
        rows: dict[str, list[tuple]] = {PERSON: [], UNIT: [], ORGANIZATION: [], "noise": []}
        unrecoverable_rows = 0
        duplicate_rows = 0
        for position, (index, flags) in enumerate(batch.sequence, start=1):
            key = batch.record_key(position, index)
            issues = batch.issues[index] or ()
            unreadable = any(flag in UNREADABLE for flag in flags)
            row_level = [i.issue for i in issues if not i.role] + list(flags)
            row_bad = unreadable
            for mention in batch.mentions[index]:
                own = [i.issue for i in issues if i.role == mention.role and i.position == mention.position]
                bad = mention.unrecoverable or unreadable
                if bad and mention.kind != UNIT:
                    row_bad = True
                rows[mention.kind].append(
                    (
                        system, entity, source, key, mention.role, mention.position, mention.entity,
                        ";".join(own + row_level), _bool(bad), position, mention.given,
                    )
                )
            for issue in issues:
                rows["noise"].append(
                    (
                        system, entity, source, key, position, issue.field, issue.issue, _bool(issue.unrecoverable),
                        issue.role, issue.position or "", issue.delivered, issue.true,
                    )
                )
            for flag in flags:
                rows["noise"].append(
                    (system, entity, source, key, position, "", flag, _bool(flag in UNREADABLE), "", "", "", "")
                )
            unrecoverable_rows += row_bad
            duplicate_rows += DUPLICATE_ROW in flags or DUPLICATE_BATCH in flags
        for kind, lines in rows.items():
            self._writers[kind].writerows(lines)
        line = ManifestLine(
            source_system=system,
            source_entity=entity,
            batch=batch.batch,
            source=source,
            rows_delivered=len(batch.sequence),
            rows_unrecoverable=unrecoverable_rows,
            rows_duplicate=duplicate_rows,
            rows_lost=batch.rows_lost,
            broken=batch.broken,
            schema_drift=batch.drift.describe(),
            out_of_scope_fields=";".join(name for name, _ in batch.drift.out_of_scope),
            delivered_at=batch.delivered_at,
        )
        self.batches.append(line)
        return line

    def delivered(self) -> dict[tuple[str, str], int]:
        """Return rows delivered per (source system, source entity)."""
        totals: dict[tuple[str, str], int] = {}
        for line in self.batches:
            key = (line.source_system, line.source_entity)
            totals[key] = totals.get(key, 0) + line.rows_delivered
        return totals

    def close(self, world) -> None:
        """Finish the mention files and write the manifest and the entity tables."""
        for handle in self._handles:
            handle.close()
        _write_csv(
            self.truth_dir / "manifest.csv",
            MANIFEST_COLUMNS,
            (tuple(getattr(line, name) for name in MANIFEST_COLUMNS) for line in self.batches),
        )
        write_entities(self.truth_dir, world)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_entities(truth_dir: Path, world) -> None:
    """Write persons, organizations, units and divisions."""
    population, households, units = world.population, world.households, world.units
    events, ownership, organizations = world.events, world.ownership, world.organizations
    count = len(population)
    unit_of_person = np.full(count, -1)
    resident = population.household >= 0
    unit_of_person[resident] = households.unit[population.household[resident]]
    floating = world.floating
    unit_of_person[floating.person[~np.isnat(floating.left)]] = floating.unit[~np.isnat(floating.left)]
    left = np.full(count, np.datetime64("NaT", "D"))
    left[floating.person] = floating.left
    household_number = np.array(households.number + [""], dtype=object)
    births = iso_dates(population.birth_date)
    deaths = iso_dates(events.death_date)
    moves = iso_dates(events.moved_out_date)
    left_text = iso_dates(left)
    unit_codes = units.code
    _write_csv(
        truth_dir / "persons.csv",
        (
            "person_id", "id_number", "name", "gender", "birth_date", "residence", "household_id",
            "household_number", "relation_code", "unit_code", "phone", "landline", "death_date", "moved_out_date",
            "left_city_date",
        ),
        (
            (
                population.person_id(i),
                population.id_number[i],
                population.name[i],
                "1" if population.male[i] else "2",
                births[i],
                population.residence[i],
                f"H{population.household[i] + 1:07d}" if population.household[i] >= 0 else "",
                household_number[population.household[i]],
                population.relation[i],
                unit_codes[unit_of_person[i]] if unit_of_person[i] >= 0 else "",
                population.phone[i],
                population.landline[i],
                deaths[i],
                moves[i],
                left_text[i],
            )
            for i in range(count)
        ),
    )
    founded = iso_dates(organizations.founded)
    _write_csv(
        truth_dir / "organizations.csv",
        ("organization_id", "credit_code", "name", "kind", "social_type", "status", "legal_rep_person_id", "founded"),
        (
            (
                organizations.organization_id(i),
                organizations.credit_code[i],
                organizations.name[i],
                organizations.kind[i],
                organizations.social_type[i],
                organizations.status[i],
                population.person_id(int(organizations.legal_rep[i])) if organizations.legal_rep[i] >= 0 else "",
                founded[i],
            )
            for i in range(len(organizations))
        ),
    )
    grids = world.divisions.grids
    communities = world.divisions.communities
    occupants = np.bincount(households.unit, minlength=len(units))
    created = iso_dates(ownership.created)
    changed = timestamps(ownership.changed_at)

    def owner(person: int, organization: int) -> tuple[str, str]:
        return (
            population.person_id(person) if person >= 0 else "",
            organizations.organization_id(organization) if organization >= 0 else "",
        )

    _write_csv(
        truth_dir / "units.csv",
        (
            "unit_code", "grid_code", "community_code", "address", "use", "floor_area", "owner_person_id",
            "owner_organization_id", "occupant_household_id", "occupant_households", "in_register", "created",
            "change", "changed_at", "previous_owner_person_id", "previous_owner_organization_id",
        ),
        (
            (
                units.code[i],
                grids[units.grid[i]].code,
                communities[units.community[i]].code,
                units.address[i],
                units.use[i],
                f"{units.area[i]:.2f}",
                *owner(int(ownership.person[i]), int(ownership.organization[i])),
                f"H{ownership.occupant[i] + 1:07d}" if ownership.occupant[i] >= 0 else "",
                int(occupants[i]),
                _bool(bool(ownership.in_register[i])),
                created[i],
                ownership.change[i],
                changed[i],
                *owner(int(ownership.previous_person[i]), int(ownership.previous_organization[i])),
            )
            for i in range(len(units))
        ),
    )
    _write_csv(
        truth_dir / "divisions.csv",
        ("code", "name", "level", "parent_code"),
        ((d.code, d.name, d.level, d.parent) for d in world.divisions.all()),
    )
