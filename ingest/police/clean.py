"""Standardize police rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import address_match_key, address_province, parse_address
from ingest.common.dates import date_issue, parse_date, parse_timestamp
from ingest.common.genders import normalize_gender_code
from ingest.common.identity import birth_date_from_id, gender_code_from_id
from ingest.common.names import normalize_org_name
from ingest.common.person_lists import count_invalid_ids, normalize_id_list, split_list
from ingest.common.persons import combine_flags, identity_columns
from ingest.common.phones import normalize_phone, phone_issue
from ingest.common.text import to_halfwidth

# 注销原因 (deregistration reason) as delivered -> warehouse code.
DEREGISTRATION_REASONS = {"死亡": "death", "迁出": "moved_out"}

# 居住事由 (JZSY, reason for residence) as delivered -> warehouse code.
RESIDENCE_REASONS = {"务工": "work", "经商": "business", "求学": "study", "投亲": "family", "其他": "other"}

# 警情类别代码 (JQLBDM) -> readable category (source-systems.md section 1).
INCIDENT_CATEGORIES = {
    "01": "criminal", "02": "public_order", "03": "dispute", "04": "traffic",
    "05": "fire", "06": "help_request", "99": "other",
}  # fmt: skip

# 处置结果 (CZJG) as delivered -> warehouse code.
INCIDENT_OUTCOMES = {"已处理": "handled", "处理中": "in_progress", "移交": "transferred"}


def clean_household_residents(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean HJRK rows: canonical identity numbers, names, gender codes and dates.

    Birth date and gender come from the delivered columns; where those are
    missing or unreadable they are taken from the identity number, which
    encodes both, and the row is flagged.
    """
    # Each parsed date is a column, read by the expressions that need it
    # (see ingest/common/text.py on sub-expressions evaluated per reference).
    delivered_birth, registered, deregistered = (
        pl.col("_birth_date"), pl.col("_registered_date"), pl.col("_deregistered_date")
    )
    delivered_gender = normalize_gender_code(pl.col("gender_code"))
    return (
        frame.with_columns(
            *identity_columns(),
            normalize_phone(pl.col("phone")).alias("phone"),
            parse_date(pl.col("birth_date")).alias("_birth_date"),
            parse_date(pl.col("registered_date")).alias("_registered_date"),
            parse_date(pl.col("deregistered_date")).alias("_deregistered_date"),
        )
        .with_columns(
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
        .drop("_birth_date", "_registered_date", "_deregistered_date")
    )


def clean_floating_residents(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean LDRK rows: identity, permit dates, where in the city the person lives, why, and for whom.

    The current address (XZZ) is personal: clean keeps only its district,
    street and community names, never the text or the flat (the unit mention
    in the identity schema holds those). The address of origin keeps only
    its province. The employer or school (FWCS) is an organization name,
    normalized for the organization mention it becomes.
    """
    # Each parsed date is a column, read by the expressions that need it.
    delivered_birth, registered, valid_until = pl.col("_birth_date"), pl.col("_registered_date"), pl.col("_valid_until")
    delivered_gender = normalize_gender_code(pl.col("gender_code"))
    reason = to_halfwidth(pl.col("residence_reason")).str.strip_chars()
    phone = normalize_phone(pl.col("phone"))
    return (
        frame.with_columns(
            parse_address(pl.col("current_address")).alias("_current"),
            phone_issue(pl.col("phone"), phone).alias("_phone_issue"),
            parse_date(pl.col("birth_date")).alias("_birth_date"),
            parse_date(pl.col("registered_date")).alias("_registered_date"),
            parse_date(pl.col("valid_until")).alias("_valid_until"),
        )
        .with_columns(
            *identity_columns(),
            phone.alias("phone"),
            date_issue(pl.col("valid_until"), valid_until).alias("_valid_until_issue"),
        )
        .with_columns(
            pl.coalesce(delivered_birth, birth_date_from_id(pl.col("id_number"))).alias("birth_date"),
            pl.coalesce(delivered_gender, gender_code_from_id(pl.col("id_number"))).alias("gender_code"),
            registered.alias("registered_date"),
            valid_until.alias("valid_until_date"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
            pl.col("_current").struct.field("district").alias("current_district"),
            pl.col("_current").struct.field("street").alias("current_street"),
            pl.col("_current").struct.field("community").alias("current_community"),
            address_province(pl.col("origin_address")).alias("origin_province"),
            reason.replace("", None).alias("residence_reason"),
            reason.replace_strict(RESIDENCE_REASONS, default=None, return_dtype=pl.Utf8).alias("residence_reason_code"),
            normalize_org_name(pl.col("employer_name")).alias("employer_name"),
            combine_flags(
                pl.col("person_flags"),
                pl.when(delivered_birth.is_null()).then(pl.lit("birth_date_from_id_number")),
                pl.lit("birth_date_") + date_issue(pl.col("birth_date"), delivered_birth),
                pl.lit("registered_date_") + date_issue(pl.col("registered_date"), registered),
                # A permit runs into the future by design: only its form is checked.
                pl.when(pl.col("_valid_until_issue") != "future").then(
                    pl.lit("valid_until_") + pl.col("_valid_until_issue")
                ),
                pl.when(pl.col("_phone_issue") == "unparseable").then(pl.lit("phone_unparseable")),
                pl.when(pl.col("current_address").is_not_null() & address_match_key(pl.col("_current")).is_null())
                .then(pl.lit("current_address_unparsed")),
            ).alias("quality_flags"),
        )
        .drop("_birth_date", "_registered_date", "_valid_until", "_valid_until_issue")
    )


def clean_incidents(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean JQ rows: category, times, place, coordinates, and the persons involved.

    ``SJRY`` lists the identity numbers of the persons involved; they become
    the aligned list ``involved_id_numbers`` (one ``involved`` mention each,
    in delivered order), and clean keeps only their count. A coordinate of 0
    or an empty one is no coordinate (police systems write 0 for "not
    located"). The address of occurrence keeps its district, street and
    community, not its text or flat.
    """
    category = to_halfwidth(pl.col("category_code")).str.strip_chars()
    # Some extracts drop the leading zero of the two-digit code (1 -> 01).
    category = pl.when(category.str.contains(r"^\d$")).then(pl.lit("0") + category).otherwise(category.replace("", None))
    outcome = to_halfwidth(pl.col("outcome")).str.strip_chars().replace("", None)
    reported = parse_timestamp(pl.col("reported_at"))

    def coordinate(column: str) -> pl.Expr:
        value = to_halfwidth(pl.col(column)).str.strip_chars().cast(pl.Float64, strict=False)
        return pl.when(value != 0).then(value)

    return (
        frame.with_columns(
            parse_address(pl.col("address")).alias("_location"),
            normalize_id_list(split_list(pl.col("involved_id_numbers"), ";,、")).alias("involved_id_numbers"),
        )
        .with_columns(
            pl.col("record_id").str.strip_chars(),
            pl.col("incident_number").str.strip_chars(),
            reported.alias("reported_at"),
            pl.when(pl.col("reported_at").is_not_null() & reported.is_null())
            .then(pl.lit("reported_at_unparseable")).alias("_reported_flag"),
            category.alias("category_code"),
            category.replace_strict(INCIDENT_CATEGORIES, default=None, return_dtype=pl.Utf8).alias("category"),
            to_halfwidth(pl.col("subcategory_name")).str.strip_chars().replace("", None).alias("subcategory_name"),
            pl.col("_location").struct.field("district").alias("location_district"),
            pl.col("_location").struct.field("street").alias("location_street"),
            pl.col("_location").struct.field("community").alias("location_community"),
            coordinate("longitude").alias("longitude"),
            coordinate("latitude").alias("latitude"),
            to_halfwidth(pl.col("police_station")).str.strip_chars().replace("", None).alias("police_station"),
            outcome.alias("outcome"),
            outcome.replace_strict(INCIDENT_OUTCOMES, default=None, return_dtype=pl.Utf8).alias("outcome_code"),
            pl.col("involved_id_numbers").list.len().cast(pl.Int64).alias("involved_count"),
            count_invalid_ids(pl.col("involved_id_numbers")).alias("involved_invalid_id_count"),
            parse_timestamp(pl.col("updated_at")).alias("updated_at"),
        )
        .with_columns(
            combine_flags(
                pl.col("_reported_flag"),
                pl.when(pl.col("involved_invalid_id_count") > 0).then(pl.lit("involved_id_number_invalid")),
                # Out-of-range coordinates are the warning suite's to report.
                pl.when(pl.col("longitude").is_null() | pl.col("latitude").is_null()).then(pl.lit("coordinates_missing")),
            ).alias("quality_flags"),
        )
    )
