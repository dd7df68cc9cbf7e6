"""Specs for cleaning the police LDRK and JQ tables."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ingest.police.clean import clean_floating_residents, clean_incidents
from ingest.police.schema import FLOATING_RESIDENTS, INCIDENTS


def _raw(dataset, **values) -> pl.LazyFrame:
    row = {column: None for column in dataset.columns} | values
    return pl.DataFrame([row], schema={column: pl.Utf8 for column in dataset.columns}).lazy()


def test_clean_floating_residents_keeps_reason_code_beside_the_delivered_word() -> None:
    cleaned = clean_floating_residents(
        _raw(FLOATING_RESIDENTS, record_id="1", id_number="410102199505050050", name="刘洋", residence_reason=" 求学 ")
    ).collect()
    assert cleaned.select("residence_reason", "residence_reason_code").row(0) == ("求学", "study")


def test_clean_floating_residents_reduces_addresses_to_the_names_of_their_divisions() -> None:
    cleaned = clean_floating_residents(
        _raw(
            FLOATING_RESIDENTS,
            record_id="1",
            id_number="410102199505050050",
            current_address="浙江省杭州市上城区湖滨街道东坡社区东坡花园三栋2单元502室",
            origin_address="河南省郑州市中原区建设路1号",
            employer_name=" 杭州 湖滨（餐饮）有限公司",
        )
    ).collect()
    assert cleaned.select(
        "current_district", "current_street", "current_community", "origin_province", "employer_name",
    ).row(0) == ("上城区", "湖滨街道", "东坡社区", "河南省", "杭州湖滨(餐饮)有限公司")
    # The flat is personal: only the unit mention in the identity schema holds it.
    written = [column for column in FLOATING_RESIDENTS.clean_columns if column in cleaned.columns]
    clean_values = [str(value) for value in cleaned.select(written).row(0)]
    assert not any("东坡花园" in value or "502" in value for value in clean_values)


def test_clean_floating_residents_takes_birth_date_and_gender_from_the_number_when_missing() -> None:
    cleaned = clean_floating_residents(
        _raw(FLOATING_RESIDENTS, record_id="1", id_number="510102199706060064", valid_until="2027-01-01")
    ).collect()
    row = cleaned.row(0, named=True)
    assert (row["birth_date"], row["gender_code"]) == (dt.date(1997, 6, 6), "2")
    # a permit valid into the future is not a "future date" problem
    assert row["quality_flags"] == "birth_date_from_id_number"


def test_clean_incidents_reads_zero_or_empty_coordinates_as_missing() -> None:
    frame = pl.concat([
        _raw(INCIDENTS, record_id="1", longitude="0", latitude="0"),
        _raw(INCIDENTS, record_id="2", longitude=" ", latitude=None),
        _raw(INCIDENTS, record_id="3", longitude="120.1655", latitude="30.2581"),
    ])
    cleaned = clean_incidents(frame).collect()
    assert cleaned.select("longitude", "latitude").rows() == [(None, None), (None, None), (120.1655, 30.2581)]
    assert cleaned["quality_flags"].to_list() == ["coordinates_missing", "coordinates_missing", None]


def test_clean_incidents_keeps_the_category_code_beside_its_readable_value() -> None:
    frame = pl.concat([
        _raw(INCIDENTS, record_id=str(number), category_code=code)
        for number, code in enumerate(["01", "1", "０６", "99", "07", None])
    ])
    cleaned = clean_incidents(frame).collect()
    assert cleaned.select("category_code", "category").rows() == [
        ("01", "criminal"), ("01", "criminal"), ("06", "help_request"), ("99", "other"), ("07", None), (None, None),
    ]


def test_clean_incidents_lists_the_persons_involved_in_delivered_order() -> None:
    cleaned = clean_incidents(
        _raw(INCIDENTS, record_id="1", involved_id_numbers=" 330108198801110111 ； 330108198902120125;;330105550220041 ")
    ).collect()
    row = cleaned.row(0, named=True)
    assert row["involved_id_numbers"] == ["330108198801110111", "330108198902120125", None, "330105195502200413"]
    assert (row["involved_count"], row["involved_invalid_id_count"]) == (4, 1)
    assert row["quality_flags"] == "involved_id_number_invalid,coordinates_missing"


def test_clean_incidents_maps_the_outcome_and_reads_the_report_time() -> None:
    cleaned = clean_incidents(_raw(INCIDENTS, record_id="1", outcome="移交", reported_at="2026/1/2 10:00")).collect()
    assert cleaned.select("outcome", "outcome_code", "reported_at").row(0) == (
        "移交", "transferred", dt.datetime(2026, 1, 2, 10, 0),
    )
