"""Build small cleaned batches for the quality tests.

Imported by the test modules as ``quality_batches`` (a name no other test
folder uses, because test folders have no ``__init__.py``) and exposed to
them as the ``batch`` fixture by ``conftest.py``.

Each dataset has one good row, shaped like its cleaner's output; a test lists
the rows it wants as overrides of that row, so the bad value in a failing case
is the only thing that differs from a row known to pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import polars as pl

LINEAGE_SCHEMA: dict[str, Any] = {
    "_batch_id": pl.String,
    "_extracted_at": pl.Datetime("us", "UTC"),
    "_source": pl.String,
    "_source_row": pl.Int64,
    "_row_hash": pl.String,
}

GOOD_ROWS: dict[str, dict[str, Any]] = {
    "household_residents": {
        "record_id": "HJRK-000001",
        "id_number": "11010519491231002X",
        "id_number_issue": None,
        "name": "王 小明",
        "gender_code": "2",
        "birth_date": dt.date(1949, 12, 31),
        "household_number": "110105001001",
        "relation_code": "02",
        "division_code": "110105001001",
        "registered_date": dt.date(1985, 6, 1),
        "updated_at": dt.datetime(2026, 10, 30, 8, 15),
    },
    "deaths": {
        "record_number": "SW2026100001",
        "id_number": "11010519491231002X",
        "id_number_issue": None,
        "name": "王小明",
        "death_date": dt.date(2026, 10, 2),
        "place": "第一殡仪馆",
        "updated_at": dt.datetime(2026, 10, 3, 9, 0),
    },
    "house_units": {
        "unit_code": "FW1101050010010301",
        "division_code": "110105001001",
        "estate_name": "幸福里小区",
        "building": "3",
        "entrance": "2",
        "floor": 5,
        "room": "501",
        "floor_area": 89.5,
        "use_code": "residential",
        "owner_id_number": "11010519491231002X",
        "updated_at": dt.datetime(2026, 10, 1, 0, 0),
    },
    "community_corrections": {
        "serial_number": "1",
        "name": "李四",
        "id_number": "110105198001010016",
        "id_number_issue": None,
        "correction_type": "缓刑",
        "start_date": dt.date(2025, 3, 1),
        "end_date": dt.date(2027, 2, 28),
        "justice_office": "幸福街道司法所",
        "status": "在矫",
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "household_residents": {
        "record_id": pl.String,
        "id_number": pl.String,
        "id_number_issue": pl.String,
        "name": pl.String,
        "gender_code": pl.String,
        "birth_date": pl.Date,
        "household_number": pl.String,
        "relation_code": pl.String,
        "division_code": pl.String,
        "registered_date": pl.Date,
        "updated_at": pl.Datetime("us"),
    },
    "deaths": {
        "record_number": pl.String,
        "id_number": pl.String,
        "id_number_issue": pl.String,
        "name": pl.String,
        "death_date": pl.Date,
        "place": pl.String,
        "updated_at": pl.Datetime("us"),
    },
    "house_units": {
        "unit_code": pl.String,
        "division_code": pl.String,
        "estate_name": pl.String,
        "building": pl.String,
        "entrance": pl.String,
        "floor": pl.Int64,
        "room": pl.String,
        "floor_area": pl.Float64,
        "use_code": pl.String,
        "owner_id_number": pl.String,
        "updated_at": pl.Datetime("us"),
    },
    "community_corrections": {
        "serial_number": pl.String,
        "name": pl.String,
        "id_number": pl.String,
        "id_number_issue": pl.String,
        "correction_type": pl.String,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "justice_office": pl.String,
        "status": pl.String,
    },
}

DATASETS = list(GOOD_ROWS)

FrameBuilder = Callable[..., pl.DataFrame]


def cleaned_batch(
    dataset: str, *overrides: dict[str, Any], rows: int | None = None, source: str = "delivery.csv"
) -> pl.DataFrame:
    """Return a cleaned batch of ``dataset``: one row per override of the good row.

    Args:
        dataset: Dataset name, a key of ``GOOD_ROWS``.
        *overrides: Per row, the values that differ from the good row.
        rows: Number of rows when no overrides are given (default 3).
        source: The ``_source`` of every row.
    """
    if not overrides:
        overrides = tuple({} for _ in range(rows or 3))
    records = []
    for position, override in enumerate(overrides, start=1):
        record = {
            "_batch_id": f"{dataset}-20261101",
            "_extracted_at": dt.datetime(2026, 11, 1, 2, 0, tzinfo=dt.timezone.utc),
            "_source": source,
            "_source_row": position,
            "_row_hash": f"hash-{position}",
            **GOOD_ROWS[dataset],
        }
        record.update(override)
        records.append(record)
    return pl.DataFrame(records, schema={**LINEAGE_SCHEMA, **SCHEMAS[dataset]})
