"""Justice datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.common import source_facts
from ingest.common.batches import Dataset, PersonMention
from ingest.justice import clean

COMMUNITY_CORRECTIONS = Dataset(
    source_system="justice",
    source_entity="community_corrections",
    # The roster's 序号 restarts every month, so the record key within the
    # source is the file, sheet and data row (source-systems.md section 6).
    record_key="_source_row",
    columns=tuple(source_facts.aliases(__file__, "community_corrections")),
    clean=clean.clean_community_corrections,
    clean_columns=(
        "serial_number", "person_key", "correction_type", "start_date", "end_date",
        "justice_office", "status_code", "quality_flags",
    ),
    mentions=(PersonMention(role="corrections_subject", id_column="id_number", name_column="name", key_column="person_key"),),
)

DATASETS = (COMMUNITY_CORRECTIONS,)
