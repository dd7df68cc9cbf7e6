"""One delivered batch as it is assembled: rows, mentions, issues, and batch-level damage.

A delivery builds a `Batch` row by row (clean rows with noisy values already
in place), says which persons, units and organizations each row mentions
(contract section 6) and which data issues it carries, then applies the
batch-level issues: rows delivered twice, a re-sent earlier batch, schema
drift, out-of-scope fields and broken files. Writers turn the batch into
bytes; `simulator.truth.Truth` records what was delivered.

Rows are kept in build order; ``sequence`` is the order of delivery, where a
row can appear twice (a duplicate) and rows of an earlier batch can come
first (a re-sent batch). Record keys follow the delivery order for files and
workbooks (the 1-based data row) and the key column otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from simulator.noise import FieldNoise

PERSON = "person"
UNIT = "unit"
ORGANIZATION = "organization"

# Row-level issues (noise.csv ``field`` is empty for them).
DUPLICATE_ROW = "duplicate_row"
DUPLICATE_BATCH = "duplicate_batch"
CORRECTION = "correction"
TRUNCATED_ROW = "truncated_row"
UNREADABLE = (TRUNCATED_ROW,)

# Broken-delivery kinds (manifest ``broken``).
BROKEN_TRUNCATED = "truncated"
BROKEN_WRONG_ENCODING = "wrong_encoding"
BROKEN_EMPTY = "empty"
BROKEN_EXTRA_SHEET = "extra_sheet"


class Mention(NamedTuple):
    """One entity a row mentions (a tuple: millions are made).

    Attributes:
        kind: ``person``, ``unit`` or ``organization``.
        role: The entity's role in the record (architecture's roles).
        position: 1-based position among mentions of the same role.
        entity: Truth id: ``P...`` person id, unit code, ``O...`` organization id.
        given: What the record identifies it by: ``id_number``, ``phone``,
            ``name``, ``credit_code``, ``unit_code`` or ``address``.
        unrecoverable: True when that identifier cannot be repaired.
    """

    kind: str
    role: str
    position: int
    entity: str
    given: str
    unrecoverable: bool = False


class RowIssue(NamedTuple):
    """One data issue injected into a row (a tuple: many are made).

    Attributes:
        field: The header it affects (contract name), empty for row issues.
        issue: The issue name (a `NoiseRates` field or a row issue).
        unrecoverable: True when the value cannot be repaired.
        delivered: The value as delivered.
        true: The value it stands for.
        role, position: The mention the value belongs to, if any.
    """

    field: str
    issue: str
    unrecoverable: bool = False
    delivered: str = ""
    true: str = ""
    role: str = ""
    position: int = 0


@dataclass
class Drift:
    """Schema drift and out-of-scope fields applied when a batch is written.

    Attributes:
        renamed: Contract header -> delivered header.
        added: Extra in-scope headers appended, with a value per row.
        order: Delivered header order (after renaming and additions), if
            changed.
        out_of_scope: Out-of-scope headers inserted, with a value per row.
    """

    renamed: dict[str, str] = field(default_factory=dict)
    added: list[tuple[str, Callable[[int], Any]]] = field(default_factory=list)
    order: list[str] | None = None
    out_of_scope: list[tuple[str, Callable[[int], Any]]] = field(default_factory=list)

    def describe(self) -> str:
        """Return the drift as ``renamed:a>b;added:c;reordered`` (empty if none)."""
        parts = [f"renamed:{a}>{b}" for a, b in self.renamed.items()]
        parts += [f"added:{name}" for name, _ in self.added]
        if self.order is not None:
            parts.append("reordered")
        return ";".join(parts)

    @property
    def empty(self) -> bool:
        """True when the batch is written exactly as the contract says."""
        return not (self.renamed or self.added or self.order is not None or self.out_of_scope)


class Batch:
    """One batch being assembled.

    Args:
        source_system: Department slug.
        source_entity: Warehouse entity name.
        batch: Batch identifier (file name, ``file#sheet``, table or endpoint name).
        source: Where the pipeline reads it (file, ``file#sheet``, table, endpoint path).
        headers: Contract headers (or JSON keys, column codes) in contract order.
        key_field: Header holding the record key; None for row-numbered
            files and sheets.
        delivered_at: When the department delivered it (``YYYY-MM-DD ...``).
    """

    def __init__(
        self,
        source_system: str,
        source_entity: str,
        batch: str,
        source: str,
        headers: Sequence[str],
        key_field: str | None = None,
        delivered_at: str = "",
    ) -> None:
        self.source_system = source_system
        self.source_entity = source_entity
        self.batch = batch
        self.source = source
        self.headers = list(headers)
        self.key_field = key_field
        self.delivered_at = delivered_at
        self.rows: list[list[Any]] = []
        self.mentions: list[list[Mention]] = []
        self.issues: list[list[RowIssue] | None] = []
        self.subject: list[int] = []
        self.sequence: list[tuple[int, tuple[str, ...]]] = []
        self.drift = Drift()
        self.broken = ""
        self.rows_lost = 0

    def __len__(self) -> int:
        """Rows as delivered (copies counted)."""
        return len(self.sequence)

    def column(self, header: str) -> int:
        """Return the index of a contract header."""
        return self.headers.index(header)

    def add(self, values: Sequence[Any], subject: int = -1) -> int:
        """Append a row (values in contract header order) and return its index.

        Args:
            values: The row.
            subject: Person index the row is mainly about (fills
                out-of-scope columns), -1 for none.
        """
        index = len(self.rows)
        self.rows.append(list(values))
        self.mentions.append([])
        self.issues.append(None)
        self.subject.append(subject)
        self.sequence.append((index, ()))
        return index

    def mention(
        self,
        row: int,
        kind: str,
        role: str,
        entity: str,
        *,
        position: int = 1,
        given: str = "id_number",
        unrecoverable: bool = False,
    ) -> None:
        """Record that a row mentions an entity."""
        self.mentions[row].append(Mention(kind, role, position, entity, given, bool(unrecoverable)))

    def issue(self, row: int, issue: RowIssue) -> None:
        """Record an issue injected into a row."""
        bucket = self.issues[row]
        if bucket is None:
            self.issues[row] = [issue]
        else:
            bucket.append(issue)

    def note(
        self,
        row: int,
        field_name: str,
        noise: FieldNoise,
        k: int,
        true: str,
        role: str = "",
        position: int = 0,
    ) -> None:
        """Record value `k` of a noisy column as an issue of `row`, if it has one."""
        name = noise.issues[k]
        if name:
            self.issue(
                row,
                RowIssue(field_name, name, bool(noise.unrecoverable[k]), str(noise.values[k]), true, role, position),
            )

    def duplicate_rows(self, mask: np.ndarray) -> None:
        """Deliver the rows selected by `mask` (over `rows`) twice, the copy right after."""
        sequence: list[tuple[int, tuple[str, ...]]] = []
        for index, flags in self.sequence:
            sequence.append((index, flags))
            if not flags and mask[index]:
                sequence.append((index, (DUPLICATE_ROW,)))
        self.sequence = sequence

    def resend(self, earlier: Batch) -> None:
        """Deliver an earlier batch's rows again, first, before this batch's own rows."""
        copied: list[tuple[int, tuple[str, ...]]] = []
        for index, flags in earlier.sequence:
            new = len(self.rows)
            self.rows.append(earlier.rows[index])
            self.mentions.append(earlier.mentions[index])
            self.issues.append(earlier.issues[index])
            self.subject.append(earlier.subject[index])
            copied.append((new, (*flags, DUPLICATE_BATCH) if DUPLICATE_BATCH not in flags else flags))
        self.sequence = copied + self.sequence

    def truncate(self, keep: int) -> None:
        """Cut the delivery inside row `keep` (1-based): later rows are lost, that row unreadable."""
        self.rows_lost = len(self.sequence) - keep
        self.sequence = self.sequence[:keep]
        if keep:
            index, flags = self.sequence[-1]
            self.sequence[-1] = (index, (*flags, TRUNCATED_ROW))
        self.broken = BROKEN_TRUNCATED

    def empty_out(self) -> None:
        """Deliver nothing (an empty file): every row is lost."""
        self.rows_lost = len(self.sequence)
        self.sequence = []
        self.broken = BROKEN_EMPTY

    def mark_unreadable(self, broken: str = BROKEN_WRONG_ENCODING) -> None:
        """Deliver the rows unreadably (a wrong encoding, a workbook cut short).

        No reader gets a row out of such a file, so none counts as delivered:
        they are all lost, and the manifest names the kind of damage.
        """
        self.rows_lost = len(self.sequence)
        self.sequence = []
        self.broken = broken

    def delivered_headers(self) -> list[str]:
        """Return the headers as delivered (drift and out-of-scope fields applied)."""
        headers = [self.drift.renamed.get(h, h) for h in self.headers]
        headers += [name for name, _ in self.drift.added]
        headers += [name for name, _ in self.drift.out_of_scope]
        if self.drift.order is not None:
            return list(self.drift.order)
        return headers

    def delivered_rows(self) -> list[list[Any]]:
        """Return the rows in delivery order, shaped like `delivered_headers`."""
        drift = self.drift
        if drift.empty:
            return [self.rows[index] for index, _ in self.sequence]
        extras = drift.added + drift.out_of_scope
        base = [self.drift.renamed.get(h, h) for h in self.headers] + [name for name, _ in extras]
        permutation = [base.index(h) for h in drift.order] if drift.order is not None else None
        out = []
        for index, _ in self.sequence:
            row = self.rows[index] + [fill(self.subject[index]) for _, fill in extras]
            out.append([row[i] for i in permutation] if permutation is not None else row)
        return out

    def record_key(self, position: int, index: int) -> str:
        """Return the record key of the row delivered at 1-based `position`."""
        if self.key_field is None:
            return str(position)
        return str(self.rows[index][self.column(self.key_field)])
