"""Remember how far incremental extraction has read each source.

Watermarks live in the warehouse (``ops.watermarks``) beside the data they
describe, so a fresh warehouse re-reads everything and a restored one resumes
where its data ends.
"""

from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from ingest.common.warehouse import WarehouseConnection


def get(connection: WarehouseConnection, source_system: str, source_entity: str) -> str | None:
    """Return the stored watermark, or ``None`` before the first extraction."""
    return connection.scalar(
        "select watermark from ops.watermarks where source_system = :system and source_entity = :entity",
        {"system": source_system, "entity": source_entity},
    )


def put(connection: WarehouseConnection, source_system: str, source_entity: str, watermark: str) -> None:
    """Store a new watermark, replacing the old one."""
    connection.execute(
        "delete from ops.watermarks where source_system = :system and source_entity = :entity",
        {"system": source_system, "entity": source_entity},
    )
    connection.append(
        "ops",
        "watermarks",
        pl.DataFrame(
            {
                "source_system": [source_system],
                "source_entity": [source_entity],
                "watermark": [watermark],
                "updated_at": [datetime.now(timezone.utc).replace(tzinfo=None)],
            },
            schema_overrides={"updated_at": pl.Datetime("us")},
        ),
    )
