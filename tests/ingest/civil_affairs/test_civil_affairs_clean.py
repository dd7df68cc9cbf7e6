"""Specs for cleaning the civil-affairs marriages, subsistence cases and organizations."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import polars as pl

from ingest.civil_affairs.clean import clean_marriages, clean_organizations, clean_subsistence_cases
from ingest.civil_affairs.schema import MARRIAGES, ORGANIZATIONS, SUBSISTENCE_CASES


def _raw(dataset, **values) -> pl.LazyFrame:
    row = {column: None for column in dataset.columns} | values
    return pl.DataFrame([row], schema={column: pl.Utf8 for column in dataset.columns}).lazy()


def test_clean_marriages_maps_the_type_and_flags_each_partys_problems() -> None:
    cleaned = clean_marriages(
        _raw(
            MARRIAGES, registration_number=" JH1 ", registration_type="离婚", registration_date="2026年1月6日",
            male_id_number="330102198208080080", male_name="周 杰", female_id_number="", female_name="吴芳",
        )
    ).collect()
    row = cleaned.row(0, named=True)
    assert (row["registration_number"], row["registration_type_code"], row["registration_date"]) == (
        "JH1", "divorce", dt.date(2026, 1, 6),
    )
    assert (row["male_name"], row["male_id_number_issue"], row["female_id_number_issue"]) == ("周杰", None, "missing")
    # the male party's number encodes a woman: swapped parties or a typo
    assert row["quality_flags"] == "male_name_whitespace,female_id_number_missing,male_party_id_is_female"


def test_clean_subsistence_cases_reads_members_from_the_json_list() -> None:
    members = [
        {"idNo": "330105197608180181", "name": "冯 妻", "relation": "配偶"},
        {"idNo": "", "name": "冯小", "relation": "子女"},
        {"idNo": "33010519760818018x", "name": "冯三", "relation": "子女"},
    ]
    cleaned = clean_subsistence_cases(
        _raw(
            SUBSISTENCE_CASES, case_number="DB1", head_id_number="330105197507170179", head_name="冯军",
            members=json.dumps(members, ensure_ascii=False), monthly_amount="1,250.50", status="在保",
        )
    ).collect()
    row = cleaned.row(0, named=True)
    assert row["member_id_numbers"] == ["330105197608180181", None, "33010519760818018X"]
    assert row["member_names"] == ["冯妻", "冯小", "冯三"]
    assert (row["member_count"], row["member_invalid_id_count"]) == (3, 1)
    assert (row["monthly_amount"], row["status_code"]) == (Decimal("1250.50"), "active")


def test_clean_subsistence_cases_flags_members_that_are_not_a_list() -> None:
    cleaned = clean_subsistence_cases(
        _raw(SUBSISTENCE_CASES, case_number="DB2", members="褚明,褚红", status="停保", monthly_amount="980")
    ).collect()
    row = cleaned.row(0, named=True)
    assert (row["member_count"], row["status_code"]) == (None, "stopped")
    assert "members_unreadable" in row["quality_flags"]


def test_clean_organizations_normalizes_the_credit_code_and_says_whether_it_is_valid() -> None:
    frame = pl.concat([
        _raw(ORGANIZATIONS, credit_code=" 52330106mj0000002t ", org_type="民办非企业单位", status="注销"),
        _raw(ORGANIZATIONS, credit_code="53330105MJ0000003D", org_type="基金会", status="撤销"),
        _raw(ORGANIZATIONS, credit_code="51330102MJ00000011", org_type="社会团体", status="正常"),
    ])
    cleaned = clean_organizations(frame).collect()
    assert cleaned.select("credit_code", "has_valid_credit_code", "org_type_code", "status_code").rows() == [
        ("52330106MJ0000002T", True, "private_non_enterprise", "deregistered"),
        ("53330105MJ0000003D", False, "foundation", "revoked"),
        ("51330102MJ00000011", True, "social_group", "active"),
    ]
    assert cleaned["credit_code_issue"].to_list() == [None, "bad_check_character", None]
