"""Standardize housing rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.credit_codes import credit_code_issue, normalize_credit_code
from ingest.common.dates import parse_timestamp
from ingest.common.identity import id_number_issue, normalize_id_number
from ingest.common.names import normalize_person_name
from ingest.common.persons import combine_flags
from ingest.common.text import to_halfwidth

# 房屋用途 (use) as delivered -> warehouse code.
USES = {"住宅": "residential", "商业": "commercial", "办公": "office", "其他": "other"}


def clean_house_units(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean house units: codes, floor area, use, and whether the owner is a person or an organization.

    The owner column carries either a resident identity number or a social
    credit code; whichever validates decides the owner type.
    """
    owner = to_halfwidth(pl.col("owner_id_number")).str.replace_all(r"\s", "").str.to_uppercase()
    as_person = normalize_id_number(pl.col("owner_id_number"))
    as_org = normalize_credit_code(owner)
    person_ok = id_number_issue(as_person).is_null()
    org_ok = credit_code_issue(as_org).is_null()
    floor_area = to_halfwidth(pl.col("floor_area")).str.strip_chars().cast(pl.Float64, strict=False)
    return frame.with_columns(
        to_halfwidth(pl.col("unit_code")).str.strip_chars().alias("unit_code"),
        to_halfwidth(pl.col("division_code")).str.replace_all(r"\s", "").alias("division_code"),
        to_halfwidth(pl.col("estate_name")).str.strip_chars().alias("estate_name"),
        pl.col("building").str.strip_chars(),
        pl.col("entrance").str.strip_chars(),
        pl.col("floor").str.strip_chars().cast(pl.Int64, strict=False).alias("floor"),
        pl.col("room").str.strip_chars(),
        floor_area.alias("floor_area"),
        pl.col("use").str.strip_chars().replace_strict(USES, default="other", return_dtype=pl.Utf8).alias("use_code"),
        pl.when(person_ok).then(pl.lit("person"))
        .when(org_ok).then(pl.lit("organization"))
        .otherwise(pl.lit("unknown")).alias("owner_type"),
        pl.when(person_ok).then(as_person).alias("owner_id_number"),
        normalize_person_name(pl.col("owner_name")).alias("owner_name"),
        parse_timestamp(pl.col("updated_at")).alias("updated_at"),
        combine_flags(
            pl.when(pl.col("owner_id_number").is_not_null() & ~person_ok & ~org_ok).then(pl.lit("owner_id_unreadable")),
            pl.when(pl.col("floor_area").is_not_null() & floor_area.is_null()).then(pl.lit("floor_area_unreadable")),
        ).alias("quality_flags"),
    )
