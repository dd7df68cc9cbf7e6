"""Parse money amounts in yuan (rent, subsistence allowance, mediation agreements).

Amounts arrive as ``3500``, ``3500.00``, ``3,500``, ``3500元``, ``￥3500`` or
with full-width digits. They are parsed to an exact decimal with two places
(fen), never to a float: sums of allowances must add up to the fen.
"""

from __future__ import annotations

import polars as pl

from ingest.common.text import WHITESPACE_CHARACTERS, named_like, to_halfwidth

__all__ = ["AMOUNT_DTYPE", "amount_issue", "parse_amount"]

#: Yuan with two decimal places; twelve digits before the point hold any
#: amount a city pays or records.
AMOUNT_DTYPE = pl.Decimal(14, 2)

_NOISE = r"[,，元¥￥]|人民币|RMB"
_NUMBER = r"^-?\d+(?:\.\d+)?$"


def _compact(expr: pl.Expr) -> pl.Expr:
    return to_halfwidth(expr).str.replace_all(WHITESPACE_CHARACTERS, "").str.replace_all(_NOISE, "")


def parse_amount(expr: pl.Expr) -> pl.Expr:
    """Parse delivered amounts in yuan to ``Decimal(14, 2)``; null when empty or unreadable.

    More than two decimal places are rounded to the fen, half to even.
    """
    compact = _compact(expr)
    exact = pl.when(compact.str.contains(_NUMBER)).then(compact).cast(pl.Decimal(24, 6), strict=False)
    result = exact.round(2).cast(AMOUNT_DTYPE, strict=False)
    return named_like(result, expr)


def amount_issue(expr_raw: pl.Expr, parsed: pl.Expr) -> pl.Expr:
    """Name what is wrong with a delivered amount: ``unparseable``, ``negative`` or null."""
    delivered = _compact(expr_raw).replace("", None)
    return (
        pl.when(delivered.is_not_null() & parsed.is_null())
        .then(pl.lit("unparseable"))
        .when(parsed < 0)
        .then(pl.lit("negative"))
        .alias("amount_issue")
    )
