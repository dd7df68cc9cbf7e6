"""Hold the character-level text helpers shared by every normalizer.

Department systems deliver text typed on Chinese input methods, which switch
between full-width (全角) and half-width (半角) forms; the same identity number
or room number therefore arrives as ``１２３`` or ``123``. Everything here is a
vectorized polars expression so that it can run over a million rows.

A note for every module of ``ingest.common``: polars evaluates a
sub-expression once per reference, and eager ``DataFrame.select`` does not
eliminate common sub-expressions, so an input used ten times inside a
``when/then`` chain is computed ten times (measured: 400 s instead of 1 s for
identity numbers on 1M rows). The normalizers therefore bind intermediate
values as struct fields (``pl.struct(...).struct.with_fields(...)``, reading
them back with ``pl.field``) so each input expression is evaluated once.
Normalizers keep the input column's name; issue and repair expressions are
named after what they hold (``id_number_issue``...), so alias them.
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "FULLWIDTH_CHARACTERS",
    "WHITESPACE_CHARACTERS",
    "contains_fullwidth",
    "contains_whitespace",
    "named_like",
    "null_if_empty",
    "to_halfwidth",
]

# U+FF01..U+FF5E are the full-width forms of ASCII U+0021..U+007E, at a fixed
# offset of 0xFEE0; U+3000 is the ideographic (full-width) space.
_FULLWIDTH_TO_ASCII: dict[str, str] = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TO_ASCII["\u3000"] = " "

#: Regex character class matching every character :func:`to_halfwidth` changes.
FULLWIDTH_CHARACTERS = r"[\x{FF01}-\x{FF5E}\x{3000}]"

#: Regex character class for whitespace, including the zero-width space and the
#: byte-order mark, which spreadsheets and GBK/UTF-8 conversions leave behind
#: and which ``\s`` alone does not match.
WHITESPACE_CHARACTERS = r"[\s\x{200B}\x{FEFF}]"


def to_halfwidth(expr: pl.Expr) -> pl.Expr:
    """Convert full-width ASCII forms and the ideographic space to ASCII.

    Args:
        expr: A string expression.

    Returns:
        The expression with U+FF01-U+FF5E mapped to U+0021-U+007E and U+3000
        mapped to a plain space. Nulls stay null.
    """
    # One Aho-Corasick pass over 95 literal patterns; measured faster than 95
    # chained str.replace_all calls and it never allocates per row in Python.
    return expr.str.replace_many(_FULLWIDTH_TO_ASCII)


def contains_fullwidth(expr: pl.Expr) -> pl.Expr:
    """Return whether each value holds a character :func:`to_halfwidth` would change.

    Args:
        expr: A string expression.

    Returns:
        A Boolean expression; null where the input is null.
    """
    return expr.str.contains(FULLWIDTH_CHARACTERS)


def contains_whitespace(expr: pl.Expr) -> pl.Expr:
    """Return whether each value holds any whitespace, zero-width space or BOM.

    Args:
        expr: A string expression.

    Returns:
        A Boolean expression; null where the input is null.
    """
    return expr.str.contains(WHITESPACE_CHARACTERS)


def null_if_empty(expr: pl.Expr) -> pl.Expr:
    """Replace empty strings with null.

    Args:
        expr: A string expression, usually already stripped.

    Returns:
        The expression with ``""`` turned into null.
    """
    # replace() reads the input once; a when/then/otherwise would evaluate
    # ``expr`` twice, and these helpers are nested deep inside other ones.
    return expr.replace("", None)


def named_like(result: pl.Expr, source: pl.Expr) -> pl.Expr:
    """Give ``result`` the output name of ``source``, when it has one.

    The normalizers build their result inside a struct, which would otherwise
    name it after an internal field; keeping the input's name lets
    ``df.with_columns(normalize_id_number(pl.col("id_number")))`` replace the
    column in place, as polars' own string methods do.

    Args:
        result: The expression to name.
        source: The input expression whose output name to reuse.

    Returns:
        ``result`` aliased to the name of ``source``, or unchanged when that
        name cannot be determined (a multi-column selector).
    """
    name = source.meta.output_name(raise_if_undetermined=False)
    return result if name is None else result.alias(name)
