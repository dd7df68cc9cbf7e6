"""Normalize gender codes to GB/T 2261.1 (``1`` male, ``2`` female, ``0`` unknown, ``9`` not stated)."""

from __future__ import annotations

import polars as pl

from ingest.common.text import to_halfwidth

# Some deliveries use the words instead of the codes (source-systems.md section 0).
GENDER_WORDS = {"男": "1", "女": "2", "未知": "0", "未说明": "9"}
GENDER_CODES = ("1", "2", "0", "9")


def normalize_gender_code(expr: pl.Expr) -> pl.Expr:
    """Return the GB/T 2261.1 code for a delivered gender code or word; null if unreadable."""
    value = to_halfwidth(expr).str.strip_chars().replace(GENDER_WORDS)
    return pl.when(value.is_in(GENDER_CODES)).then(value).otherwise(None)
