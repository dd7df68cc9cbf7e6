"""Normalize Chinese phone numbers to E.164 (``+86...``) and name failures.

Phones arrive with ``+86``/``86``/``0086`` prefixes, spaces, dashes and
parentheses, as mobiles (11 digits starting with 1) or landlines with an area
code (``010-12345678``, ``(0571) 8888 6666``), and with typos that drop a digit.
Only forms whose meaning is certain are normalized; the rest become null and
:func:`phone_issue` says why.
"""

from __future__ import annotations

import polars as pl

from ingest.common.text import named_like, to_halfwidth

__all__ = ["PHONE_ISSUES", "normalize_phone", "phone_issue"]

#: Every value :func:`phone_issue` can return.
PHONE_ISSUES = ("missing", "unparseable")

# Mobile numbers are 11 digits in the 13x-19x ranges; 10x-12x are not issued
# to subscribers, so 12345678901-style filler is rejected.
_MOBILE = r"1[3-9]\d{9}"
# Area codes: 10 (Beijing), 2x (the big cities), or three digits not starting
# with 0, 1 or 2; subscriber numbers are 7 or 8 digits.
_LANDLINE_WITHOUT_TRUNK_ZERO = r"(?:10|2\d|[3-9]\d{2})\d{7,8}"
_COUNTRY_PREFIX = r"^(?:\+|00)86"
_SEPARATORS = r"[\s\-\x{2010}-\x{2015}()\x{3000}.]"


def normalize_phone(expr: pl.Expr) -> pl.Expr:
    """Normalize phone numbers to ``+86`` followed by the national number.

    Mobiles become ``+861XXXXXXXXXX``. Landlines with an area code become
    ``+86`` + area code without its trunk ``0`` + subscriber number; after an
    explicit ``+86``/``0086`` the trunk ``0`` may already be absent. Numbers
    without an area code, extensions, several numbers in one field, service
    numbers (400/800) and digit-count typos become null.

    Args:
        expr: The phone as delivered (String).

    Returns:
        A String expression, or null when the value is not a certain number;
        it keeps the name of the input column.
    """
    compact = pl.field("compact")
    national = pl.field("national")
    result = (
        pl.struct(compact=to_halfwidth(expr).str.replace_all(_SEPARATORS, ""))
        .struct.with_fields(
            has_country_code=compact.str.contains(_COUNTRY_PREFIX),
            # 86 without + or 00 is only a country code when a mobile follows:
            # no national number is 86 followed by 11 digits beginning with 1.
            national=pl.when(compact.str.contains(_COUNTRY_PREFIX))
            .then(compact.str.replace(_COUNTRY_PREFIX, ""))
            .when(compact.str.contains(rf"^86{_MOBILE}$"))
            .then(compact.str.slice(2))
            .otherwise(compact),
        )
        .struct.with_fields(
            phone=pl.when(national.str.contains(rf"^{_MOBILE}$"))
            .then(pl.concat_str(pl.lit("+86"), national))
            .when(national.str.contains(rf"^0{_LANDLINE_WITHOUT_TRUNK_ZERO}$"))
            .then(pl.concat_str(pl.lit("+86"), national.str.slice(1)))
            .when(pl.field("has_country_code") & national.str.contains(rf"^{_LANDLINE_WITHOUT_TRUNK_ZERO}$"))
            .then(pl.concat_str(pl.lit("+86"), national))
        )
        .struct.field("phone")
    )
    return named_like(result, expr)


def phone_issue(expr_raw: pl.Expr, normalized: pl.Expr) -> pl.Expr:
    """Name why a delivered phone did not normalize.

    Args:
        expr_raw: The phone as delivered.
        normalized: The same column after :func:`normalize_phone`.

    Returns:
        A String expression named ``phone_issue``: null when ``normalized`` is
        set, ``missing`` when the delivered value is empty, else
        ``unparseable``.
    """
    is_empty = to_halfwidth(expr_raw).str.strip_chars().replace("", None).is_null()
    return (
        pl.when(normalized.is_not_null())
        .then(None)
        .when(is_empty)
        .then(pl.lit("missing"))
        .otherwise(pl.lit("unparseable"))
        .alias("phone_issue")
    )
