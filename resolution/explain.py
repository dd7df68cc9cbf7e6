"""Explain one person: every mention the key holds and why it was linked (a steward's tool).

Reads the restricted ``identity`` schema. Identifiers are masked unless the
caller asks for clear values. For a mention linked by probability, the
comparison is computed again against the person's other mentions with the
same code that linked it (``persons_compare``), so the explanation names the
fields that agreed and the weight each carried, not a stored summary that
could drift from the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ingest.common.warehouse import WarehouseConnection
from resolution.keys import MENTION_COLUMNS
from resolution.persons import RULE_EVIDENCE, read_mentions
from resolution.persons_compare import compare_pairs, prior_weight
from resolution.persons_features import mention_features
from resolution.persons_linkage import COMPARED_FEATURES

__all__ = ["Explanation", "explain_person", "mask_id_number", "mask_name", "mask_phone"]

_COMPARISONS = ("id_number", "name", "birth_date", "gender", "phone", "address")


def mask_id_number(value: str | None) -> str | None:
    """Keep the area code and the last four characters: ``320106********3049``."""
    if not value:
        return value
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_name(value: str | None) -> str | None:
    """Keep the surname's first character: ``万**``."""
    if not value:
        return value
    return value[0] + "*" * (len(value) - 1)


def mask_phone(value: str | None) -> str | None:
    """Keep the first three and last four digits: ``138****1234``."""
    if not value:
        return value
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "*" * len(value)


@dataclass
class Explanation:
    """One person's mentions with the reason for each, and the key's history.

    Attributes:
        person_key: The key explained.
        mentions: One row per mention: the mention columns, the identifiers
            (masked unless asked), ``evidence`` and ``why``.
        history: Rows of ``identity.person_key_history`` naming the key.
    """

    person_key: str
    mentions: pl.DataFrame
    history: pl.DataFrame


def _why(person: pl.DataFrame, everyone: int) -> pl.DataFrame:
    """Compare each non-rule mention with the person's other mentions and name what agreed."""
    features = mention_features(person)
    others = features.select("_row", *COMPARED_FEATURES, "evidence")
    linked = others.filter(pl.col("evidence") != RULE_EVIDENCE)
    if linked.is_empty():
        return pl.DataFrame(schema={"_row": pl.UInt32, "why": pl.Utf8})
    pairs = linked.select("_row", *(pl.col(c).alias(f"{c}_l") for c in COMPARED_FEATURES)).join(
        others.select(pl.col("_row").alias("_other"), pl.col("evidence").alias("_other_evidence"),
                      *(pl.col(c).alias(f"{c}_r") for c in COMPARED_FEATURES)),
        how="cross",
    ).filter(pl.col("_row") != pl.col("_other"))
    if pairs.is_empty():
        return linked.select("_row", why=pl.lit("no other mention of this person to compare with"))
    # The name's frequency is not stored; a name shared by 1 in 2,000 persons
    # is a typical Chinese full name, enough to show which fields carried it.
    pairs = pairs.with_columns(name_frequency=pl.lit(1 / 2000))
    scored = compare_pairs(pairs, prior_weight(everyone))
    parts = [
        pl.when(pl.col(f"{c}_level").is_not_null()).then(
            pl.format("{} {} ({} bits)", pl.lit(c), pl.col(f"{c}_level"), pl.col(f"{c}_weight").round(1))
        )
        for c in _COMPARISONS
    ]
    best = (
        scored.sort("match_weight", descending=True)
        .group_by("_row", maintain_order=True).first()
        .select(
            "_row",
            why=pl.concat_str(
                pl.lit("best agreement with a mention of evidence "), pl.col("_other_evidence"), pl.lit(": "),
                pl.concat_str(parts, separator="; ", ignore_nulls=True),
            ),
        )
    )
    return best


def explain_person(connection: WarehouseConnection, person_key: str, clear: bool = False) -> Explanation:
    """Gather one person's mentions and the reason each was linked.

    Args:
        connection: An open warehouse connection (reads ``identity``).
        person_key: The key to explain.
        clear: Show identity numbers, names and phones in clear (default masked).

    Returns:
        The :class:`Explanation`; its ``mentions`` is empty for an unknown key.
    """
    everyone = connection.scalar("select count(distinct person_key) from identity.person_mentions") or 2
    person = read_mentions(connection, person_key)
    why = _why(person, int(everyone))
    rows = person.join(why, on="_row", how="left").with_columns(
        why=pl.when(pl.col("evidence") == RULE_EVIDENCE)
        .then(pl.lit("valid identity number: key = HMAC of the number"))
        .when(pl.col("evidence").str.starts_with("new:"))
        .then(pl.lit("matched no one: a surrogate person of its own"))
        .otherwise(pl.col("why"))
    )
    if not clear:
        rows = rows.with_columns(
            pl.col("id_number").map_elements(mask_id_number, return_dtype=pl.Utf8),
            pl.col("name").map_elements(mask_name, return_dtype=pl.Utf8),
            pl.col("phone").map_elements(mask_phone, return_dtype=pl.Utf8),
        )
    rows = rows.select(*MENTION_COLUMNS, "id_number", "name", "phone", "evidence", "why").sort(
        "source_system", "source_entity", "batch_id", "record_key", "role", "position"
    )
    history = pl.DataFrame()
    if connection.table_exists("identity", "person_key_history"):
        history = connection.query(
            "select changed_at, change, from_key, to_key, mentions, reason from identity.person_key_history "
            "where from_key = :key or to_key = :key order by changed_at",
            {"key": person_key},
        )
    return Explanation(person_key, rows, history)
