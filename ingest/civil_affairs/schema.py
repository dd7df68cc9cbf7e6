"""Civil-affairs datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.civil_affairs import clean
from ingest.common import source_facts
from ingest.common.batches import Dataset, PersonMention

DEATHS = Dataset(
    source_system="civil_affairs",
    source_entity="deaths",
    record_key="record_number",
    columns=tuple(source_facts.aliases(__file__, "deaths")),
    clean=clean.clean_deaths,
    clean_columns=("record_number", "person_key", "death_date", "updated_at", "quality_flags"),
    mentions=(PersonMention(role="deceased", id_column="id_number", name_column="name", key_column="person_key"),),
)

DATASETS = (DEATHS,)
