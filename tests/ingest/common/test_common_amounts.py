"""Specs for money amounts in yuan: exact decimals, never floats."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from ingest.common.amounts import AMOUNT_DTYPE, amount_issue, parse_amount


@pytest.mark.parametrize(
    ("delivered", "amount", "issue"),
    [
        ("3500", Decimal("3500.00"), None),
        ("3,500.5", Decimal("3500.50"), None),
        ("３５００元", Decimal("3500.00"), None),
        ("￥ 1250.50", Decimal("1250.50"), None),
        ("12.345", Decimal("12.34"), None),  # half to even
        ("12.355", Decimal("12.36"), None),
        ("-5", Decimal("-5.00"), "negative"),
        ("面议", None, "unparseable"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_parse_amount_reads_yuan_exactly(delivered: str | None, amount: Decimal | None, issue: str | None) -> None:
    frame = pl.DataFrame({"amount": [delivered]}, schema={"amount": pl.String}).select(
        parse_amount(pl.col("amount")).alias("parsed"),
        amount_issue(pl.col("amount"), parse_amount(pl.col("amount"))),
    )
    assert frame.schema["parsed"] == AMOUNT_DTYPE
    assert frame.row(0) == (amount, issue)
