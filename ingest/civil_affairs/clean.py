"""Standardize civil-affairs records: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import parse_address
from ingest.common.amounts import amount_issue, parse_amount
from ingest.common.credit_codes import credit_code_issue, normalize_credit_code
from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.identity import gender_code_from_id
from ingest.common.names import normalize_org_name
from ingest.common.person_lists import count_invalid_ids, json_list, normalize_id_list, normalize_name_list
from ingest.common.persons import combine_flags, identity_columns
from ingest.common.text import to_halfwidth


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


# 登记类型 (regType) as delivered -> warehouse code.
REGISTRATION_TYPES = {"结婚": "marriage", "离婚": "divorce"}

# 低保状态 (status) as delivered -> warehouse code.
SUBSISTENCE_STATUSES = {"在保": "active", "停保": "stopped"}

# 社会组织类型 (orgType) as delivered -> warehouse code.
ORGANIZATION_TYPES = {"社会团体": "social_group", "民办非企业单位": "private_non_enterprise", "基金会": "foundation"}

# 登记状态 (status) as delivered -> warehouse code.
ORGANIZATION_STATUSES = {"正常": "active", "注销": "deregistered", "撤销": "revoked"}

# Fields of one member in subsistence `members` (source-systems.md section 2).
MEMBER_FIELDS = ("idNo", "name", "relation")


def _prefixed(flags: pl.Expr, prefix: str) -> pl.Expr:
    """Prefix every comma-separated flag, e.g. ``id_lowercase_x`` -> ``male_id_lowercase_x``."""
    return flags.str.replace_all(r"([^,]+)", f"{prefix}$1")


def _issue_flag(issue_column: str, prefix: str) -> pl.Expr:
    """Name an invalid identity number of one party, e.g. ``male_id_number_bad_check_character``."""
    return pl.lit(f"{prefix}id_number_") + pl.col(issue_column)


def _text(column: str) -> pl.Expr:
    return to_halfwidth(pl.col(column)).str.strip_chars().replace("", None)


def _address_columns(column: str, prefix: str) -> list[pl.Expr]:
    """District, street and community names of a parsed address struct column (never the flat)."""
    return [
        pl.col(column).struct.field("district").alias(f"{prefix}district"),
        pl.col(column).struct.field("street").alias(f"{prefix}street"),
        pl.col(column).struct.field("community").alias(f"{prefix}community"),
    ]


def clean_marriages(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean marriage and divorce registrations: both parties, the type and the date.

    A registration names two persons; an invalid identity number of one of
    them is flagged (``male_id_number_<issue>``), never a reason to drop the
    registration (the warning suite reports it).
    """
    registration_date = parse_date(pl.col("registration_date"))
    registration_type = _text("registration_type")
    return (
        frame.with_columns(
            *identity_columns("male_id_number", "male_name", prefix="male_"),
            *identity_columns("female_id_number", "female_name", prefix="female_"),
        )
        .with_columns(
            pl.col("registration_number").str.strip_chars().replace("", None),
            registration_type.alias("registration_type"),
            registration_type.replace_strict(REGISTRATION_TYPES, default=None, return_dtype=pl.Utf8)
            .alias("registration_type_code"),
            registration_date.alias("registration_date"),
            _text("office").alias("office"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
            combine_flags(
                _prefixed(pl.col("male_person_flags"), "male_"),
                _prefixed(pl.col("female_person_flags"), "female_"),
                _issue_flag("male_id_number_issue", "male_"),
                _issue_flag("female_id_number_issue", "female_"),
                # The sequence digit encodes the sex: a swapped pair of parties
                # or a mistyped number shows here.
                pl.when(gender_code_from_id(pl.col("male_id_number")) == "2").then(pl.lit("male_party_id_is_female")),
                pl.when(gender_code_from_id(pl.col("female_id_number")) == "1").then(pl.lit("female_party_id_is_male")),
                pl.lit("registration_date_") + date_issue(pl.col("registration_date"), registration_date),
            ).alias("quality_flags"),
        )
    )


def clean_subsistence_cases(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean subsistence-allowance cases: head, members, amount, dates, status.

    ``members`` is the API's JSON list of ``{idNo, name, relation}``; it
    becomes the aligned lists ``member_id_numbers`` and ``member_names`` (one
    ``member`` mention each, in delivered order) and clean keeps their count.
    A value that is not such a list is flagged ``members_unreadable`` and its
    count is null: the raw text keeps it for repair.
    """
    members = json_list(pl.col("members"), MEMBER_FIELDS)
    amount = parse_amount(pl.col("monthly_amount"))
    start, end = parse_date(pl.col("start_date")), parse_date(pl.col("end_date"))
    status = _text("status")
    return (
        frame.with_columns(
            members.alias("_members"),
            parse_address(pl.col("address")).alias("_address"),
        )
        .with_columns(
            *identity_columns("head_id_number", "head_name", prefix="head_"),
            normalize_id_list(pl.col("_members").list.eval(pl.element().struct.field("idNo"))).alias("member_id_numbers"),
            normalize_name_list(pl.col("_members").list.eval(pl.element().struct.field("name"))).alias("member_names"),
        )
        .with_columns(
            pl.col("case_number").str.strip_chars().replace("", None),
            pl.col("member_id_numbers").list.len().cast(pl.Int64).alias("member_count"),
            count_invalid_ids(pl.col("member_id_numbers")).alias("member_invalid_id_count"),
            *_address_columns("_address", "address_"),
            amount.alias("monthly_amount"),
            start.alias("start_date"),
            end.alias("end_date"),
            status.replace_strict(SUBSISTENCE_STATUSES, default=None, return_dtype=pl.Utf8).alias("status_code"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
            combine_flags(
                _prefixed(pl.col("head_person_flags"), "head_"),
                _issue_flag("head_id_number_issue", "head_"),
                pl.when(_text("members").is_not_null() & pl.col("_members").is_null()).then(pl.lit("members_unreadable")),
                pl.when(count_invalid_ids(pl.col("member_id_numbers")) > 0).then(pl.lit("member_id_number_invalid")),
                pl.lit("monthly_amount_") + amount_issue(pl.col("monthly_amount"), amount),
                pl.lit("start_date_") + date_issue(pl.col("start_date"), start),
                pl.lit("end_date_") + date_issue(pl.col("end_date"), end),
            ).alias("quality_flags"),
        )
    )


def clean_organizations(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean registered social organizations: credit code and its validity, type, status, legal representative.

    The credit code is the record key. A code that fails its check character
    is kept as delivered (normalized) and marked ``has_valid_credit_code`` =
    false: it still identifies the record in the civil-affairs system.
    """
    credit_code = normalize_credit_code(pl.col("credit_code"))
    founded = parse_date(pl.col("founded_date"))
    org_type = _text("org_type")
    return (
        frame.with_columns(
            credit_code.alias("credit_code"),
            credit_code_issue(credit_code).alias("credit_code_issue"),
            parse_address(pl.col("address")).alias("_address"),
            *identity_columns("legal_representative_id_number", "legal_representative_name", prefix="legal_representative_"),
        )
        .with_columns(
            pl.col("credit_code_issue").is_null().alias("has_valid_credit_code"),
            normalize_org_name(pl.col("org_name")).alias("org_name"),
            org_type.alias("org_type"),
            org_type.replace_strict(ORGANIZATION_TYPES, default=None, return_dtype=pl.Utf8).alias("org_type_code"),
            *_address_columns("_address", "address_"),
            founded.alias("founded_date"),
            _text("status").replace_strict(ORGANIZATION_STATUSES, default=None, return_dtype=pl.Utf8).alias("status_code"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
            combine_flags(
                pl.lit("credit_code_") + pl.col("credit_code_issue"),
                _prefixed(pl.col("legal_representative_person_flags"), "legal_representative_"),
                _issue_flag("legal_representative_id_number_issue", "legal_representative_"),
                pl.lit("founded_date_") + date_issue(pl.col("founded_date"), founded),
            ).alias("quality_flags"),
        )
    )
