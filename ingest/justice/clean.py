"""Standardize justice roster rows: pure ``LazyFrame -> LazyFrame`` functions, no I/O."""

from __future__ import annotations

import polars as pl

from ingest.common.addresses import parse_address
from ingest.common.amounts import amount_issue, parse_amount
from ingest.common.dates import date_issue, parse_date
from ingest.common.names import normalize_org_name
from ingest.common.person_lists import count_invalid_ids, parse_parties
from ingest.common.persons import combine_flags, identity_columns
from ingest.common.text import to_halfwidth

# 状态 (status) as delivered -> warehouse code.
CORRECTION_STATUSES = {"在矫": "active", "解矫": "released"}

# 纠纷类型 (dispute type) as delivered -> warehouse code.
DISPUTE_TYPES = {
    "婚姻家庭": "marriage_family", "邻里": "neighbourhood", "物业": "property_management", "劳动": "labour",
    "土地": "land", "损害赔偿": "damages", "其他": "other",
}  # fmt: skip

# 调解结果 (mediation result) as delivered -> warehouse code.
MEDIATION_RESULTS = {"调解成功": "success", "调解不成": "failure", "调解中": "in_progress"}

# 帮教状态 (resettlement support status) as delivered -> warehouse code.
RESETTLEMENT_STATUSES = {"在帮": "active", "已解除": "released"}


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


def _text(column: str) -> pl.Expr:
    return to_halfwidth(pl.col(column)).str.strip_chars().replace("", None)


def clean_mediation_cases(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean people's-mediation cases: parties, type, result, dates, agreement amount.

    ``当事人`` lists the parties as ``姓名(身份证号或电话)`` joined by ``、``; it
    becomes the aligned lists ``party_names``, ``party_id_numbers`` and
    ``party_phones`` (one ``party`` mention each, in delivered order). The
    contract says identity numbers are often missing, so a party known only
    by name or phone is normal and not flagged; a number that is present but
    invalid is. The place of the dispute keeps its district, street and
    community, not its text or flat.
    """
    accepted, closed = parse_date(pl.col("accepted_date")), parse_date(pl.col("closed_date"))
    amount = parse_amount(pl.col("agreement_amount"))
    dispute_type = _text("dispute_type")
    return (
        frame.with_columns(
            parse_parties(pl.col("parties")).alias("_parties"),
            parse_address(pl.col("dispute_location")).alias("_location"),
        )
        .with_columns(
            pl.col("_parties").struct.field("names").alias("party_names"),
            pl.col("_parties").struct.field("id_numbers").alias("party_id_numbers"),
            pl.col("_parties").struct.field("phones").alias("party_phones"),
        )
        .with_columns(
            _text("case_number").alias("case_number"),
            accepted.alias("accepted_date"),
            closed.alias("closed_date"),
            (closed - accepted).dt.total_days().cast(pl.Int64).alias("days_to_close"),
            dispute_type.alias("dispute_type"),
            dispute_type.replace_strict(DISPUTE_TYPES, default=None, return_dtype=pl.Utf8).alias("dispute_type_code"),
            pl.col("_location").struct.field("district").alias("location_district"),
            pl.col("_location").struct.field("street").alias("location_street"),
            pl.col("_location").struct.field("community").alias("location_community"),
            normalize_org_name(pl.col("mediation_organization")).alias("mediation_organization"),
            _text("result").replace_strict(MEDIATION_RESULTS, default=None, return_dtype=pl.Utf8).alias("result_code"),
            amount.alias("agreement_amount"),
            pl.col("party_names").list.len().cast(pl.Int64).alias("party_count"),
            count_invalid_ids(pl.col("party_id_numbers")).alias("party_invalid_id_count"),
            combine_flags(
                pl.lit("accepted_date_") + date_issue(pl.col("accepted_date"), accepted),
                pl.lit("closed_date_") + date_issue(pl.col("closed_date"), closed),
                pl.lit("agreement_amount_") + amount_issue(pl.col("agreement_amount"), amount),
                pl.when(count_invalid_ids(pl.col("party_id_numbers")) > 0).then(pl.lit("party_id_number_invalid")),
                pl.when(closed < accepted).then(pl.lit("closed_before_accepted")),
            ).alias("quality_flags"),
        )
    )


def clean_resettlement_cases(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Clean resettlement-support rows: the released person, release date, where they live, status.

    Both addresses are personal: clean keeps the current address's district,
    street and community names, never the text or the flat (the unit mentions
    in the identity schema hold those).
    """
    released = parse_date(pl.col("release_date"))
    return (
        frame.with_columns(parse_address(pl.col("current_address")).alias("_current"))
        .with_columns(*identity_columns())
        .with_columns(
            released.alias("release_date"),
            pl.col("_current").struct.field("district").alias("current_district"),
            pl.col("_current").struct.field("street").alias("current_street"),
            pl.col("_current").struct.field("community").alias("current_community"),
            _text("status").replace_strict(RESETTLEMENT_STATUSES, default=None, return_dtype=pl.Utf8).alias("status_code"),
            combine_flags(
                pl.col("person_flags"),
                pl.lit("release_date_") + date_issue(pl.col("release_date"), released),
            ).alias("quality_flags"),
        )
    )
