"""Normalize and validate unified social credit codes (统一社会信用代码, GB 32100-2015).

A code is 18 characters over the 31-character alphabet
``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z): registration authority,
organization type, 6-digit administrative code, 9-character organization code
and a check character. As with identity numbers, normalization fixes only
width, spaces and case, and a failing check character is reported, not guessed.
"""

from __future__ import annotations

import re

import polars as pl

from ingest.common.text import WHITESPACE_CHARACTERS, named_like, null_if_empty, to_halfwidth

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "CREDIT_CODE_ISSUES",
    "credit_code_check_character",
    "credit_code_issue",
    "is_valid_credit_code",
    "normalize_credit_code",
]

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: Every value :func:`credit_code_issue` can return, in the order it tests them.
CREDIT_CODE_ISSUES = ("missing", "bad_length", "bad_characters", "bad_check_character")

# Weights are 3**i mod 31 for positions i = 0..16 (GB 32100-2015, clause 5).
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {character: value for value, character in enumerate(CREDIT_CODE_ALPHABET)}
_CANONICAL_PATTERN = f"^[{CREDIT_CODE_ALPHABET}]{{18}}$"
_CANONICAL_RE = re.compile(_CANONICAL_PATTERN[1:-1])
_FIRST17_RE = re.compile(f"[{CREDIT_CODE_ALPHABET}]{{17}}")


def credit_code_check_character(first17: str) -> str:
    """Compute the GB 32100-2015 check character of a credit code.

    Args:
        first17: The first 17 characters of a credit code, upper-case.

    Returns:
        The check character, ``(31 - sum % 31) % 31`` mapped to the alphabet.

    Raises:
        ValueError: If ``first17`` is not 17 characters of the alphabet.
    """
    if not _FIRST17_RE.fullmatch(first17):
        raise ValueError(f"expected 17 characters of {CREDIT_CODE_ALPHABET}, got {first17!r}")
    total = sum(_VALUES[character] * weight for character, weight in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(s: str) -> bool:
    """Return whether a canonical credit code has the right form and check character.

    Args:
        s: A canonical (already normalized) credit code.

    Returns:
        True when the code is 18 alphabet characters with a correct check character.
    """
    if not isinstance(s, str) or not _CANONICAL_RE.fullmatch(s):
        return False
    return credit_code_check_character(s[:17]) == s[17]


def normalize_credit_code(expr: pl.Expr) -> pl.Expr:
    """Normalize credit codes: half-width, no whitespace, upper-case; empty to null.

    Look-alike letters (``O`` for ``0``, ``I`` for ``1``) are not substituted:
    they then fail as ``bad_characters``, which is the honest report.

    Args:
        expr: The credit code as delivered (String).

    Returns:
        A String expression with the canonical candidate, or null; it keeps
        the name of the input column.
    """
    compact = to_halfwidth(expr).str.replace_all(WHITESPACE_CHARACTERS, "").str.to_uppercase()
    return named_like(null_if_empty(compact), expr)


def _check_character_expr(first17: pl.Expr) -> pl.Expr:
    """Compute the check character of 17 alphabet characters; null otherwise.

    ``first17`` is read 18 times, so pass a ``pl.field`` bound once.
    """
    values = [
        first17.str.slice(position, 1).replace_strict(_VALUES, default=None, return_dtype=pl.Int32) * weight
        for position, weight in enumerate(_WEIGHTS)
    ]
    # sum_horizontal skips nulls, so a code with a character outside the
    # alphabet would get a wrong sum: gate on the pattern.
    total = pl.when(first17.str.contains(f"^[{CREDIT_CODE_ALPHABET}]{{17}}$")).then(pl.sum_horizontal(values))
    return ((31 - total % 31) % 31).replace_strict(
        list(range(31)), list(CREDIT_CODE_ALPHABET), default=None, return_dtype=pl.String
    )


def credit_code_issue(expr_normalized: pl.Expr) -> pl.Expr:
    """Name the first problem of each canonical credit code.

    Args:
        expr_normalized: Output of :func:`normalize_credit_code`.

    Returns:
        A String expression named ``credit_code_issue``: null when valid, else
        one of ``missing``, ``bad_length``, ``bad_characters``,
        ``bad_check_character``.
    """
    code = pl.field("code")
    return (
        pl.struct(code=expr_normalized)
        .struct.with_fields(first17=code.str.slice(0, 17))
        .struct.with_fields(check=_check_character_expr(pl.field("first17")))
        .struct.with_fields(
            credit_code_issue=pl.when(code.is_null() | (code.str.len_bytes() == 0))
            .then(pl.lit("missing"))
            .when(code.str.len_chars() != 18)
            .then(pl.lit("bad_length"))
            .when(~code.str.contains(_CANONICAL_PATTERN))
            .then(pl.lit("bad_characters"))
            .when(pl.field("check") != code.str.slice(17, 1))
            .then(pl.lit("bad_check_character"))
        )
        .struct.field("credit_code_issue")
    )
