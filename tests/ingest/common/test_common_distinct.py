"""Specs for ingest.common.distinct: an expression evaluated once per distinct input."""

from __future__ import annotations

import polars as pl

from ingest.common.distinct import per_distinct

DELIVERED = ["2024-01-05", None, "2024/1/5", "2024-01-05", "", None, "2024-01-05", "20240105"]


def _recorded(seen: list[int]):
    """Return an elementwise expression builder that records how many rows it is given."""

    def function(expr: pl.Expr) -> pl.Expr:
        def record(values: pl.Series) -> pl.Series:
            seen.append(len(values))
            return values.str.len_chars()

        return expr.map_batches(record, return_dtype=pl.UInt32)

    return function


def test_per_distinct_gives_every_row_what_the_expression_gives_it() -> None:
    frame = pl.DataFrame({"delivered": DELIVERED})
    expected = frame.select(pl.col("delivered").str.replace_all("/", "-").str.len_chars())
    result = frame.select(per_distinct(lambda e: e.str.replace_all("/", "-").str.len_chars(), pl.col("delivered"), return_dtype=pl.UInt32))
    assert result.equals(expected)


def test_per_distinct_evaluates_each_distinct_value_once() -> None:
    seen: list[int] = []
    frame = pl.DataFrame({"delivered": DELIVERED})
    frame.select(per_distinct(_recorded(seen), pl.col("delivered"), return_dtype=pl.UInt32))
    # Five distinct values, null among them.
    assert seen == [5]


def test_per_distinct_reads_combinations_of_several_inputs() -> None:
    frame = pl.DataFrame({"a": ["x", "x", "y", None, "x"], "b": [1, 2, 1, None, 1]})
    result = frame.select(
        per_distinct(lambda a, b: pl.concat_str(a, b.cast(pl.String), separator="|"), pl.col("a"), pl.col("b"),
                     return_dtype=pl.String)
    )
    assert result.to_series().to_list() == ["x|1", "x|2", "y|1", None, "x|1"]
    assert result.columns == ["a"]


def test_per_distinct_handles_an_empty_column() -> None:
    frame = pl.DataFrame({"delivered": pl.Series([], dtype=pl.String)})
    result = frame.select(per_distinct(lambda e: e.str.len_chars(), pl.col("delivered"), return_dtype=pl.UInt32))
    assert result.schema == pl.Schema({"delivered": pl.UInt32}) and result.height == 0
