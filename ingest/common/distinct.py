"""Evaluate an expensive elementwise expression once per distinct value of its inputs.

Delivered columns repeat: a million-person city's 700,000 registered
residents live at 296,000 addresses, carry 245,000 distinct names and 40,000
distinct birth dates. Parsing an address or a date is a chain of regex passes
that costs far more than finding the distinct values and joining the results
back (measured on the household register: 5.5 s to parse every address, 3.1 s
to parse the distinct ones and join them back; 0.6 s against 0.3 s for birth
dates). The expression must be elementwise: its value for a row may depend on
that row's inputs only.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

__all__ = ["per_distinct"]


def per_distinct(
    function: Callable[..., pl.Expr], *inputs: pl.Expr, return_dtype: pl.DataType
) -> pl.Expr:
    """Return ``function(*inputs)``, computed once per distinct combination of the inputs.

    Args:
        function: Builds the elementwise expression from one expression per input.
        inputs: The input expressions (nulls are values like any other).
        return_dtype: The dtype ``function`` returns.

    Returns:
        An expression with the same values, row for row, as ``function(*inputs)``;
        it is named like the first input.
    """
    names = [f"_input_{position}" for position in range(len(inputs))]

    def apply(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest() if len(names) > 1 else batch.rename(names[0]).to_frame()
        distinct = frame.unique()
        result = function(*(pl.col(name) for name in names)).alias("_result")
        if distinct.height == frame.height:
            return frame.select(result).to_series()
        mapped = distinct.with_columns(result)
        return frame.join(mapped, on=names, how="left", nulls_equal=True, maintain_order="left")["_result"]

    source = inputs[0] if len(names) == 1 else pl.struct(*(expr.alias(name) for expr, name in zip(inputs, names)))
    mapped = source.map_batches(apply, return_dtype=return_dtype, is_elementwise=True)
    name = inputs[0].meta.output_name(raise_if_undetermined=False)
    return mapped if name is None else mapped.alias(name)
