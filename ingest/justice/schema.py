"""Justice datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.common import source_facts
from ingest.common.batches import Dataset
from ingest.common.mentions import PersonMention, UnitMention
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
    mentions=(
        PersonMention(
            role="corrections_subject", id_column="id_number", name_column="name", key_column="person_key",
            issue_column="id_number_issue",
        ),
    ),
    unit_mentions=(UnitMention(role="lives_at", address_column="address"),),
)

MEDIATION_CASES = Dataset(
    source_system="justice",
    source_entity="mediation_cases",
    record_key="_source_row",
    columns=tuple(source_facts.aliases(__file__, "mediation_cases")),
    clean=clean.clean_mediation_cases,
    clean_columns=(
        "case_number", "accepted_date", "closed_date", "days_to_close", "dispute_type", "dispute_type_code",
        "location_district", "location_street", "location_community",
        "mediation_organization", "result_code", "agreement_amount", "party_count", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="party", id_column="party_id_numbers", name_column="party_names", phone_column="party_phones",
            many=True,
        ),
    ),
    # The place of the dispute, most often a party's home: person resolution
    # compares the parties' addresses with it.
    unit_mentions=(UnitMention(role="occurred_at", address_column="dispute_location", parsed_column="_location"),),
)

RESETTLEMENT_CASES = Dataset(
    source_system="justice",
    source_entity="resettlement_cases",
    record_key="_source_row",
    columns=tuple(source_facts.aliases(__file__, "resettlement_cases")),
    clean=clean.clean_resettlement_cases,
    clean_columns=(
        "person_key", "release_date", "current_district", "current_street", "current_community",
        "status_code", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="released_person", id_column="id_number", name_column="name", key_column="person_key",
            issue_column="id_number_issue",
        ),
    ),
    unit_mentions=(
        UnitMention(role="registered_at", address_column="registered_address"),
        UnitMention(role="lives_at", address_column="current_address", parsed_column="_current"),
    ),
)

DATASETS = (COMMUNITY_CORRECTIONS, MEDIATION_CASES, RESETTLEMENT_CASES)
