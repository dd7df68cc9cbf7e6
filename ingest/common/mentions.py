"""Mentions: every appearance of a person in a loaded record (shared-model.md, identity).

A mention is keyed by its record (source system, entity, batch, record key),
its role and its 1-based position, and carries the cleaned clear identifiers
(restricted ``identity`` schema only) with the key resolved so far and the
evidence for it. Only a valid identity number is keyed here; entity
resolution decides the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from ingest.common.identity import id_number_issue
from ingest.common.keys import person_key
from ingest.common.warehouse import WarehouseConnection


@dataclass(frozen=True)
class PersonMention:
    """Where a dataset mentions a person (source-systems.md section 6).

    A record can mention several persons in one role (a rental's tenants, a
    mediation's parties): then ``many`` is true, the id, name and phone columns
    are aligned lists after cleaning, and each element is one mention whose
    position is its 1-based place in the list.

    Only a valid identity number is keyed: a mention whose number is missing or
    invalid is still written to ``identity.person_mentions`` (with its name or
    phone, ``person_key`` null and evidence ``unresolved``), because entity
    resolution, not the gate, decides who such a person is.

    Attributes:
        role: the person's role in the record (``resident``, ``deceased``, ``owner`` ...).
        id_column: the cleaned identity-number column (a list column when ``many``).
        name_column: the normalized name column (a list column when ``many``);
            ``None`` when the source names no one (police incidents list ids only).
        key_column: the clean-table column that receives the ``person_key``
            (single mentions only; list mentions live in identity.person_mentions).
        applies: rows where this mention exists (e.g. owners that are persons).
        many: whether the columns hold lists of persons.
        phone_column: the normalized phone column, if the source gives one
            (a list column when ``many``).
    """

    role: str
    id_column: str
    name_column: str | None
    key_column: str | None = None
    applies: pl.Expr | None = None
    many: bool = False
    phone_column: str | None = None



def valid_person_key(id_numbers: pl.Expr, secret: bytes) -> pl.Expr:
    """Key canonical identity numbers that pass every check; null for the others.

    A number that fails its check character or birth date could belong to
    several real people: keying it would invent a person.
    """
    return person_key(pl.when(id_number_issue(id_numbers).is_null()).then(id_numbers), secret)


def _optional(column: str | None) -> pl.Expr:
    return pl.col(column) if column is not None else pl.lit(None, dtype=pl.Utf8)


def _mention_rows(passed: pl.DataFrame, mention: PersonMention, secret: bytes) -> pl.DataFrame:
    """Return one row per mentioned person: record key, position, id, name, phone, key."""
    if not mention.many:
        return passed.select(
            pl.col("_batch_id"), pl.col("_record_key"),
            pl.lit(1, dtype=pl.Int64).alias("position"),
            pl.col(mention.id_column).alias("id_number"),
            _optional(mention.name_column).cast(pl.Utf8).alias("name"),
            _optional(mention.phone_column).cast(pl.Utf8).alias("phone"),
            pl.col(mention.key_column).alias("person_key"),
        )
    # The cleaner aligns the lists: element i of each is the i-th person.
    lists = {"id_number": mention.id_column, "name": mention.name_column, "phone": mention.phone_column}
    present = [alias for alias, column in lists.items() if column is not None]
    exploded = (
        passed.select(
            pl.col("_batch_id"), pl.col("_record_key"),
            *(pl.col(lists[alias]).alias(alias) for alias in present),
            pl.col(mention.id_column).list.len().alias("_count"),
        )
        .with_columns(pl.int_ranges(1, pl.col("_count") + 1, dtype=pl.Int64).alias("position"))
        .explode(*present, "position")
        .drop("_count")
        .filter(pl.col("position").is_not_null())
    )
    exploded = exploded.with_columns(
        *(pl.lit(None, dtype=pl.Utf8).alias(alias) for alias in lists if alias not in present)
    )
    return exploded.with_columns(
        pl.col("id_number").cast(pl.Utf8), pl.col("name").cast(pl.Utf8), pl.col("phone").cast(pl.Utf8),
    ).with_columns(valid_person_key(pl.col("id_number"), secret).alias("person_key"))


def write_person_mentions(
    connection: WarehouseConnection,
    source_system: str,
    source_entity: str,
    record_key: str,
    mentions: tuple[PersonMention, ...],
    passed: pl.DataFrame,
    extracted_at: datetime,
    secret: bytes,
) -> None:
    """Append one ``identity.person_mentions`` row per person each loaded record mentions."""
    parts = []
    passed = passed.with_columns(pl.col(record_key).cast(pl.Utf8).alias("_record_key"))
    for mention in mentions:
        rows = passed if mention.applies is None else passed.filter(mention.applies)
        mentioned = _mention_rows(rows, mention, secret).filter(
            # A role the record leaves empty (no landlord given) mentions no one.
            pl.any_horizontal(pl.col(column).is_not_null() for column in ("id_number", "name", "phone"))
        )
        parts.append(
            mentioned.select(
                pl.lit(source_system).alias("source_system"),
                pl.lit(source_entity).alias("source_entity"),
                pl.col("_batch_id").alias("batch_id"),
                pl.col("_record_key").alias("record_key"),
                pl.lit(mention.role).alias("role"),
                pl.col("position"),
                pl.col("id_number"),
                pl.col("name"),
                pl.col("phone"),
                pl.col("person_key"),
                pl.when(pl.col("person_key").is_not_null())
                .then(pl.lit("rule:id_number"))
                .otherwise(pl.lit("unresolved"))
                .alias("evidence"),
                pl.lit(extracted_at).cast(pl.Datetime("us")).alias("_extracted_at"),
            )
        )
    if parts:
        connection.append("identity", "person_mentions", pl.concat(parts))
