"""Standardize housing rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import address_match_key, parse_address
from ingest.common.amounts import amount_issue, parse_amount
from ingest.common.credit_codes import credit_code_issue, normalize_credit_code
from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.identity import id_number_issue, normalize_id_number
from ingest.common.names import normalize_person_name
from ingest.common.person_lists import (
    aligned,
    count_invalid_ids,
    count_missing_ids,
    normalize_id_list,
    normalize_name_list,
    split_list,
)
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
    # Each candidate reading of the owner number is computed once, as a
    # column, and read by the expressions below (see ingest/common/text.py).
    person_ok, org_ok = pl.col("_owner_is_person"), pl.col("_owner_is_org")
    as_person, as_org = pl.col("_owner_as_person"), pl.col("_owner_as_org")
    floor_area = to_halfwidth(pl.col("floor_area")).str.strip_chars().cast(pl.Float64, strict=False)
    return (
        frame.with_columns(
            normalize_id_number(pl.col("owner_id_number")).alias("_owner_as_person"),
            normalize_credit_code(owner).alias("_owner_as_org"),
        )
        .with_columns(
            id_number_issue(as_person).is_null().alias("_owner_is_person"),
            credit_code_issue(as_org).is_null().alias("_owner_is_org"),
        )
        .with_columns(
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
            # Kept for the owner's organization mention (identity.org_mentions), not for clean.
            pl.when(~person_ok).then(as_org).alias("owner_credit_code"),
            normalize_person_name(pl.col("owner_name")).alias("owner_name"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
            combine_flags(
                pl.when(pl.col("owner_id_number").is_not_null() & ~person_ok & ~org_ok).then(pl.lit("owner_id_unreadable")),
                pl.when(pl.col("floor_area").is_not_null() & floor_area.is_null()).then(pl.lit("floor_area_unreadable")),
            ).alias("quality_flags"),
        )
        .drop("_owner_as_person", "_owner_as_org", "_owner_is_person", "_owner_is_org")
    )


# Separators between the tenants of one rental (承租人证件号, 承租人姓名): the
# contract's ; and what clerks type instead.
TENANT_SEPARATORS = ";,、"


def clean_rental_registrations(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean rental registrations: the unit (by code or address), landlord, tenants, dates, rent.

    The tenants' identity numbers and names arrive as two ``;``-separated
    lists; they become the aligned lists ``tenant_id_numbers`` and
    ``tenant_names`` (one ``tenant`` mention each, in delivered order), padded
    to the longer of the two when their lengths differ (flagged
    ``tenant_lists_misaligned``). A tenant or landlord without a valid number
    is flagged, not dropped: the registration still records a tenancy.

    The landlord may be a person or an organization (a credit code). Without
    a unit code only the address identifies the unit: clean keeps its district,
    street and community names and its match key, never the text.
    """
    landlord = to_halfwidth(pl.col("landlord_id_number")).str.replace_all(r"\s", "").str.to_uppercase()
    # Each candidate reading of the landlord number is computed once, as a column.
    as_person, as_org = pl.col("_landlord_as_person"), pl.col("_landlord_as_org")
    person_ok, org_ok = pl.col("landlord_id_number_issue").is_null(), pl.col("_landlord_is_org")
    rent = parse_amount(pl.col("monthly_rent"))
    start, end = parse_date(pl.col("start_date")), parse_date(pl.col("end_date"))
    registered = parse_date(pl.col("registered_date"))
    return (
        frame.with_columns(
            normalize_id_number(pl.col("landlord_id_number")).alias("_landlord_as_person"),
            normalize_credit_code(landlord).alias("_landlord_as_org"),
        )
        .with_columns(
            id_number_issue(as_person).alias("landlord_id_number_issue"),
            credit_code_issue(as_org).is_null().alias("_landlord_is_org"),
        )
        .with_columns(
            parse_address(pl.col("address")).alias("_address"),
            normalize_id_list(split_list(pl.col("tenant_id_numbers"), TENANT_SEPARATORS)).alias("_tenant_ids"),
            normalize_name_list(split_list(pl.col("tenant_names"), TENANT_SEPARATORS)).alias("_tenant_names"),
            pl.when(person_ok).then(pl.lit("person"))
            .when(org_ok).then(pl.lit("organization"))
            .otherwise(pl.lit("unknown")).alias("landlord_type"),
            pl.when(~org_ok | person_ok).then(as_person).alias("landlord_id_number"),
            normalize_person_name(pl.col("landlord_name")).alias("landlord_name"),
        )
        .with_columns(
            pl.max_horizontal(pl.col("_tenant_ids").list.len(), pl.col("_tenant_names").list.len())
            .cast(pl.Int64).alias("tenant_count"),
        )
        .with_columns(
            aligned(pl.col("_tenant_ids"), pl.col("tenant_count")).alias("tenant_id_numbers"),
            aligned(pl.col("_tenant_names"), pl.col("tenant_count")).alias("tenant_names"),
        )
        .with_columns(
            pl.col("registration_number").str.strip_chars().replace("", None),
            to_halfwidth(pl.col("unit_code")).str.strip_chars().replace("", None).alias("unit_code"),
            pl.col("_address").struct.field("district").alias("address_district"),
            pl.col("_address").struct.field("street").alias("address_street"),
            pl.col("_address").struct.field("community").alias("address_community"),
            count_invalid_ids(pl.col("tenant_id_numbers")).alias("tenant_invalid_id_count"),
            count_missing_ids(pl.col("tenant_id_numbers")).alias("tenant_missing_id_count"),
            start.alias("start_date"),
            end.alias("end_date"),
            rent.alias("monthly_rent"),
            to_halfwidth(pl.col("rental_use")).str.strip_chars().replace("", None).alias("rental_use"),
            registered.alias("registered_date"),
            combine_flags(
                pl.lit("monthly_rent_") + amount_issue(pl.col("monthly_rent"), rent),
                pl.lit("start_date_") + date_issue(pl.col("start_date"), start),
                pl.lit("registered_date_") + date_issue(pl.col("registered_date"), registered),
            ).alias("_value_flags"),
        )
        .with_columns(
            pl.coalesce(pl.col("unit_code"), address_match_key(pl.col("_address"))).alias("unit_reference"),
            combine_flags(
                pl.when(pl.col("landlord_type") == "unknown").then(
                    pl.lit("landlord_id_number_") + pl.col("landlord_id_number_issue")
                ),
                pl.when(pl.col("tenant_invalid_id_count") > 0).then(pl.lit("tenant_id_number_invalid")),
                pl.when(pl.col("tenant_missing_id_count") > 0).then(pl.lit("tenant_id_number_missing")),
                pl.when(
                    (pl.col("_tenant_ids").list.len() != pl.col("_tenant_names").list.len())
                    & (pl.col("_tenant_ids").list.len() > 0)
                    & (pl.col("_tenant_names").list.len() > 0)
                ).then(pl.lit("tenant_lists_misaligned")),
                pl.when(pl.col("unit_code").is_null()).then(pl.lit("unit_code_missing")),
                pl.col("_value_flags"),
                pl.when(pl.col("end_date") < pl.col("start_date")).then(pl.lit("end_date_before_start_date")),
            ).alias("quality_flags"),
        )
        .drop("_landlord_as_person", "_landlord_as_org", "_landlord_is_org")
    )
