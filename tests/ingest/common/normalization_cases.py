"""Helpers shared by the ingest.common normalization tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl


def apply(function: Callable[[pl.Expr], pl.Expr], values: Sequence[Any], dtype: pl.DataType = pl.String) -> list:
    """Run a one-column expression over ``values`` eagerly and return the results."""
    frame = pl.DataFrame({"delivered": list(values)}, schema={"delivered": dtype})
    return frame.select(function(pl.col("delivered")).alias("result"))["result"].to_list()


def apply_one(function: Callable[[pl.Expr], pl.Expr], value: Any) -> Any:
    """Run a one-column expression over a single value."""
    return apply(function, [value])[0]
