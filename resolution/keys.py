"""Stable person keys for persons without a valid identity number.

A person with a valid number is keyed by HMAC of the number (ingest). A
person known only from mentions without one gets a *surrogate*: 32 hex
characters like the HMAC keys, drawn from SHA-256 over a namespace string that
no identity number can be (``sharehouse:person-surrogate:v1:`` + the first
mention's key), and checked against every key in use before it is handed out,
so a surrogate never equals a person's HMAC key.

Surrogates are remembered per mention in ``identity.person_surrogates``.
Each run, a cluster of mentions keeps the surrogate most of its members held
before; when new evidence joins clusters that held different surrogates, the
others are *merged* into it; when a surrogate's mentions now fall into
several clusters, the largest part keeps it and the rest are *split* off; when
a cluster turns out to belong to a keyed person, its surrogate is merged into
the HMAC key. Each such change is a row of ``identity.person_key_history``. A
rerun on the same data changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime

import polars as pl

__all__ = ["MENTION_COLUMNS", "SURROGATE_NAMESPACE", "assign_keys", "surrogate_key"]

MENTION_COLUMNS = ("source_system", "source_entity", "batch_id", "record_key", "role", "position")
#: Prefix hashed before a surrogate's seed; an identity number is 18 characters
#: of digits and X, so no HMAC input can share it.
SURROGATE_NAMESPACE = "sharehouse:person-surrogate:v1:"


def surrogate_key(seed: str, attempt: int = 0) -> str:
    """Return the 32-hex surrogate for a seed (a mention's key), or its ``attempt``-th alternative."""
    text = SURROGATE_NAMESPACE + seed + (f"#{attempt}" if attempt else "")
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _mention_seed() -> pl.Expr:
    return pl.concat_str([pl.col(c).cast(pl.Utf8) for c in MENTION_COLUMNS], separator="\x1f")


def assign_keys(
    clusters: pl.DataFrame,
    previous: pl.DataFrame,
    keys_in_use: Callable[[list[str]], Iterable[str]],
    now: datetime,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give every cluster of unkeyed mentions a stable key and record what changed.

    Args:
        clusters: One row per mention resolved this run without a valid number:
            :data:`MENTION_COLUMNS`, ``person_key`` (the keyed person it was
            linked to, or null) and ``cluster`` (an id shared by the mentions of
            one surrogate person; ignored where ``person_key`` is set).
        previous: ``identity.person_surrogates`` as it stands (mention columns,
            ``person_key``, ``assigned_at``).
        keys_in_use: Given candidate surrogates, returns those that are HMAC
            person keys in the mentions (a new surrogate must not equal one),
            e.g. ``{key, ...}.intersection``. Asked once for all first
            candidates, again only after a collision, so that the keys of a
            million persons need not be read.
        now: The time of this run.

    Returns:
        ``(assigned, history)``: ``assigned`` has the mention columns,
        ``person_key``, ``is_new_surrogate`` and, for surrogate mentions,
        ``assigned_at``; ``history`` has the rows for ``identity.person_key_history``.
    """
    keys = list(MENTION_COLUMNS)
    previous = previous.select(*keys, pl.col("person_key").alias("previous_key"), "assigned_at")
    frame = clusters.join(previous, on=keys, how="left", maintain_order="left").with_columns(
        _seed=_mention_seed()
    )
    surrogate_rows = frame.filter(pl.col("person_key").is_null())

    # Greedy: the (cluster, previous surrogate) pairs sharing most mentions first,
    # each cluster and each surrogate used once.
    claims = (
        surrogate_rows.filter(pl.col("previous_key").is_not_null())
        .group_by("cluster", "previous_key").len()
        .sort(["len", "previous_key", "cluster"], descending=[True, False, False])
    )
    kept: dict = {}
    taken: set[str] = set()
    for cluster, key, _ in claims.iter_rows():
        if cluster not in kept and key not in taken:
            kept[cluster] = key
            taken.add(key)
    used = set(previous["previous_key"].drop_nulls().to_list())
    seeds = surrogate_rows.group_by("cluster").agg(pl.col("_seed").min()).sort("cluster")
    seeds = [(cluster, seed) for cluster, seed in seeds.iter_rows() if cluster not in kept]
    hmac_keys = set(keys_in_use([surrogate_key(seed) for _, seed in seeds]))
    minted: dict = {}
    for cluster, seed in seeds:
        attempt = 0
        key = surrogate_key(seed)
        while key in used or key in hmac_keys:
            attempt += 1
            key = surrogate_key(seed, attempt)
            hmac_keys |= set(keys_in_use([key]))
        used.add(key)
        minted[cluster] = key
    cluster_keys = pl.DataFrame(
        {
            "cluster": [*kept, *minted],
            "_surrogate": [*kept.values(), *minted.values()],
            "is_new_surrogate": [False] * len(kept) + [True] * len(minted),
        },
        schema_overrides={"cluster": frame.schema["cluster"]},
    )
    frame = frame.join(cluster_keys, on="cluster", how="left", maintain_order="left").with_columns(
        is_new_surrogate=pl.col("person_key").is_null() & pl.col("is_new_surrogate").fill_null(False),
        person_key=pl.coalesce("person_key", "_surrogate"),
    ).with_columns(
        assigned_at=pl.when(pl.col("person_key") == pl.col("previous_key"))
        .then(pl.col("assigned_at"))
        .otherwise(pl.lit(now).cast(pl.Datetime("us"))),
    )

    # Where every previous surrogate's mentions went.
    moves = (
        frame.filter(pl.col("previous_key").is_not_null() & (pl.col("previous_key") != pl.col("person_key")))
        .group_by("previous_key", "person_key").len("mentions")
        .sort("previous_key", "person_key")
    )
    # A mention that linkage gave a person_key was linked to a keyed person.
    keyed = clusters["person_key"].drop_nulls().unique()
    history = moves.with_columns(
        changed_at=pl.lit(now).cast(pl.Datetime("us")),
        change=pl.when(pl.col("previous_key").is_in(list(taken))).then(pl.lit("split")).otherwise(pl.lit("merge")),
        reason=pl.when(pl.col("previous_key").is_in(list(taken)))
        .then(pl.lit("some of its mentions matched another person better"))
        .when(pl.col("person_key").is_in(keyed.implode()))
        .then(pl.lit("linked to a person with a valid identity number"))
        .otherwise(pl.lit("new evidence joined it to another surrogate person")),
    ).select("changed_at", "change", pl.col("previous_key").alias("from_key"),
             pl.col("person_key").alias("to_key"), pl.col("mentions").cast(pl.Int64), "reason")
    assigned = frame.select(*keys, "person_key", "is_new_surrogate", "assigned_at")
    return assigned, history
