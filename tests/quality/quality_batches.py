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
from decimal import Decimal
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
    "floating_residents": {
        "record_id": "LDRK-000001",
        "id_number": "410102199505050050",
        "id_number_issue": None,
        "name": "刘洋",
        "gender_code": "1",
        "birth_date": dt.date(1995, 5, 5),
        "residence_reason_code": "work",
        "registered_date": dt.date(2025, 3, 1),
        "valid_until_date": dt.date(2027, 2, 28),
        "updated_at": dt.datetime(2026, 1, 10, 9, 0),
    },
    "incidents": {
        "record_id": "JQ-000001",
        "reported_at": dt.datetime(2026, 1, 1, 21, 15),
        "category_code": "03",
        "outcome": "已处理",
        "longitude": 120.1655,
        "latitude": 30.2581,
        "involved_invalid_id_count": 0,
        "updated_at": dt.datetime(2026, 1, 2, 8, 0),
    },
    "marriages": {
        "registration_number": "JH2026000001",
        "registration_type_code": "marriage",
        "registration_date": dt.date(2026, 1, 5),
        "male_id_number": "330102198007070070",
        "male_id_number_issue": None,
        "female_id_number": "330102198208080080",
        "female_id_number_issue": None,
        "updated_at": dt.datetime(2026, 1, 5, 10, 0),
    },
    "subsistence_cases": {
        "case_number": "DB2026001",
        "head_id_number_issue": None,
        "member_count": 2,
        "member_invalid_id_count": 0,
        "monthly_amount": Decimal("1250.50"),
        "start_date": dt.date(2025, 6, 1),
        "status_code": "active",
    },
    "organizations": {
        "credit_code": "51330102MJ00000011",
        "credit_code_issue": None,
        "org_type": "社会团体",
        "status_code": "active",
        "legal_representative_id_number_issue": None,
        "founded_date": dt.date(2015, 3, 1),
    },
    "rental_registrations": {
        "registration_number": "BA2026000001",
        "unit_reference": "FW330102000001",
        "landlord_type": "person",
        "tenant_count": 2,
        "tenant_invalid_id_count": 0,
        "tenant_missing_id_count": 0,
        "monthly_rent": Decimal("3500.00"),
        "start_date": dt.date(2026, 1, 6),
    },
    "mediation_cases": {
        "case_number": "TJ2026-0001",
        "accepted_date": dt.date(2026, 3, 2),
        "dispute_type": "邻里",
        "result_code": "success",
        "party_count": 2,
        "party_invalid_id_count": 0,
        "agreement_amount": Decimal("2000.00"),
    },
    "resettlement_cases": {
        "name": "冯军",
        "id_number": "330105197507170179",
        "id_number_issue": None,
        "release_date": dt.date(2025, 3, 1),
        "status_code": "active",
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
    "floating_residents": {
        "record_id": pl.String,
        "id_number": pl.String,
        "id_number_issue": pl.String,
        "name": pl.String,
        "gender_code": pl.String,
        "birth_date": pl.Date,
        "residence_reason_code": pl.String,
        "registered_date": pl.Date,
        "valid_until_date": pl.Date,
        "updated_at": pl.Datetime("us"),
    },
    "incidents": {
        "record_id": pl.String,
        "reported_at": pl.Datetime("us"),
        "category_code": pl.String,
        "outcome": pl.String,
        "longitude": pl.Float64,
        "latitude": pl.Float64,
        "involved_invalid_id_count": pl.Int64,
        "updated_at": pl.Datetime("us"),
    },
    "marriages": {
        "registration_number": pl.String,
        "registration_type_code": pl.String,
        "registration_date": pl.Date,
        "male_id_number": pl.String,
        "male_id_number_issue": pl.String,
        "female_id_number": pl.String,
        "female_id_number_issue": pl.String,
        "updated_at": pl.Datetime("us"),
    },
    "subsistence_cases": {
        "case_number": pl.String,
        "head_id_number_issue": pl.String,
        "member_count": pl.Int64,
        "member_invalid_id_count": pl.Int64,
        "monthly_amount": pl.Decimal(14, 2),
        "start_date": pl.Date,
        "status_code": pl.String,
    },
    "organizations": {
        "credit_code": pl.String,
        "credit_code_issue": pl.String,
        "org_type": pl.String,
        "status_code": pl.String,
        "legal_representative_id_number_issue": pl.String,
        "founded_date": pl.Date,
    },
    "rental_registrations": {
        "registration_number": pl.String,
        "unit_reference": pl.String,
        "landlord_type": pl.String,
        "tenant_count": pl.Int64,
        "tenant_invalid_id_count": pl.Int64,
        "tenant_missing_id_count": pl.Int64,
        "monthly_rent": pl.Decimal(14, 2),
        "start_date": pl.Date,
    },
    "mediation_cases": {
        "case_number": pl.String,
        "accepted_date": pl.Date,
        "dispute_type": pl.String,
        "result_code": pl.String,
        "party_count": pl.Int64,
        "party_invalid_id_count": pl.Int64,
        "agreement_amount": pl.Decimal(14, 2),
    },
    "resettlement_cases": {
        "name": pl.String,
        "id_number": pl.String,
        "id_number_issue": pl.String,
        "release_date": pl.Date,
        "status_code": pl.String,
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
