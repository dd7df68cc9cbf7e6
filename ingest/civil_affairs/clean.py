"""Standardize civil-affairs records: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.persons import combine_flags, identity_columns


def clean_deaths(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean death registrations: canonical identity number, name, death date."""
    death_date = parse_date(pl.col("death_date"))
    return frame.with_columns(*identity_columns()).with_columns(
        pl.col("record_number").str.strip_chars(),
        death_date.alias("death_date"),
        parse_timestamp(pl.col("updated_at")).alias("updated_at"),
        combine_flags(
            pl.col("person_flags"),
            pl.lit("death_date_") + date_issue(pl.col("death_date"), death_date),
        ).alias("quality_flags"),
    )
