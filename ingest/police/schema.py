"""Police datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.common import source_facts
from ingest.common.batches import Dataset, KeyedColumn
from ingest.common.mentions import OrgMention, PersonMention, UnitMention
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
    mentions=(
        PersonMention(
            role="resident", id_column="id_number", name_column="name", key_column="person_key", phone_column="phone",
            issue_column="id_number_issue",
        ),
    ),
    keyed=(KeyedColumn(column="household_key", source="household_number", namespace="household"),),
    unit_mentions=(
        UnitMention(role="registered_at", address_column="registered_address", division_code_column="division_code"),
    ),
)

FLOATING_RESIDENTS = Dataset(
    source_system="police",
    source_entity="floating_residents",
    record_key="record_id",
    columns=tuple(source_facts.aliases(__file__, "floating_residents")),
    clean=clean.clean_floating_residents,
    clean_columns=(
        "record_id", "person_key", "gender_code", "birth_date", "current_district", "current_street",
        "current_community", "origin_province", "residence_reason",
        "residence_reason_code", "employer_name", "registered_date", "valid_until_date", "updated_at",
        "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="floating_resident", id_column="id_number", name_column="name", key_column="person_key",
            phone_column="phone", issue_column="id_number_issue",
        ),
    ),
    unit_mentions=(UnitMention(role="lives_at", address_column="current_address", parsed_column="_current"),),
    # FWCS names the employer or school only; resolution links it by name.
    org_mentions=(OrgMention(role="employer", name_column="employer_name"),),
)

INCIDENTS = Dataset(
    source_system="police",
    source_entity="incidents",
    record_key="record_id",
    columns=tuple(source_facts.aliases(__file__, "incidents")),
    clean=clean.clean_incidents,
    clean_columns=(
        "record_id", "incident_number", "reported_at", "category_code", "category", "subcategory_name",
        "location_district", "location_street", "location_community", "longitude",
        "latitude", "police_station", "outcome", "outcome_code", "involved_count", "updated_at", "quality_flags",
    ),
    # SJRY lists identity numbers only: the persons involved have no name here.
    mentions=(PersonMention(role="involved", id_column="involved_id_numbers", name_column=None, many=True),),
    # Where it happened: a flat, or a street place that places it on no unit;
    # unit resolution places it on a grid where it names an estate and building.
    unit_mentions=(UnitMention(role="occurred_at", address_column="address", parsed_column="_location"),),
)

DATASETS = (HOUSEHOLD_RESIDENTS, FLOATING_RESIDENTS, INCIDENTS)
