"""Standardize justice roster rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.dates import date_issue, parse_date
from ingest.common.persons import combine_flags, identity_columns

# 状态 (status) as delivered -> warehouse code.
CORRECTION_STATUSES = {"在矫": "active", "解矫": "released"}


def clean_community_corrections(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean community-correction rows: identity, dates (Excel or text), status."""
    start, end = parse_date(pl.col("start_date")), parse_date(pl.col("end_date"))
    return frame.with_columns(*identity_columns()).with_columns(
        pl.col("serial_number").str.strip_chars(),
        pl.col("correction_type").str.strip_chars(),
        start.alias("start_date"),
        end.alias("end_date"),
        pl.col("justice_office").str.strip_chars(),
        pl.col("status").str.strip_chars().replace_strict(
            CORRECTION_STATUSES, default=None, return_dtype=pl.Utf8
        ).alias("status_code"),
        combine_flags(
            pl.col("person_flags"),
            pl.lit("start_date_") + date_issue(pl.col("start_date"), start),
            pl.lit("end_date_") + date_issue(pl.col("end_date"), end),
        ).alias("quality_flags"),
    )
