"""Housing datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

import polars as pl

from ingest.common import source_facts
from ingest.common.batches import Dataset, PersonMention
from ingest.housing import clean

HOUSE_UNITS = Dataset(
    source_system="housing",
    source_entity="house_units",
    record_key="unit_code",
    columns=tuple(source_facts.aliases(__file__, "house_units")),
    clean=clean.clean_house_units,
    clean_columns=(
        "unit_code", "division_code", "estate_name", "building", "entrance", "floor", "room",
        "floor_area", "use_code", "owner_type", "owner_person_key", "updated_at", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="owner", id_column="owner_id_number", name_column="owner_name",
            key_column="owner_person_key", applies=pl.col("owner_type") == "person",
        ),
    ),
)

DATASETS = (HOUSE_UNITS,)
