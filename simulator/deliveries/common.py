"""Pieces every department's delivery uses: noise per batch, drift plans, person fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from simulator.batches import PERSON, Batch, Drift
from simulator.noise import FieldNoise, NoiseInjector
from simulator.randomness import stream
from simulator.sensitive import SensitiveAttributes, draw_sensitive
from simulator.world import World

# Values of an added in-scope remarks column: mostly empty, as clerks leave it.
_REMARKS = ("", "", "", "", "", "", "已核实", "补录", "待核查")


def injector(world: World, name: str, charset: str = "utf-8", today: date | None = None) -> NoiseInjector:
    """Return the noise injector of one delivery (its own random stream)."""
    config = world.config
    return NoiseInjector(
        config.noise_rates, stream(config.seed, f"noise/{name}"), charset=charset, today=today or config.end_date
    )


def sensitive(world: World) -> SensitiveAttributes:
    """Return the out-of-scope attributes of everyone (drawn once per world)."""
    cached = world.__dict__.get("_sensitive")
    if cached is None:
        ages = world.population.age_on(world.config.end_date)
        cached = draw_sensitive(world.population, ages, stream(world.config.seed, "people/sensitive"))
        world.__dict__["_sensitive"] = cached
    return cached


def remark(subject: int) -> str:
    """Return the remarks value of a row (an added in-scope column)."""
    return _REMARKS[(subject * 7 + 3) % len(_REMARKS)] if subject >= 0 else ""


@dataclass
class DriftPlan:
    """The schema drift of one month (or one table, one endpoint) of a department.

    Attributes:
        rename_draw: Two numbers in [0, 1) choosing the renamed header and
            its new name among the batch's own options, None for no rename.
        add: True to append an in-scope remarks column.
        reorder_seed: Seed of the column permutation, None to keep the order.
        out_of_scope: Indexes 0-3 (ethnicity, religion, political status,
            health) of out-of-scope fields to add.
    """

    rename_draw: tuple[float, float] | None = None
    add: bool = False
    reorder_seed: int | None = None
    out_of_scope: tuple[int, ...] = ()

    def apply(
        self,
        batch: Batch,
        attributes: SensitiveAttributes,
        renames: dict[str, tuple[str, ...]],
        added_header: str,
        out_of_scope_headers: Sequence[str],
        as_codes: bool = False,
    ) -> None:
        """Set a batch's drift from this plan.

        Args:
            batch: The batch (its contract headers decide what can change).
            attributes: Out-of-scope values per person.
            renames: Contract header -> the other names the department uses.
            added_header: Name of the added remarks column.
            out_of_scope_headers: Header per out-of-scope field (4).
            as_codes: Fill out-of-scope columns with codes, not words.
        """
        drift = Drift()
        options = [h for h in batch.headers if h in renames]
        if self.rename_draw is not None and options:
            header = options[int(self.rename_draw[0] * len(options))]
            aliases = renames[header]
            drift.renamed = {header: aliases[int(self.rename_draw[1] * len(aliases))]}
        if self.add:
            drift.added = [(added_header, remark)]
        method = attributes.code if as_codes else attributes.text
        drift.out_of_scope = [(out_of_scope_headers[i], _filler(method, i)) for i in self.out_of_scope]
        headers = [drift.renamed.get(h, h) for h in batch.headers] + [n for n, _ in drift.added]
        extra = [n for n, _ in drift.out_of_scope]
        if self.reorder_seed is not None:
            # Keep the first column (the key, or the first field) in place; the
            # rest are shuffled as a department's new export template does.
            everything = headers + extra
            rest = [str(h) for h in np.random.default_rng(self.reorder_seed).permutation(everything[1:])]
            drift.order = [everything[0], *rest]
        elif extra:
            # Out-of-scope columns sit next to the person's fields, not last.
            at = min(4, len(headers))
            drift.order = headers[:at] + extra + headers[at:]
        batch.drift = drift

    @property
    def empty(self) -> bool:
        """True when the plan changes nothing."""
        return self.rename_draw is None and not self.add and self.reorder_seed is None and not self.out_of_scope


def _filler(method: Callable[[int, int], str], index: int) -> Callable[[int], str]:
    return lambda subject: method(index, subject)


def plan_drifts(noise: NoiseInjector, groups: int, can_rename: bool = True) -> list[DriftPlan]:
    """Draw the schema drift and out-of-scope fields of `groups` months (or tables, endpoints).

    Each issue hits a group at its rate, and at least one group when the rate
    is not zero.

    Args:
        noise: The delivery's injector (rates and random stream).
        groups: Months (or tables, endpoints) to plan.
        can_rename: False where headers are never renamed (JSON keys).

    Returns:
        One plan per group.
    """
    rates = noise.rates
    rng = noise.rng
    renamed = noise.pick_batches(groups, rates.schema_renamed) if can_rename else np.zeros(groups, bool)
    grown = noise.pick_batches(groups, rates.schema_added_column)
    reordered = noise.pick_batches(groups, rates.schema_reordered)
    sensitive_fields = noise.pick_batches(groups, rates.out_of_scope)
    plans = []
    for g in range(groups):
        plan = DriftPlan()
        if renamed[g]:
            plan.rename_draw = (float(rng.random()), float(rng.random()))
        plan.add = bool(grown[g])
        if reordered[g]:
            plan.reorder_seed = int(rng.integers(1 << 31))
        if sensitive_fields[g]:
            count = int(rng.integers(1, 3))
            plan.out_of_scope = tuple(sorted(int(i) for i in rng.choice(4, size=count, replace=False)))
        plans.append(plan)
    return plans


def clear_issues(noise: FieldNoise, mask: np.ndarray, clean: Sequence[str]) -> None:
    """Undo the issues of the values selected by `mask` (corrected records are clean)."""
    for i in np.flatnonzero(mask).tolist():
        if noise.issues[i]:
            noise.values[i] = clean[i]
            noise.issues[i] = ""
            noise.unrecoverable[i] = False


def person_ids(world: World) -> list[str]:
    """Return every person's truth id, indexed by person (made once per world)."""
    cached = world.__dict__.get("_person_ids")
    if cached is None:
        cached = [world.population.person_id(i) for i in range(len(world.population))]
        world.__dict__["_person_ids"] = cached
    return cached


def person_mention(batch: Batch, row: int, world: World, person: int, role: str, **kwargs) -> None:
    """Record a person mention by person index."""
    batch.mention(row, PERSON, role, person_ids(world)[person], **kwargs)
