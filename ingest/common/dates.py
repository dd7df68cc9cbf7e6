"""Parse the date and timestamp forms the departments deliver, and name what is wrong.

Dates arrive as ``YYYY-MM-DD``, ``YYYY/M/D``, ``YYYY-M-D``, ``YYYYMMDD``,
``YYYY年M月D日``, ``YYYY.MM.DD``, Excel serial numbers rendered as text
(``45231`` or ``45231.0``) and timestamps (``YYYY-MM-DD HH:MM:SS``, ISO 8601
with ``T``). Placeholders (``00000000``, ``1900-01-01``...) mean "unknown" and
become null, as do impossible dates such as ``2023-02-30``; :func:`date_issue`
tells the three kinds of null apart so that nothing is lost silently.

All parsing is one regex extraction per column plus arithmetic, never Python
per row.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from ingest.common.distinct import per_distinct
from ingest.common.text import named_like, to_halfwidth

__all__ = [
    "DATE_ISSUES",
    "EXCEL_SERIAL_RANGE",
    "date_issue",
    "parse_date",
    "parse_timestamp",
]

#: Every value :func:`date_issue` can return.
DATE_ISSUES = ("placeholder", "unparseable", "impossible", "future")

#: Excel serial numbers accepted as dates: 20000 is 1954-10-03 and 80000 is
#: 2119-01-10, which covers every event date in the contract while refusing
#: small integers (ages, counts, amounts) that are not dates.
EXCEL_SERIAL_RANGE = (20000, 80000)

# Serial 25569 is 1970-01-01, the epoch of polars' Date. The 1900 leap-year bug
# only shifts serials below 61, far outside EXCEL_SERIAL_RANGE.
_EXCEL_SERIAL_OF_UNIX_EPOCH = 25569

# Canonical YYYYMMDD values that stand for "unknown": the all-zero date, the
# 1900-01-01 default of several department systems, and 1899-12-30/31, which
# is what Excel serial 0/1 (a blank cell formatted as a date) reads back as.
_PLACEHOLDER_DAYS = ("19000101", "18991230", "18991231")

_TIME = (
    r"(?:[ T](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?)?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?"
)
# One pass of one regex: separated dates (with an optional time), compact
# dates (with an optional compact time, as police systems store GXSJ), or an
# Excel serial. The separators may mix (2023/1-5); that leniency costs nothing.
_PATTERN = (
    r"^(?:"
    rf"(?P<year>\d{{4}})[-/.年](?P<month>\d{{1,2}})[-/.月](?P<day>\d{{1,2}})日?{_TIME}"
    r"|(?P<compact_year>\d{4})(?P<compact_month>\d{2})(?P<compact_day>\d{2})"
    r"(?:(?P<compact_hour>\d{2})(?P<compact_minute>\d{2})(?P<compact_second>\d{2}))?"
    r"|(?P<serial_text>\d{5}(?:\.\d+)?)"
    # Last resort, so the same extraction tells text in no accepted form from
    # empty text and null, which match nothing.
    r"|(?P<other>(?s:.+))"
    r")$"
)


def _parts(expr: pl.Expr) -> pl.Expr:
    """Extract every accepted form's components into one struct, then derive.

    Adds ``day_text`` (canonical ``YYYYMMDD`` of a separated or compact date),
    ``serial`` as a float within :data:`EXCEL_SERIAL_RANGE` (else null),
    ``is_placeholder`` and ``day`` (the calendar date, null when impossible or
    a placeholder). The struct is built once and read through ``pl.field``.
    """
    low, high = EXCEL_SERIAL_RANGE
    serial = pl.field("serial_text").cast(pl.Float64, strict=False)
    day_text = pl.field("day_text")
    return (
        to_halfwidth(expr)
        .str.strip_chars()
        .str.extract_groups(_PATTERN)
        .struct.with_fields(
            day_text=pl.concat_str(
                pl.coalesce(pl.field("year"), pl.field("compact_year")),
                pl.coalesce(pl.field("month"), pl.field("compact_month")).str.zfill(2),
                pl.coalesce(pl.field("day"), pl.field("compact_day")).str.zfill(2),
            ),
            serial=pl.when(serial.is_between(low, high)).then(serial),
        )
        .struct.with_fields(
            is_placeholder=day_text.str.starts_with("0000")
            | day_text.is_in(pl.Series(_PLACEHOLDER_DAYS).implode()),
        )
        .struct.with_fields(
            day=pl.when(~pl.field("is_placeholder")).then(day_text.str.to_date("%Y%m%d", strict=False)),
        )
    )


def parse_date(expr: pl.Expr) -> pl.Expr:
    """Parse delivered dates in any contract form to Date.

    Timestamps give their date as written (no time-zone shift). Placeholders,
    impossible dates, unparseable text and empty values all become null; use
    :func:`date_issue` to tell them apart.

    Args:
        expr: The date as delivered (String).

    Returns:
        A Date expression; it keeps the name of the input column.
    """
    # Dates repeat (40,000 distinct birth dates among 700,000 residents):
    # each distinct text is parsed once.
    return per_distinct(_parse_date, expr, return_dtype=pl.Date)


def _parse_date(expr: pl.Expr) -> pl.Expr:
    """Build the expression :func:`parse_date` evaluates per distinct text."""
    serial = pl.field("serial")
    from_serial = (serial.floor().cast(pl.Int32) - _EXCEL_SERIAL_OF_UNIX_EPOCH).cast(pl.Date)
    return (
        _parts(expr)
        .struct.with_fields(date=pl.when(serial.is_not_null()).then(from_serial).otherwise(pl.field("day")))
        .struct.field("date")
    )


def date_issue(expr_raw: pl.Expr, parsed: pl.Expr, *, as_of: date | None = None) -> pl.Expr:
    """Name what is wrong with each delivered date.

    Args:
        expr_raw: The date as delivered (String).
        parsed: The same column after :func:`parse_date`.
        as_of: The latest acceptable date; today when omitted. Pass the batch's
            delivery date so a re-run gives the same answer.

    Returns:
        A String expression named ``date_issue``: null when the date is fine
        or empty, else ``placeholder``, ``unparseable`` (no accepted form),
        ``impossible`` (an accepted form but no such day, e.g. 2023-02-30) or
        ``future`` (after ``as_of``).
    """
    latest = as_of or date.today()

    def issue(raw: pl.Expr, parsed_value: pl.Expr) -> pl.Expr:
        parsed_field = pl.field("parsed")
        return (
            _parts(raw)
            .struct.with_fields(parsed=parsed_value)
            .struct.with_fields(
                date_issue=pl.when(pl.field("is_placeholder"))
                .then(pl.lit("placeholder"))
                .when(parsed_field.is_null() & pl.field("day_text").is_not_null())
                .then(pl.lit("impossible"))
                .when(parsed_field.is_null() & (pl.field("other").is_not_null() | pl.field("serial_text").is_not_null()))
                .then(pl.lit("unparseable"))
                .when(parsed_field > latest)
                .then(pl.lit("future"))
            )
            .struct.field("date_issue")
        )

    return per_distinct(issue, expr_raw, parsed, return_dtype=pl.String).alias("date_issue")


def _offset_minutes(zone: pl.Expr) -> pl.Expr:
    """Turn ``Z``, ``+08``, ``+0800`` or ``+08:00`` into minutes east of UTC (0 when absent)."""
    digits = zone.str.replace_all(r"[^0-9]", "")
    hours = digits.str.slice(0, 2).str.to_integer(strict=False)
    minutes = digits.str.slice(2, 2).str.to_integer(strict=False).fill_null(0)
    sign = pl.when(zone.str.starts_with("-")).then(-1).otherwise(1)
    return (sign * (hours * 60 + minutes)).fill_null(0)


def parse_timestamp(expr: pl.Expr, *, time_zone: str | None = None) -> pl.Expr:
    """Parse delivered update times to naive UTC Datetime (microseconds).

    Accepts ``YYYY-MM-DD HH:MM[:SS[.ffffff]]``, ISO 8601 with ``T``, an
    optional ``Z`` or ``±HH[:MM]`` offset (converted to UTC), compact
    ``YYYYMMDDHHMMSS``, any date form of :func:`parse_date` (midnight), and
    Excel serials with a time fraction (rounded to the second, since Excel's
    binary fractions are off by microseconds).

    Args:
        expr: The timestamp as delivered (String).
        time_zone: The IANA zone that values without an offset are in (for
            example ``Asia/Shanghai`` for a department clock); they are
            converted to UTC (a wall time skipped by a daylight-saving change
            becomes null, a repeated one takes the earlier instant). When
            omitted, such values are kept as written: the contract names no
            zone, so the caller decides.

    Returns:
        A Datetime("us") expression without a time zone, keeping the input
        column's name; null for placeholders, impossible dates or times, and
        text in no accepted form.
    """
    hour, minute, second = pl.field("hour_number"), pl.field("minute_number"), pl.field("second_number")
    zone = pl.field("zone")
    written = pl.field("day").cast(pl.Datetime("us")) + pl.duration(
        hours=hour, minutes=minute, seconds=second, microseconds=pl.field("microsecond"), time_unit="us"
    )
    valid_time = (hour <= 23) & (minute <= 59) & (second <= 59)
    seconds_since_epoch = ((pl.field("serial") - _EXCEL_SERIAL_OF_UNIX_EPOCH) * 86_400).round(0).cast(pl.Int64)
    from_serial = (seconds_since_epoch * 1_000_000).cast(pl.Datetime("us"))
    # Values without an offset: a serial, or text with no zone.
    naive = pl.when(pl.field("serial").is_not_null()).then(from_serial).when(zone.is_null()).then(pl.field("written"))
    if time_zone is not None:
        naive = (
            naive.dt.replace_time_zone(time_zone, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .dt.replace_time_zone(None)
        )
    with_offset = pl.when(zone.is_not_null()).then(
        pl.field("written") - pl.duration(minutes=_offset_minutes(zone), time_unit="us")
    )

    def number(field: str) -> pl.Expr:
        return pl.coalesce(pl.field(field), pl.field(f"compact_{field}")).cast(pl.Int64).fill_null(0)

    result = (
        _parts(expr)
        .struct.with_fields(
            hour_number=number("hour"),
            minute_number=number("minute"),
            second_number=number("second"),
            microsecond=pl.field("fraction").str.slice(0, 6).str.pad_end(6, "0").cast(pl.Int64).fill_null(0),
        )
        .struct.with_fields(written=pl.when(valid_time).then(written))
        .struct.with_fields(timestamp=pl.coalesce(naive, with_offset))
        .struct.field("timestamp")
    )
    return named_like(result, expr)
