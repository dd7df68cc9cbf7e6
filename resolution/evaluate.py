"""Measure entity resolution against the simulator's truth (``sharehouse evaluate``).

Reads the resolved mention tables of the restricted ``identity`` schema and
the simulator's ``truth/*_mentions.csv`` and reports, for persons, house
units and organizations, pairwise precision, recall and F1
(``resolution.pairwise``), plus how well persons' addresses are linked to
units:

* ``address_linked_share``: of the persons' address mentions in the city
  (roles ``registered_at`` and ``lives_at``) that the warehouse loaded, the
  share linked to the right unit;
* ``address_link_precision``: of those linked to a unit at all, the share
  linked to the right one.

"The right unit" is judged without the key secret: each resolved
``unit_key`` stands for the true unit most of its mentions belong to, and a
mention is right when that is its own true unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ingest.common.credit_codes import normalize_credit_code
from ingest.common.warehouse import WarehouseConnection
from resolution.pairwise import MENTION_KEY, pairwise_scores, truth_mentions, warehouse_mention_keys

__all__ = ["ADDRESS_ROLES", "EntityScores", "address_links", "evaluate", "format_report"]

#: Roles of unit mentions that are a person's address.
ADDRESS_ROLES = ("registered_at", "lives_at")

# entity -> (identity table, key column, truth file, truth entity column)
_ENTITIES = {
    "persons": ("person_mentions", "person_key", "person_mentions.csv", "person_id"),
    "units": ("unit_mentions", "unit_key", "unit_mentions.csv", "unit_code"),
    "organizations": ("org_mentions", "org_key", "organization_mentions.csv", "organization_id"),
}
# Records keyed by a code the cleaner normalizes (the civil-affairs registry's
# creditCode): the truth holds it as delivered, the warehouse normalized.
_NORMALIZED_KEYS = {("civil_affairs", "organizations"): normalize_credit_code}


@dataclass(frozen=True)
class EntityScores:
    """Pairwise scores of one entity kind (see ``resolution.pairwise.pairwise_scores``)."""

    entity: str
    scores: dict


def _normalize_truth_keys(truth: pl.DataFrame) -> pl.DataFrame:
    for (system, entity), normalize in _NORMALIZED_KEYS.items():
        selected = (pl.col("source_system") == system) & (pl.col("source_entity") == entity)
        truth = truth.with_columns(
            pl.when(selected).then(normalize(pl.col("record_key"))).otherwise(pl.col("record_key")).alias("record_key")
        )
    return truth


def _truth(truth_dir: Path, name: str) -> pl.DataFrame:
    _, _, file, column = _ENTITIES[name]
    return _normalize_truth_keys(truth_mentions(Path(truth_dir) / file, column))


def _predicted(connection: WarehouseConnection, name: str) -> pl.DataFrame:
    table, key, _, _ = _ENTITIES[name]
    if not connection.table_exists("identity", table):
        return pl.DataFrame(schema={**{c: pl.Utf8 for c in MENTION_KEY}, "position": pl.Int64, "entity": pl.Utf8})
    rows = connection.query(
        f"select source_system, source_entity, batch_id, record_key, role, position, {key} from identity.{table}"
    )
    # A record loaded in two batches (a correction) is one mention of the truth.
    return warehouse_mention_keys(rows, key).unique(subset=list(MENTION_KEY), keep="first")


def address_links(pred: pl.DataFrame, truth: pl.DataFrame) -> dict:
    """Score persons' address mentions: share linked to the right unit, and the link's precision.

    Args:
        pred: Resolved unit mentions (mention key + ``entity`` = unit_key).
        truth: True unit mentions (mention key + ``entity`` = unit code).

    Returns:
        ``addresses`` (scored), ``linked``, ``right``, ``address_linked_share``,
        ``address_link_precision``.
    """
    keys = list(MENTION_KEY)
    joined = pred.join(truth.rename({"entity": "actual"}), on=keys, how="inner")
    # Each predicted unit stands for the true unit most of its mentions name.
    majority = (
        joined.filter(pl.col("entity").is_not_null())
        .group_by("entity", "actual").len()
        .sort("len", "actual", descending=[True, False])
        .unique(subset=["entity"], keep="first")
        .select("entity", pl.col("actual").alias("_stands_for"))
    )
    addresses = joined.filter(pl.col("role").is_in(ADDRESS_ROLES)).join(majority, on="entity", how="left")
    linked = addresses.filter(pl.col("entity").is_not_null())
    right = linked.filter(pl.col("_stands_for") == pl.col("actual")).height
    return {
        "addresses": addresses.height,
        "linked": linked.height,
        "right": right,
        "address_linked_share": right / addresses.height if addresses.height else 1.0,
        "address_link_precision": right / linked.height if linked.height else 1.0,
    }


def evaluate(connection: WarehouseConnection, truth_dir: Path) -> dict:
    """Score persons, units and organizations of a warehouse against a truth folder.

    Args:
        connection: The warehouse (reads ``identity``).
        truth_dir: The simulator's ``truth/`` folder.

    Returns:
        ``{"persons": scores, "units": scores, "organizations": scores,
        "addresses": address_links(...)}``.
    """
    report: dict = {}
    for name in _ENTITIES:
        pred, truth = _predicted(connection, name), _truth(truth_dir, name)
        report[name] = pairwise_scores(pred, truth)
        if name == "units":
            report["addresses"] = address_links(pred, truth)
    return report


def format_report(report: dict) -> str:
    """Write the report as the lines ``sharehouse evaluate`` prints."""
    lines = [f"{'entity':<14} {'precision':>10} {'recall':>10} {'f1':>10} {'mentions':>10} {'true pairs':>12}"]
    for name in _ENTITIES:
        s = report[name]
        lines.append(
            f"{name:<14} {s['precision']:>10.5f} {s['recall']:>10.5f} {s['f1']:>10.5f} {s['mentions']:>10,} {s['true_pairs']:>12,}"
        )
    a = report["addresses"]
    lines.append(
        f"persons' city addresses linked to the right unit: {a['address_linked_share']:.4%} "
        f"({a['right']:,} of {a['addresses']:,}); link precision {a['address_link_precision']:.5f} "
        f"({a['right']:,} of {a['linked']:,} linked)"
    )
    return "\n".join(lines)
