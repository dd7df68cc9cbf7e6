"""Ground truth written next to the deliveries (contract section 7).

The pipeline never reads ``truth/``. Tests and benchmarks use it to measure
linkage and to check that every delivered row is accounted for:

- ``manifest.csv``: one line per delivered batch with its row count and the
  rows whose identity number cannot be repaired.
- ``person_mentions.csv``: one line per person mentioned by a delivered row
  (record key per contract section 6, role, 1-based position), with the
  issues injected into that row and whether it is unrecoverable.
  ``row_number`` is the 1-based position of the row in the batch as
  delivered; it tells apart the two copies of a row delivered twice.
- ``organization_mentions.csv``: the same for organizations (unit owners).
  Every delivered row has at least one person or organization mention.
- ``persons.csv``, ``organizations.csv``, ``units.csv``, ``divisions.csv``:
  the real entities behind the mentions.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from simulator.world import World

MANIFEST_COLUMNS = ("source_system", "source_entity", "batch", "source", "rows_delivered", "rows_unrecoverable")
PERSON_MENTION_COLUMNS = (
    "source_system", "source_entity", "source", "record_key", "role", "position", "person_id",
    "noise", "unrecoverable", "row_number",
)
ORGANIZATION_MENTION_COLUMNS = (
    "source_system", "source_entity", "source", "record_key", "role", "position", "organization_id",
    "noise", "unrecoverable", "row_number",
)


@dataclass
class Mentions:
    """The persons and organizations named by one batch's rows (columnar).

    Attributes:
        row_number: 1-based row of the batch as delivered, per mention.
        record_key: The row's record key (contract section 6).
        role: What the entity is to the record (``resident``, ``owner``...).
        position: 1-based position among mentions of the same role.
        person_id: Truth person id, empty for an organization.
        organization_id: Truth organization id, empty for a person.
        noise: Issues injected into the row, ``;``-joined.
        unrecoverable: True when the mention's identifier cannot be repaired.
    """

    row_number: list[int] = field(default_factory=list)
    record_key: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    position: list[int] = field(default_factory=list)
    person_id: list[str] = field(default_factory=list)
    organization_id: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    unrecoverable: list[bool] = field(default_factory=list)

    def extend(
        self,
        *,
        row_number: Sequence[int],
        record_key: Sequence[str],
        role: str,
        person_id: Sequence[str],
        organization_id: Sequence[str] | None = None,
        noise: Sequence[str],
        unrecoverable: Sequence[bool] | np.ndarray,
        position: Sequence[int] | None = None,
    ) -> None:
        """Append mentions of one role, one per element of the sequences."""
        count = len(record_key)
        self.row_number.extend(int(n) for n in row_number)
        self.record_key.extend(record_key)
        self.role.extend([role] * count)
        self.position.extend(position if position is not None else [1] * count)
        self.person_id.extend(person_id)
        self.organization_id.extend(organization_id if organization_id is not None else [""] * count)
        self.noise.extend(noise)
        self.unrecoverable.extend(bool(u) for u in unrecoverable)


@dataclass(frozen=True)
class Batch:
    """One delivered batch as the manifest lists it."""

    source_system: str
    source_entity: str
    batch: str
    source: str
    rows_delivered: int
    mentions: Mentions

    @property
    def rows_unrecoverable(self) -> int:
        """Rows with at least one mention that cannot be repaired."""
        return len({n for n, bad in zip(self.mentions.row_number, self.mentions.unrecoverable, strict=True) if bad})


class Truth:
    """Collects what every delivery delivered, then writes ``truth/``."""

    def __init__(self) -> None:
        self.batches: list[Batch] = []

    def record(
        self, source_system: str, source_entity: str, batch: str, source: str, rows_delivered: int, mentions: Mentions
    ) -> None:
        """Record one delivered batch and the mentions of its rows."""
        self.batches.append(Batch(source_system, source_entity, batch, source, rows_delivered, mentions))

    def delivered(self) -> dict[tuple[str, str], int]:
        """Return rows delivered per (source system, source entity)."""
        totals: dict[tuple[str, str], int] = {}
        for batch in self.batches:
            key = (batch.source_system, batch.source_entity)
            totals[key] = totals.get(key, 0) + batch.rows_delivered
        return totals

    def write(self, truth_dir: Path, world: World) -> None:
        """Write the manifest, the mentions and the entity tables."""
        truth_dir.mkdir(parents=True, exist_ok=True)
        _write_csv(
            truth_dir / "manifest.csv",
            MANIFEST_COLUMNS,
            (
                (b.source_system, b.source_entity, b.batch, b.source, b.rows_delivered, b.rows_unrecoverable)
                for b in self.batches
            ),
        )
        person_rows = []
        organization_rows = []
        for b in self.batches:
            m = b.mentions
            for i in range(len(m.record_key)):
                common = (b.source_system, b.source_entity, b.source, m.record_key[i], m.role[i], m.position[i])
                tail = (m.noise[i], "true" if m.unrecoverable[i] else "false", m.row_number[i])
                if m.person_id[i]:
                    person_rows.append((*common, m.person_id[i], *tail))
                else:
                    organization_rows.append((*common, m.organization_id[i], *tail))
        _write_csv(truth_dir / "person_mentions.csv", PERSON_MENTION_COLUMNS, person_rows)
        _write_csv(truth_dir / "organization_mentions.csv", ORGANIZATION_MENTION_COLUMNS, organization_rows)
        _write_entities(truth_dir, world)


def _write_csv(path: Path, header: Sequence[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _dates(values: np.ndarray) -> list[str]:
    text = np.datetime_as_string(values, unit="D")
    return np.where(np.isnat(values), "", text).tolist()


def _write_entities(truth_dir: Path, world: World) -> None:
    population, households, units = world.population, world.households, world.units
    events, ownership, organizations = world.events, world.ownership, world.organizations
    resident = population.household >= 0
    unit_of_person = np.full(len(population), -1)
    unit_of_person[resident] = households.unit[population.household[resident]]
    household_number = np.array(households.number + [""], dtype=object)
    births = _dates(population.birth_date)
    deaths = _dates(events.death_date)
    moves = _dates(events.moved_out_date)
    _write_csv(
        truth_dir / "persons.csv",
        (
            "person_id", "id_number", "name", "gender", "birth_date", "residence", "household_id",
            "household_number", "relation_code", "unit_code", "death_date", "moved_out_date",
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
                units.code[unit_of_person[i]] if unit_of_person[i] >= 0 else "",
                deaths[i],
                moves[i],
            )
            for i in range(len(population))
        ),
    )
    _write_csv(
        truth_dir / "organizations.csv",
        ("organization_id", "credit_code", "name"),
        (
            (organizations.organization_id(i), organizations.credit_code[i], organizations.name[i])
            for i in range(len(organizations))
        ),
    )
    grids = world.divisions.grids
    communities = world.divisions.communities
    _write_csv(
        truth_dir / "units.csv",
        (
            "unit_code", "grid_code", "community_code", "address", "use", "owner_person_id",
            "owner_organization_id", "occupant_household_id",
        ),
        (
            (
                units.code[i],
                grids[units.grid[i]].code,
                communities[units.community[i]].code,
                units.address[i],
                units.use[i],
                population.person_id(ownership.person[i]) if ownership.person[i] >= 0 else "",
                organizations.organization_id(ownership.organization[i]) if ownership.organization[i] >= 0 else "",
                f"H{ownership.occupant[i] + 1:07d}" if ownership.occupant[i] >= 0 else "",
            )
            for i in range(len(units))
        ),
    )
    _write_csv(
        truth_dir / "divisions.csv",
        ("code", "name", "level", "parent_code"),
        ((d.code, d.name, d.level, d.parent) for d in world.divisions.all()),
    )
