"""Link person mentions that have no valid identity number, to keyed persons or to each other.

Pure frames in, frames out (no warehouse): :func:`link_mentions` takes every
person mention with its features and says, for each one without a key,
which keyed person it belongs to (with the match probability) or which
cluster of other unkeyed mentions it forms a person with.

Candidate pairs come from blocking rules, each an exact join that a true pair
almost always satisfies and a random pair almost never does:

- one of five cuts of the identity number (finds the true number of a
  mistyped or transposed one, see ``neighbour_keys``);
- name key (pinyin) and phone;
- name key and birth date (from the number's date segment);
- name key and estate (the estate of the address the record gives: the
  person's home, or for a dispute a neighbour's).

A name alone never links: the prior odds of a match (1 in the number of
persons) outweigh what even a rare name says, which is right, because a
person known to one department only is common (a mediation party, a tenant).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from resolution.persons_compare import compare_pairs, prior_weight

__all__ = [
    "MATCH_THRESHOLD", "OUTSIDE_ODDS", "COMPARED_FEATURES", "RARE_NAME_PERSONS", "Linkage", "candidate_pairs",
    "link_mentions", "name_frequency", "population_size",
]

#: A mention is linked when its best candidate's match probability reaches
#: this. Measured on a 20,000-person city (seed 101): links at 0.95-0.98 are
#: mostly a name only one registered person bears, and 141 of 143 were right;
#: raising the bar to 0.99 drops them and recall from 0.994 to 0.988.
MATCH_THRESHOLD = 0.95
#: Odds, per registered person, that an unkeyed mention is someone the
#: blocking did not reach or no register holds (a visitor, a misspelt name):
#: 1 in 100 unkeyed mentions.
OUTSIDE_ODDS = 0.01

#: The features compared; the blocking joins use subsets of them.
COMPARED_FEATURES = (
    "id_number", "name_norm", "name_key", "birth_date", "gender_code", "phone_norm", "address_key", "estate_key",
)
_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("id_cut_1",), ("id_cut_2",), ("id_cut_3",), ("id_cut_4",), ("id_cut_5",),
    ("name_key", "phone_norm"), ("name_key", "birth_date"), ("name_key", "estate_key"),
    ("rare_name_key",),
)
#: A name held by at most this many persons is a blocking key on its own.
RARE_NAME_PERSONS = 3


@dataclass
class Linkage:
    """What :func:`link_mentions` decided.

    Attributes:
        assignments: One row per unkeyed mention (``_row``): ``person_key`` (the
            keyed person it was linked to, or null), ``cluster`` (the smallest
            ``_row`` of its cluster of unkeyed mentions, for those not linked to
            a keyed person), ``match_probability`` (null for a mention that
            matched nothing) and ``agreed`` (the fields that agreed, comma-separated).
        pairs: The scored candidate pairs (for inspection and tests).
    """

    assignments: pl.DataFrame
    pairs: pl.DataFrame


def _targets(features: pl.DataFrame) -> pl.DataFrame:
    """Return what an unkeyed mention can be linked to: keyed persons' variants and unkeyed mentions."""
    columns = [*COMPARED_FEATURES, *(f"id_cut_{n}" for n in range(1, 6)), "rare_name_key"]
    keyed = (
        features.filter(pl.col("person_key").is_not_null())
        .select(pl.col("person_key").alias("target_key"), pl.lit(None, dtype=pl.UInt32).alias("target_row"), *columns)
        .unique(maintain_order=True)
    )
    unkeyed = features.filter(pl.col("person_key").is_null()).select(
        pl.lit(None, dtype=pl.Utf8).alias("target_key"), pl.col("_row").alias("target_row"), *columns
    )
    return pl.concat([keyed, unkeyed]).with_row_index("_target")


def name_frequency(population: pl.DataFrame, persons: int) -> pl.DataFrame:
    """Count the persons holding each name key and their share of all persons.

    Args:
        population: ``person_key`` and ``name_key`` rows: the keyed persons'
            (a person counts once per key, however many mentions or spellings)
            and one row per unkeyed mention (null ``person_key``; each counts
            as a person). It may hold only the name keys that matter (those of
            the unkeyed mentions): each key's count is its own.
        persons: The number of persons in the whole population (keyed persons
            plus unkeyed mentions).

    Returns:
        ``name_key``, ``name_frequency`` (share of persons) and ``name_persons``.
    """
    named = population.filter(pl.col("name_key").is_not_null())
    counts = pl.concat([
        named.filter(pl.col("person_key").is_not_null()).group_by("name_key")
        .agg(pl.col("person_key").n_unique().cast(pl.Int64).alias("name_persons")),
        named.filter(pl.col("person_key").is_null()).group_by("name_key")
        .agg(pl.len().cast(pl.Int64).alias("name_persons")),
    ]).group_by("name_key").agg(pl.col("name_persons").sum())
    return counts.select(
        "name_key", name_frequency=pl.col("name_persons") / max(persons, 1), name_persons="name_persons"
    )


def population_size(population: pl.DataFrame) -> int:
    """Count the persons of a whole population (see :func:`name_frequency`): keyed persons plus unkeyed mentions."""
    return population["person_key"].drop_nulls().n_unique() + population["person_key"].null_count()


def candidate_pairs(features: pl.DataFrame) -> pl.DataFrame:
    """Join each unkeyed mention to the targets sharing a blocking key.

    Args:
        features: Every mention with ``_row``, ``person_key`` and the features.

    Returns:
        One row per (``_row``, ``_target``) with the features of both sides
        (``_l`` the unkeyed mention, ``_r`` the target), ``target_key`` and
        ``target_row``.
    """
    unkeyed = features.filter(pl.col("person_key").is_null())
    targets = _targets(features)
    found = []
    for block in _BLOCKS:
        left = unkeyed.select("_row", *block).drop_nulls(list(block))
        right = targets.select("_target", "target_row", *block).drop_nulls(list(block))
        joined = left.join(right, on=list(block), how="inner").select("_row", "_target", "target_row")
        # An unkeyed pair is found from both sides: keep one direction.
        found.append(joined.filter(pl.col("target_row").is_null() | (pl.col("target_row") > pl.col("_row"))))
    if not found:
        return pl.DataFrame()
    ids = pl.concat(found).select("_row", "_target").unique()
    left = unkeyed.select("_row", *(pl.col(c).alias(f"{c}_l") for c in COMPARED_FEATURES))
    right = targets.select(
        "_target", "target_key", "target_row", *(pl.col(c).alias(f"{c}_r") for c in COMPARED_FEATURES)
    )
    return ids.join(left, on="_row").join(right, on="_target")


def _components(nodes: pl.Series, edges: pl.DataFrame) -> pl.DataFrame:
    """Label connected components by their smallest node (label propagation)."""
    labels = pl.DataFrame({"node": nodes, "label": nodes}).sort("node")
    if edges.is_empty():
        return labels
    both = pl.concat([edges.select(a="a", b="b"), edges.select(a="b", b="a")])
    while True:
        proposed = (
            both.join(labels, left_on="b", right_on="node")
            .group_by("a").agg(pl.col("label").min().alias("neighbour"))
        )
        updated = labels.join(proposed, left_on="node", right_on="a", how="left").with_columns(
            label=pl.min_horizontal("label", "neighbour")
        ).drop("neighbour").sort("node")
        if updated["label"].equals(labels["label"]):
            return updated
        labels = updated


_AGREEMENT_COLUMNS = ("id_number", "name", "birth_date", "gender", "phone", "address")


def _agreed() -> pl.Expr:
    """Name the comparisons that pushed a pair towards a match, e.g. ``id_number:one_edit,name:exact``."""
    return pl.concat_str(
        [
            pl.when(pl.col(f"{c}_weight") > 0).then(pl.concat_str(pl.lit(f"{c}:"), pl.col(f"{c}_level")))
            for c in _AGREEMENT_COLUMNS
        ],
        separator=",", ignore_nulls=True,
    ).alias("agreed")


def link_mentions(
    features: pl.DataFrame, frequency: pl.DataFrame | None = None, persons: int | None = None
) -> Linkage:
    """Decide who each unkeyed mention is.

    Args:
        features: Every unkeyed mention and the keyed mentions that may be
            candidates (all of them, or those sharing a blocking key) with
            ``_row`` (unique, stable order), ``person_key`` (null where
            unkeyed) and the features of
            :func:`resolution.persons_features.mention_features`, plus
            ``address_key`` (may be null).
        frequency: :func:`name_frequency` of the population, covering at
            least the unkeyed mentions' name keys; with ``persons``, the
            population's size. Both are computed from ``features`` when omitted.
        persons: See ``frequency``.

    Returns:
        The :class:`Linkage`.
    """
    unkeyed_rows = features.filter(pl.col("person_key").is_null())["_row"]
    if frequency is None or persons is None:
        population = features.select("person_key", "name_key")
        persons = population_size(population)
        frequency = name_frequency(population, persons)
    features = features.join(frequency.select("name_key", "name_persons"), on="name_key", how="left",
                             maintain_order="left").with_columns(
        rare_name_key=pl.when(pl.col("name_persons") <= RARE_NAME_PERSONS).then(pl.col("name_key"))
    )
    pairs = candidate_pairs(features)
    empty = pl.DataFrame(
        {"_row": unkeyed_rows, "person_key": pl.Series([None] * len(unkeyed_rows), dtype=pl.Utf8)}
    )
    if pairs.is_empty():
        assignments = empty.with_columns(
            cluster=pl.col("_row"), match_probability=pl.lit(None, dtype=pl.Float64),
            agreed=pl.lit(None, dtype=pl.Utf8),
        )
        return Linkage(assignments, pairs)
    pairs = pairs.join(frequency.drop("name_persons"), left_on="name_key_l", right_on="name_key", how="left").with_columns(
        pl.col("name_frequency").fill_null(1.0 / max(persons, 1))
    )
    scored = compare_pairs(pairs, prior_weight(persons)).with_columns(_agreed())

    # Keyed candidates: the best variant per person. The mention is someone:
    # one of its candidates, a person the blocking missed, or a person no
    # register holds; each candidate's probability is its likelihood ratio
    # against all of these (a closed-world posterior). So a name only one
    # registered person bears can decide, and two candidates split the odds.
    prior = prior_weight(persons)
    keyed = (
        scored.filter(pl.col("target_key").is_not_null())
        .sort("match_weight", descending=True)
        .group_by("_row", "target_key", maintain_order=True).first()
        .with_columns(_ratio=pl.lit(2.0).pow(pl.col("match_weight") - prior))
        .with_columns(
            _posterior=pl.col("_ratio") / (pl.col("_ratio").sum().over("_row") + OUTSIDE_ODDS * persons)
        )
        .sort(["_row", "_posterior", "target_key"], descending=[False, True, False])
        .group_by("_row", maintain_order=True).first()
        .filter(pl.col("_posterior") >= MATCH_THRESHOLD)
        .select("_row", pl.col("target_key").alias("linked_key"),
                pl.col("_posterior").alias("linked_probability"), pl.col("agreed").alias("linked_agreed"))
    )
    # Unkeyed pairs strong enough to be one person.
    edges = scored.filter(pl.col("target_row").is_not_null() & (pl.col("match_probability") >= MATCH_THRESHOLD))
    components = _components(unkeyed_rows, edges.select(a="_row", b="target_row"))
    best_edge = (
        pl.concat([
            edges.select("_row", "match_probability", "agreed"),
            edges.select(pl.col("target_row").alias("_row"), "match_probability", "agreed"),
        ])
        .sort("match_probability", descending=True)
        .group_by("_row", maintain_order=True).first()
        .rename({"match_probability": "edge_probability", "agreed": "edge_agreed"})
    )
    rows = (
        components.rename({"node": "_row", "label": "component"})
        .join(keyed, on="_row", how="left")
        .join(best_edge, on="_row", how="left")
    )
    # A component takes the keyed person its members were linked to, if they agree on one.
    component_keys = (
        rows.filter(pl.col("linked_key").is_not_null())
        .group_by("component").agg(pl.col("linked_key").unique().alias("keys"))
        .filter(pl.col("keys").list.len() == 1)
        .select("component", pl.col("keys").list.first().alias("component_key"))
    )
    rows = rows.join(component_keys, on="component", how="left").with_columns(
        person_key=pl.coalesce("linked_key", "component_key"),
    )
    assignments = rows.select(
        "_row",
        "person_key",
        # Members left out of a conflicted component's keyed links stay together.
        cluster=pl.when(pl.col("person_key").is_null()).then(pl.col("component")),
        match_probability=pl.when(pl.col("linked_key").is_not_null()).then(pl.col("linked_probability"))
        .otherwise(pl.col("edge_probability")),
        agreed=pl.when(pl.col("linked_key").is_not_null()).then(pl.col("linked_agreed"))
        .otherwise(pl.col("edge_agreed")),
    ).sort("_row")
    return Linkage(assignments, scored)
