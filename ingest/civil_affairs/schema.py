"""Civil-affairs datasets: raw columns, clean columns and person mentions."""

from __future__ import annotations

from ingest.civil_affairs import clean
from ingest.common import source_facts
from ingest.common.batches import Dataset
from ingest.common.mentions import OrgMention, PersonMention, UnitMention

DEATHS = Dataset(
    source_system="civil_affairs",
    source_entity="deaths",
    record_key="record_number",
    columns=tuple(source_facts.aliases(__file__, "deaths")),
    clean=clean.clean_deaths,
    clean_columns=("record_number", "person_key", "death_date", "updated_at", "quality_flags"),
    mentions=(
        PersonMention(
            role="deceased", id_column="id_number", name_column="name", key_column="person_key",
            issue_column="id_number_issue",
        ),
    ),
)

MARRIAGES = Dataset(
    source_system="civil_affairs",
    source_entity="marriages",
    record_key="registration_number",
    columns=tuple(source_facts.aliases(__file__, "marriages")),
    clean=clean.clean_marriages,
    clean_columns=(
        "registration_number", "registration_type", "registration_type_code", "registration_date",
        "male_person_key", "female_person_key", "office", "updated_at", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="male_party", id_column="male_id_number", name_column="male_name", key_column="male_person_key",
            issue_column="male_id_number_issue",
        ),
        PersonMention(
            role="female_party", id_column="female_id_number", name_column="female_name", key_column="female_person_key",
            issue_column="female_id_number_issue",
        ),
    ),
)

SUBSISTENCE_CASES = Dataset(
    source_system="civil_affairs",
    source_entity="subsistence_cases",
    record_key="case_number",
    columns=tuple(source_facts.aliases(__file__, "subsistence_cases")),
    clean=clean.clean_subsistence_cases,
    clean_columns=(
        "case_number", "head_person_key", "member_count", "address_district", "address_street",
        "address_community", "monthly_amount", "start_date", "end_date", "status_code",
        "updated_at", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="head", id_column="head_id_number", name_column="head_name", key_column="head_person_key",
            issue_column="head_id_number_issue",
        ),
        PersonMention(role="member", id_column="member_id_numbers", name_column="member_names", many=True),
    ),    unit_mentions=(UnitMention(role="lives_at", address_column="address", parsed_column="_address"),),
)

ORGANIZATIONS = Dataset(
    source_system="civil_affairs",
    source_entity="organizations",
    record_key="credit_code",
    columns=tuple(source_facts.aliases(__file__, "organizations")),
    clean=clean.clean_organizations,
    clean_columns=(
        "credit_code", "has_valid_credit_code", "org_name", "org_type", "org_type_code",
        "legal_representative_person_key", "address_district", "address_street", "address_community",
        "founded_date", "status_code", "updated_at", "quality_flags",
    ),
    mentions=(
        PersonMention(
            role="legal_representative", id_column="legal_representative_id_number",
            name_column="legal_representative_name", key_column="legal_representative_person_key",
            issue_column="legal_representative_id_number_issue",
        ),
    ),    org_mentions=(
        OrgMention(role="organization", name_column="org_name", credit_code_column="credit_code", address_column="address"),
    ),
    # The registered office (住所): dim_organization's grid is its unit's.
    unit_mentions=(UnitMention(role="located_at", address_column="address", parsed_column="_address"),),
)

DATASETS = (DEATHS, MARRIAGES, SUBSISTENCE_CASES, ORGANIZATIONS)
