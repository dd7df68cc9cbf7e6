"""Standardize the person fields every department delivers: identity number and name.

Four departments spell the same person four ways; the expressions here are the
one place that says how an identity number and a name are cleaned, so every
``clean.py`` treats them alike.
"""

from __future__ import annotations

import polars as pl

from ingest.common.identity import id_number_issue, id_number_repairs, normalize_id_number
from ingest.common.names import name_repairs, normalize_person_name


def identity_columns(id_column: str = "id_number", name_column: str = "name", *, prefix: str = "") -> list[pl.Expr]:
    """Return expressions that clean a person's identity number and name in place.

    Adds ``<prefix>id_number_issue`` (null when valid) and ``<prefix>person_flags``
    (what was repaired), and replaces the two columns with their canonical forms.
    """
    raw_id, raw_name = pl.col(id_column), pl.col(name_column)
    canonical = normalize_id_number(raw_id)
    return [
        canonical.alias(id_column),
        id_number_issue(canonical).alias(f"{prefix}id_number_issue"),
        combine_flags(
            id_number_repairs(raw_id).str.replace_all(r"([^,]+)", r"id_$1"),
            name_repairs(raw_name).str.replace_all(r"([^,]+)", r"name_$1"),
        ).alias(f"{prefix}person_flags"),
        normalize_person_name(raw_name).alias(name_column),
    ]


def combine_flags(*flags: pl.Expr) -> pl.Expr:
    """Join comma-separated flag columns, skipping nulls; null when there are none."""
    joined = pl.concat_str(list(flags), separator=",", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)
