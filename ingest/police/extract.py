"""Read police tables over a database connection, incrementally on ``GXSJ``. I/O only."""

from __future__ import annotations

import polars as pl
import sqlalchemy as sa

from ingest.common import source_facts
from ingest.common.batches import DeliveredBatch
from ingest.common.headers import map_headers


def extract_table(database_url: str, entity: str, since: str | None) -> DeliveredBatch | None:
    """Read the rows of one police table updated after the watermark ``since``.

    Returns:
        One batch of the new or updated rows, or ``None`` when nothing changed.
        The batch id names the table and the watermark range, so extracting the
        same range twice yields the same batch.
    """
    facts = source_facts.entity(__file__, entity)
    table, watermark = facts["table"], facts["watermark"]
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            if table not in inspector.get_table_names():
                return DeliveredBatch(
                    batch_id=f"{table}@missing", source=f"police:{table}", frame=None,
                    refused=f"police table {table} does not exist in the source database",
                )
            query = sa.select(sa.table(table, *(sa.column(c["name"]) for c in inspector.get_columns(table))))
            watermark_column = sa.column(watermark)
            if since is not None:
                query = query.where(watermark_column > since)
            query = query.order_by(watermark_column, sa.column(facts["key"]))
            result = connection.execute(query)
            headers = list(result.keys())
            rows = result.fetchall()
    finally:
        engine.dispose()
    if not rows:
        return None
    frame = pl.DataFrame(
        [[None if value is None else str(value) for value in row] for row in rows],
        schema={header: pl.Utf8 for header in headers},
        orient="row",
    )
    mapping = map_headers(headers, source_facts.aliases(__file__, entity))
    frame = frame.drop(mapping.dropped).rename(mapping.rename)
    frame = frame.with_columns(pl.col("record_id").cast(pl.Int64, strict=False).alias("_source_row"))
    upper = frame["updated_at"].max()
    return DeliveredBatch(
        batch_id=f"{table}:{since or 'start'}..{upper}",
        source=f"police:{table}",
        frame=frame,
        dropped_fields=mapping.dropped,
    )
