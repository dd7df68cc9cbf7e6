"""Housing datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

import polars as pl

from ingest.common import source_facts
from ingest.common.batches import Dataset
from ingest.common.mentions import OrgMention, PersonMention, UnitMention, looks_like_org_name
from ingest.housing import clean

HOUSE_UNITS = Dataset(
    source_system="housing",
    source_entity="house_units",
    # The record key of a housing file is its data row (source-systems.md
    # section 6); the unit code is the unit's key, which staging versions by.
    record_key="_source_row",
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
    unit_mentions=(
        UnitMention(
            role="unit", unit_code_column="unit_code", address_column="address", division_code_column="division_code",
            component_columns=(
                ("estate", "estate_name"), ("building", "building"), ("entrance", "entrance"), ("floor", "floor"),
                ("room", "room"),
            ),
        ),
    ),
    org_mentions=(
        # An owner whose credit code fails its check is still an organization
        # when its name says so; resolution then links it by name.
        OrgMention(
            role="owner", name_column="owner_name", credit_code_column="owner_credit_code",
            applies=(pl.col("owner_type") == "organization")
            | ((pl.col("owner_type") == "unknown") & looks_like_org_name(pl.col("owner_name"))),
        ),
    ),
)

RENTAL_REGISTRATIONS = Dataset(
    source_system="housing",
    source_entity="rental_registrations",
    record_key="_source_row",
    columns=tuple(source_facts.aliases(__file__, "rental_registrations")),
    clean=clean.clean_rental_registrations,
    clean_columns=(
        "registration_number", "unit_code", "address_district", "address_street", "address_community",
        "landlord_type", "landlord_person_key", "tenant_count", "start_date", "end_date",
        "monthly_rent", "rental_use", "registered_date", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="landlord", id_column="landlord_id_number", name_column="landlord_name",
            key_column="landlord_person_key", applies=pl.col("landlord_type") != "organization",
            issue_column="landlord_id_number_issue",
        ),
        PersonMention(role="tenant", id_column="tenant_id_numbers", name_column="tenant_names", many=True),
    ),
    unit_mentions=(
        UnitMention(role="rented_unit", unit_code_column="unit_code", address_column="address", parsed_column="_address"),
    ),
)

DATASETS = (HOUSE_UNITS, RENTAL_REGISTRATIONS)
