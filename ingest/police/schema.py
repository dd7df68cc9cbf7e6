"""Police datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.common import source_facts
from ingest.common.batches import Dataset, KeyedColumn, PersonMention
from ingest.police import clean

HOUSEHOLD_RESIDENTS = Dataset(
    source_system="police",
    source_entity="household_residents",
    record_key="record_id",
    columns=tuple(source_facts.aliases(__file__, "household_residents")),
    clean=clean.clean_household_residents,
    clean_columns=(
        "record_id", "person_key", "gender_code", "birth_date", "household_key", "relation_code",
        "division_code", "registered_date", "deregistered_date", "deregistration_reason_code",
        "updated_at", "quality_flags",
    ),
    mentions=(PersonMention(role="resident", id_column="id_number", name_column="name", key_column="person_key"),),
    keyed=(KeyedColumn(column="household_key", source="household_number", namespace="household"),),
)

DATASETS = (HOUSEHOLD_RESIDENTS,)
