"""Standardize police rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.genders import normalize_gender_code
from ingest.common.identity import birth_date_from_id, gender_code_from_id
from ingest.common.persons import combine_flags, identity_columns
from ingest.common.text import to_halfwidth

# 注销原因 (deregistration reason) as delivered -> warehouse code.
DEREGISTRATION_REASONS = {"死亡": "death", "迁出": "moved_out"}


def clean_household_residents(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean HJRK rows: canonical identity numbers, names, gender codes and dates.

    Birth date and gender come from the delivered columns; where those are
    missing or unreadable they are taken from the identity number, which
    encodes both, and the row is flagged.
    """
    delivered_birth = parse_date(pl.col("birth_date"))
    delivered_gender = normalize_gender_code(pl.col("gender_code"))
    registered = parse_date(pl.col("registered_date"))
    deregistered = parse_date(pl.col("deregistered_date"))
    return frame.with_columns(*identity_columns()).with_columns(
        pl.coalesce(delivered_birth, birth_date_from_id(pl.col("id_number"))).alias("birth_date"),
        pl.coalesce(delivered_gender, gender_code_from_id(pl.col("id_number"))).alias("gender_code"),
        registered.alias("registered_date"),
        deregistered.alias("deregistered_date"),
        parse_timestamp(pl.col("updated_at")).alias("updated_at"),
        to_halfwidth(pl.col("division_code")).str.replace_all(r"\s", "").alias("division_code"),
        pl.col("household_number").str.strip_chars(),
        pl.col("relation_code").str.strip_chars(),
        pl.col("deregistration_reason").str.strip_chars().replace_strict(
            DEREGISTRATION_REASONS, default=None, return_dtype=pl.Utf8
        ).alias("deregistration_reason_code"),
        combine_flags(
            pl.col("person_flags"),
            pl.when(delivered_birth.is_null()).then(pl.lit("birth_date_from_id_number")),
            pl.lit("birth_date_") + date_issue(pl.col("birth_date"), delivered_birth),
            pl.lit("registered_date_") + date_issue(pl.col("registered_date"), registered),
            pl.lit("deregistered_date_") + date_issue(pl.col("deregistered_date"), deregistered),
        ).alias("quality_flags"),
    )
