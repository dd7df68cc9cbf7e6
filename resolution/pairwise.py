"""Pairwise precision and recall of a clustering of mentions against the simulator's truth.

Entity resolution is scored the way the record-linkage literature (and
Splink) scores it: over pairs of mentions. A pair is *predicted* when both
mentions got the same resolved key, *true* when both belong to the same real
entity. Precision is the share of predicted pairs that are true, recall the
share of true pairs that were predicted. Counting pairs rather than mentions
weighs a wrong link by the size of the clusters it joins, which is what a
wrong link costs the marts.

One implementation for persons, units and organizations, so that
``sharehouse evaluate`` and the tests report the same figures.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

__all__ = ["MENTION_KEY", "pairwise_scores", "truth_mentions", "warehouse_mention_keys"]

#: Columns that name one mention in both the warehouse and the truth files.
MENTION_KEY = ("source_system", "source_entity", "batch", "record_key", "role", "position")

# Departments whose record key is the data row of a file: the key is only
# unique within the delivered file, so the file (truth ``source``, warehouse
# ``batch_id``) is part of the mention's name. The others key records by an
# id unique across deliveries (police ``ID``, civil-affairs numbers), and their
# batch ids are extraction windows the truth does not know.
_FILE_KEYED = ("housing", "justice")


def _batch(source_system: pl.Expr, batch: pl.Expr) -> pl.Expr:
    return pl.when(source_system.is_in(_FILE_KEYED)).then(batch).otherwise(pl.lit("")).alias("batch")


def truth_mentions(path: Path, entity_column: str) -> pl.DataFrame:
    """Read one truth file (``person_mentions.csv`` ...) as mention key plus ``entity``.

    A row delivered twice appears twice in the truth (``row_number`` tells
    them apart) but once in the warehouse, so rows are made unique per key.

    Args:
        path: The truth CSV.
        entity_column: Its column naming the true entity (``person_id``,
            ``unit_code``, ``organization_id``).

    Returns:
        One row per mention key with column ``entity``.
    """
    truth = pl.read_csv(path, infer_schema=False)
    return (
        truth.select(
            "source_system", "source_entity",
            _batch(pl.col("source_system"), pl.col("source")),
            "record_key", "role",
            pl.col("position").cast(pl.Int64),
            pl.col(entity_column).alias("entity"),
        )
        .filter(pl.col("entity").is_not_null())
        .unique(subset=[*MENTION_KEY], keep="first")
    )


def warehouse_mention_keys(mentions: pl.DataFrame, key_column: str) -> pl.DataFrame:
    """Shape warehouse mention rows (``identity.*_mentions``) as mention key plus ``entity``.

    Args:
        mentions: Rows with source_system, source_entity, batch_id, record_key,
            role, position and the resolved key.
        key_column: The resolved key column (``person_key`` ...).

    Returns:
        One row per warehouse mention with column ``entity`` (the resolved key).
    """
    return mentions.select(
        "source_system", "source_entity",
        _batch(pl.col("source_system"), pl.col("batch_id")),
        pl.col("record_key").cast(pl.Utf8),
        "role",
        pl.col("position").cast(pl.Int64),
        pl.col(key_column).alias("entity"),
    )


def _pairs(counts: pl.Series) -> int:
    return int((counts.cast(pl.Int64) * (counts.cast(pl.Int64) - 1) // 2).sum())


def pairwise_scores(pred: pl.DataFrame, truth: pl.DataFrame) -> dict:
    """Score predicted clusters against true entities over pairs of mentions.

    Both frames hold the :data:`MENTION_KEY` columns and ``entity``. Every
    predicted mention is matched to its truth row by key; predicted mentions
    the truth does not know are left out (and counted), so are truth mentions
    the warehouse never loaded (quarantined, refused batches). A predicted
    mention with a null ``entity`` counts as a cluster of its own.

    Args:
        pred: Resolved mentions (see :func:`warehouse_mention_keys`).
        truth: True mentions (see :func:`truth_mentions`).

    Returns:
        ``precision``, ``recall``, ``f1``, ``true_pairs``, ``predicted_pairs``,
        ``correct_pairs``, ``mentions`` (scored), ``unmatched_predictions``
        (mentions the truth lacks).
    """
    keys = list(MENTION_KEY)
    pred = pred.select(*keys, pl.col("entity").alias("predicted")).with_row_index("_row")
    # A null key is its own singleton, never one cluster of all the nulls.
    pred = pred.with_columns(pl.coalesce("predicted", pl.concat_str(pl.lit("_single_"), pl.col("_row"))))
    joined = pred.join(truth.select(*keys, pl.col("entity").alias("actual")), on=keys, how="left")
    unmatched = joined.filter(pl.col("actual").is_null()).height
    scored = joined.filter(pl.col("actual").is_not_null())
    predicted_pairs = _pairs(scored.group_by("predicted").len()["len"])
    true_pairs = _pairs(scored.group_by("actual").len()["len"])
    correct_pairs = _pairs(scored.group_by("predicted", "actual").len()["len"])
    precision = correct_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = correct_pairs / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "correct_pairs": correct_pairs,
        "mentions": scored.height,
        "unmatched_predictions": unmatched,
    }
