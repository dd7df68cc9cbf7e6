"""Specs for ingest.common.dates: every contract date form, placeholders and timestamps."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest
from normalization_cases import apply, apply_one

from ingest.common.dates import date_issue, parse_date, parse_timestamp

AS_OF = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("2023-11-05", date(2023, 11, 5), id="iso"),
        pytest.param("2023/1/5", date(2023, 1, 5), id="slashes_unpadded"),
        pytest.param("2023/01/05", date(2023, 1, 5), id="slashes_padded"),
        pytest.param("2023-1-5", date(2023, 1, 5), id="dashes_unpadded"),
        pytest.param("20231105", date(2023, 11, 5), id="compact"),
        pytest.param("2023年1月5日", date(2023, 1, 5), id="chinese"),
        pytest.param("2023年11月05日", date(2023, 11, 5), id="chinese_padded"),
        pytest.param("２０２３年１１月５日", date(2023, 11, 5), id="chinese_fullwidth"),
        pytest.param("2023.11.05", date(2023, 11, 5), id="dots"),
        pytest.param(" 2023-11-05 ", date(2023, 11, 5), id="padded_with_spaces"),
        pytest.param("45231", date(2023, 11, 1), id="excel_serial"),
        pytest.param("45231.0", date(2023, 11, 1), id="excel_serial_float"),
        pytest.param("45231.75", date(2023, 11, 1), id="excel_serial_with_time"),
        pytest.param("25569", date(1970, 1, 1), id="excel_serial_unix_epoch"),
        pytest.param("2023-11-05 14:30:00", date(2023, 11, 5), id="timestamp"),
        pytest.param("2023-11-05T14:30:00", date(2023, 11, 5), id="iso_timestamp"),
        pytest.param("2023-11-05T23:30:00+08:00", date(2023, 11, 5), id="iso_timestamp_offset_date_as_written"),
        pytest.param("20231105143000", date(2023, 11, 5), id="compact_timestamp"),
        pytest.param("2024-02-29", date(2024, 2, 29), id="leap_day"),
        pytest.param("00000000", None, id="placeholder_zeros"),
        pytest.param("0000-00-00", None, id="placeholder_zero_iso"),
        pytest.param("1900-01-01", None, id="placeholder_1900"),
        pytest.param("19000101", None, id="placeholder_1900_compact"),
        pytest.param("1899-12-30", None, id="placeholder_excel_zero"),
        pytest.param("2023-02-30", None, id="impossible_day"),
        pytest.param("2023-02-29", None, id="not_a_leap_year"),
        pytest.param("2023-13-01", None, id="impossible_month"),
        pytest.param("20230230", None, id="impossible_compact"),
        pytest.param("2023年2月30日", None, id="impossible_chinese"),
        pytest.param("12345", None, id="serial_out_of_range"),
        pytest.param("不详", None, id="unknown_in_words"),
        pytest.param("2023", None, id="year_only"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="null"),
    ],
)
def test_parse_date(delivered: str | None, expected: date | None) -> None:
    assert apply_one(parse_date, delivered) == expected


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("2023-11-05", None, id="fine"),
        pytest.param("2023年1月5日", None, id="fine_chinese"),
        pytest.param("45231", None, id="fine_serial"),
        pytest.param("2026-01-01", None, id="on_as_of"),
        pytest.param("", None, id="empty"),
        pytest.param("   ", None, id="blank"),
        pytest.param(None, None, id="null"),
        pytest.param("00000000", "placeholder", id="placeholder_zeros"),
        pytest.param("0000-00-00", "placeholder", id="placeholder_zero_iso"),
        pytest.param("1900-01-01", "placeholder", id="placeholder_1900"),
        pytest.param("19000101", "placeholder", id="placeholder_1900_compact"),
        pytest.param("2023-02-30", "impossible", id="impossible"),
        pytest.param("20231301", "impossible", id="impossible_compact"),
        pytest.param("yesterday", "unparseable", id="words"),
        pytest.param("12345", "unparseable", id="serial_out_of_range"),
        pytest.param("5/11/2023", "unparseable", id="day_first"),
        pytest.param("2026-01-02", "future", id="future"),
        pytest.param("2099年1月1日", "future", id="future_chinese"),
    ],
)
def test_date_issue(delivered: str | None, expected: str | None) -> None:
    def issue(expr: pl.Expr) -> pl.Expr:
        return date_issue(expr, parse_date(expr), as_of=AS_OF)

    assert apply_one(issue, delivered) == expected


def test_date_issue_reads_the_parsed_column_given() -> None:
    frame = pl.DataFrame({"death_date": ["2023-11-05", "2023-02-30"]}).with_columns(
        parsed=parse_date(pl.col("death_date"))
    )
    issues = frame.select(date_issue(pl.col("death_date"), pl.col("parsed"), as_of=AS_OF))["date_issue"]
    assert issues.to_list() == [None, "impossible"]


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("2023-11-05 14:30:00", datetime(2023, 11, 5, 14, 30), id="space"),
        pytest.param("2023-11-05T14:30:00", datetime(2023, 11, 5, 14, 30), id="iso_t"),
        pytest.param("2023-11-05T14:30:00Z", datetime(2023, 11, 5, 14, 30), id="iso_z"),
        pytest.param("2023-11-05T14:30:00+08:00", datetime(2023, 11, 5, 6, 30), id="offset_colon"),
        pytest.param("2023-11-05T02:30:00+0800", datetime(2023, 11, 4, 18, 30), id="offset_crosses_midnight"),
        pytest.param("2023-11-05T14:30:00-05", datetime(2023, 11, 5, 19, 30), id="negative_offset_hours"),
        pytest.param("2023-11-05 14:30:00.123456", datetime(2023, 11, 5, 14, 30, 0, 123456), id="microseconds"),
        pytest.param("2023-11-05T14:30:00.5Z", datetime(2023, 11, 5, 14, 30, 0, 500000), id="fraction"),
        pytest.param("2023-11-05 14:30", datetime(2023, 11, 5, 14, 30), id="no_seconds"),
        pytest.param("2023/11/5 9:05:01", datetime(2023, 11, 5, 9, 5, 1), id="slashes_one_digit_hour"),
        pytest.param("20231105143000", datetime(2023, 11, 5, 14, 30), id="compact"),
        pytest.param("2023-11-05", datetime(2023, 11, 5), id="date_only"),
        pytest.param("2023年11月5日", datetime(2023, 11, 5), id="chinese_date_only"),
        pytest.param("45231.75", datetime(2023, 11, 1, 18, 0), id="excel_serial_with_time"),
        pytest.param("2023-11-05 24:00:00", None, id="impossible_hour"),
        pytest.param("2023-11-05 12:60:00", None, id="impossible_minute"),
        pytest.param("2023-02-30 12:00:00", None, id="impossible_date"),
        pytest.param("1900-01-01 00:00:00", None, id="placeholder"),
        pytest.param("now", None, id="words"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="null"),
    ],
)
def test_parse_timestamp(delivered: str | None, expected: datetime | None) -> None:
    assert apply_one(parse_timestamp, delivered) == expected


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("2026-02-11T09:00:00", datetime(2026, 2, 11, 1, 0), id="beijing_wall_time"),
        pytest.param("2026-02-11 09:00", datetime(2026, 2, 11, 1, 0), id="beijing_no_seconds"),
        pytest.param("2026-02-11T09:00:00+08:00", datetime(2026, 2, 11, 1, 0), id="explicit_offset_wins"),
        pytest.param("2026-02-11T01:00:00Z", datetime(2026, 2, 11, 1, 0), id="explicit_utc_wins"),
        pytest.param("20260211090000", datetime(2026, 2, 11, 1, 0), id="compact"),
        pytest.param("45231.75", datetime(2023, 11, 1, 10, 0), id="excel_serial"),
        pytest.param("2026-02-11", datetime(2026, 2, 10, 16, 0), id="date_only_is_local_midnight"),
        pytest.param(None, None, id="null"),
    ],
)
def test_parse_timestamp_converts_naive_values_from_the_given_time_zone(
    delivered: str | None, expected: datetime | None
) -> None:
    assert apply_one(lambda expr: parse_timestamp(expr, time_zone="Asia/Shanghai"), delivered) == expected


def test_parse_timestamp_nulls_a_wall_time_skipped_by_daylight_saving() -> None:
    delivered = ["2026-03-08 02:30:00", "2026-03-08 03:30:00"]
    assert apply(lambda expr: parse_timestamp(expr, time_zone="America/New_York"), delivered) == [
        None,
        datetime(2026, 3, 8, 7, 30),
    ]


def test_parse_timestamp_is_naive_microseconds() -> None:
    dtype = pl.DataFrame({"updated_at": ["2023-11-05T14:30:00Z"]}).select(parse_timestamp(pl.col("updated_at"))).dtypes
    assert dtype == [pl.Datetime("us", None)]


def test_date_parsers_keep_the_column_name() -> None:
    frame = pl.DataFrame({"birth_date": ["2023/1/5"], "updated_at": ["2023-11-05 14:30:00"]})
    cleaned = frame.with_columns(parse_date(pl.col("birth_date")), parse_timestamp(pl.col("updated_at")))
    assert cleaned.schema == pl.Schema({"birth_date": pl.Date, "updated_at": pl.Datetime("us")})


def test_parse_date_handles_a_mixed_column() -> None:
    delivered = ["2023-11-05", "2023/1/5", "20231105", "2023年1月5日", "45231", "00000000", "2023-02-30", None]
    assert apply(parse_date, delivered) == [
        date(2023, 11, 5),
        date(2023, 1, 5),
        date(2023, 11, 5),
        date(2023, 1, 5),
        date(2023, 11, 1),
        None,
        None,
        None,
    ]


def test_date_expressions_read_their_input_once() -> None:
    column = pl.col("delivered_date")
    for expression in (parse_date(column), parse_timestamp(column), date_issue(column, pl.col("parsed"))):
        assert str(expression).count('col("delivered_date")') == 1
