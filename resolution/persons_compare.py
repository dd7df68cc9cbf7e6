"""Compare two person mentions field by field and weigh the evidence (Fellegi-Sunter).

Each comparison puts a pair of mentions on one *level* (names exactly equal,
equal only as pinyin, different ...). A level has an m probability (how often
two mentions of the same person land there) and a u probability (how often
two mentions of different persons do); its match weight is log2(m / u), and
the weights of independent fields add. The pair's match probability is the
logistic of the summed weight plus the prior log-odds that two mentions chosen
at random are one person (1 / persons).

The name u probability is the name's own frequency (term-frequency
adjustment): two mentions called 张伟 agree far more often by chance than
two called 诸葛玥. Levels where a field is missing on either side weigh 0.

The m and u values are set from what is known of the registers rather than
fitted by EM at every run: fitting on a few thousand unresolved mentions is
noisy, while the error rates of the departments' data entry are measured
(source-systems.md section 5) and change slowly. Each value carries its
reason; ``tests/resolution/test_persons_compare.py`` pins the levels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from resolution.persons_features import id_edit_distances

__all__ = ["COMPARISONS", "Level", "compare_pairs", "match_probability", "prior_weight"]


@dataclass(frozen=True)
class Level:
    """One level of a comparison.

    Attributes:
        comparison: The field compared (``id_number``, ``name`` ...).
        name: The level (``exact``, ``one_edit`` ...).
        m: P(level | same person).
        u: P(level | different persons); ``None`` for the name levels, whose u is
            the name's term frequency.
        reason: Why these values.
    """

    comparison: str
    name: str
    m: float
    u: float | None
    reason: str

    def weight(self) -> float:
        """Return log2(m / u) for a fixed u."""
        assert self.u is not None
        return math.log2(self.m / self.u)


COMPARISONS: tuple[Level, ...] = (
    Level("id_number", "exact", 0.60, 1e-9,
          "the same failing number twice is one record re-delivered or one person's number copied with the same slip"),
    Level("id_number", "one_edit", 0.35, 1e-8,
          "a failing number is one substitution or swap from its owner's; about 15 valid numbers lie one edit "
          "from any number, and the chance that one of them is another resident's is tiny"),
    Level("id_number", "different", 0.05, 1.0,
          "two mentions of one person rarely carry numbers two or more edits apart (two separate slips)"),
    Level("name", "exact", 0.92, None, "names rarely change; u is the name's frequency among persons"),
    Level("name", "homophone", 0.06, None,
          "a rare character typed as a homophone or as pinyin (about 1 in 5 names holding one)"),
    Level("name", "different", 0.02, 0.995, "a different name is strong evidence of a different person"),
    Level("birth_date", "exact", 0.95, 1 / 30000, "about 30,000 birth dates in a living population"),
    Level("birth_date", "different", 0.05, 1.0, "a mistyped date digit, or a placeholder date"),
    Level("gender", "exact", 0.98, 0.5, "two genders, almost never mistyped"),
    Level("gender", "different", 0.02, 0.5, "a mistyped sex digit"),
    Level("phone", "exact", 0.90, 1e-5,
          "phones are personal, but a household landline is shared (the different-name level then outweighs it)"),
    Level("phone", "different", 0.10, 1.0, "people change numbers; a register may hold the old one"),
    Level("address", "exact", 0.70, 1e-4, "a mention's address is usually where the person lives; ~10,000 units"),
    Level("address", "same_estate", 0.15, 1e-3,
          "a dispute's place is one party's home and the other party's neighbour's (measured: most second "
          "parties live in the same estate); about 1,000 estate names"),
    Level("address", "different", 0.15, 1.0, "people move between registers' snapshots"),
)

_LEVELS = {(level.comparison, level.name): level for level in COMPARISONS}


def prior_weight(persons: int) -> float:
    """Return the log2 prior odds that two random mentions are one of ``persons`` persons."""
    return -math.log2(max(persons, 2))


def match_probability(weight: pl.Expr) -> pl.Expr:
    """Turn a summed match weight (log2 odds) into a probability."""
    return 1.0 / (1.0 + pl.lit(2.0).pow(-weight))


def _level(comparison: str, present: pl.Expr, cases: list[tuple[pl.Expr, str]]) -> pl.Expr:
    expr = pl.when(~present).then(pl.lit(None, dtype=pl.Utf8))
    for condition, name in cases:
        expr = expr.when(condition).then(pl.lit(name))
    return expr.alias(f"{comparison}_level")


def _fixed_weight(comparison: str) -> pl.Expr:
    column = pl.col(f"{comparison}_level")
    levels = [level for level in COMPARISONS if level.comparison == comparison and level.u is not None]
    return (
        column.replace_strict([level.name for level in levels], [level.weight() for level in levels],
                              default=0.0, return_dtype=pl.Float64)
        .fill_null(0.0)
        .alias(f"{comparison}_weight")
    )


def compare_pairs(pairs: pl.DataFrame, prior: float) -> pl.DataFrame:
    """Put each pair on a level of every comparison and weigh it.

    Args:
        pairs: One row per candidate pair with the features of
            :func:`resolution.persons_features.mention_features` suffixed
            ``_l`` and ``_r`` (``id_number``, ``name_norm``, ``name_key``,
            ``birth_date``, ``gender_code``, ``phone_norm``, ``address_key``,
            ``estate_key``)
            and ``name_frequency`` (share of persons with the pair's name key).
        prior: :func:`prior_weight` of the population.

    Returns:
        The pairs with ``<comparison>_level`` and ``<comparison>_weight`` per
        comparison, ``match_weight`` and ``match_probability``.
    """
    pairs = pairs.with_columns(id_edit_distances(pairs["id_number_l"], pairs["id_number_r"]).alias("_id_distance"))
    both = lambda column: pl.col(f"{column}_l").is_not_null() & pl.col(f"{column}_r").is_not_null()  # noqa: E731
    same = lambda column: pl.col(f"{column}_l") == pl.col(f"{column}_r")  # noqa: E731
    ids_compared = pl.col("_id_distance").is_not_null()
    pairs = pairs.with_columns(
        _level("id_number", ids_compared, [
            (pl.col("_id_distance") == 0, "exact"), (pl.col("_id_distance") == 1, "one_edit"),
            (pl.lit(True), "different"),
        ]),
        _level("name", both("name_key"), [
            (same("name_norm"), "exact"), (same("name_key"), "homophone"), (pl.lit(True), "different"),
        ]),
        # Two numbers already compare the birth date and sex digits they hold.
        _level("birth_date", both("birth_date") & ~ids_compared, [
            (same("birth_date"), "exact"), (pl.lit(True), "different"),
        ]),
        _level("gender", both("gender_code") & ~ids_compared, [
            (same("gender_code"), "exact"), (pl.lit(True), "different"),
        ]),
        _level("phone", both("phone_norm"), [(same("phone_norm"), "exact"), (pl.lit(True), "different")]),
        _level("address", both("address_key"), [
            (same("address_key"), "exact"), (same("estate_key"), "same_estate"), (pl.lit(True), "different"),
        ]),
    )
    exact, homophone = _LEVELS[("name", "exact")], _LEVELS[("name", "homophone")]
    frequency = pl.col("name_frequency").clip(lower_bound=1e-7)
    name_weight = (
        pl.when(pl.col("name_level") == "exact").then((exact.m / frequency).log(2))
        .when(pl.col("name_level") == "homophone").then((homophone.m / frequency).log(2))
        .when(pl.col("name_level") == "different").then(pl.lit(_LEVELS[("name", "different")].weight()))
        .otherwise(0.0)
        .alias("name_weight")
    )
    pairs = pairs.with_columns(
        _fixed_weight("id_number"), name_weight, _fixed_weight("birth_date"), _fixed_weight("gender"),
        _fixed_weight("phone"), _fixed_weight("address"),
    ).drop("_id_distance")
    total = pl.sum_horizontal(
        "id_number_weight", "name_weight", "birth_date_weight", "gender_weight", "phone_weight", "address_weight"
    ) + prior
    return pairs.with_columns(match_weight=total).with_columns(
        match_probability=match_probability(pl.col("match_weight"))
    )
