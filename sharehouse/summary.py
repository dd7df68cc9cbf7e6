"""Summarize a warehouse for people: rows per layer and source, and the quality ledger."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ingest.common import warehouse as warehouse_io
from sharehouse.settings import Warehouse

SQL_DIR = Path(__file__).parent / "sql"

# Layers in the order data flows through them; identity is counted but never shown row by row.
LAYERS = ("raw_", "quarantine", "clean_", "identity", "staging", "intermediate", "marts")


def table_counts(target: Warehouse) -> pl.DataFrame:
    """Return one row per warehouse table: layer, schema, table, rows."""
    with warehouse_io.connect(target) as connection:
        tables = connection.query(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema not in ('information_schema', 'pg_catalog', 'main', 'public')"
        )
        rows = []
        for schema, table in tables.iter_rows():
            layer = next((prefix.rstrip("_") for prefix in LAYERS if schema.startswith(prefix)), None)
            if layer is None:
                continue
            count = connection.scalar(f'select count(*) from "{schema}"."{table}"')
            rows.append((LAYERS.index(next(p for p in LAYERS if schema.startswith(p))), layer, schema, table, count))
    frame = pl.DataFrame(rows, schema=["order", "layer", "schema", "table", "rows"], orient="row")
    return frame.sort("order", "schema", "table").drop("order")


def batch_summary(target: Warehouse) -> pl.DataFrame:
    """Return the reconciliation per source entity from ``ops.batch_log``."""
    with warehouse_io.connect(target) as connection:
        return connection.query((SQL_DIR / "batch_summary.sql").read_text(encoding="utf-8"))


def render(target: Warehouse) -> str:
    """Return a printable summary of the warehouse."""
    with pl.Config(tbl_rows=200, tbl_cols=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True, tbl_width_chars=140, fmt_str_lengths=60):
        counts = table_counts(target)
        ledger = batch_summary(target)
        return "\n".join(
            [
                "Rows per layer and table:",
                str(counts),
                "",
                "Quality ledger (delivered = loaded + quarantined + duplicates):",
                str(ledger),
            ]
        )
