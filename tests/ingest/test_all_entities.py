"""Every source entity of the contract through raw, the gate, quarantine, clean and mentions.

The deliveries are ``tests/fixtures/all_entities`` (hand-made, see its
README.md); every expected count below is worked out from those files.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest
from ingest_deliveries import load_everything, query

from ingest.common.warehouse import connect
from ingest.registry import DEPARTMENTS
from orchestration.runner import run_pipeline
from sharehouse.settings import Warehouse

# entity -> per batch: (rows delivered, loaded, quarantined, duplicate, out-of-scope fields dropped)
LEDGER = {
    "household_residents": [(2, 2, 0, 0, 0)],
    # row 3 fails its check character; ZZMM (political affiliation) dropped
    "floating_residents": [(4, 3, 1, 0, 1)],
    # every incident loads: the invalid involved number is only a warning
    "incidents": [(4, 4, 0, 0, 0)],
    "deaths": [(1, 1, 0, 0, 0)],
    # the first record twice, one without regNo; politicalStatus dropped
    "marriages": [(4, 2, 1, 1, 1)],
    # the head with a bad number and the unreadable members still load
    "subsistence_cases": [(2, 2, 0, 0, 0)],
    # the record without a credit code is quarantined, the bad code loads
    "organizations": [(4, 3, 1, 0, 0)],
    # the full snapshot, then an increment with renamed headers and 民族 dropped
    "house_units": [(3, 3, 0, 0, 0), (2, 2, 0, 0, 1)],
    # the row without 备案编号 is quarantined; the next day corrects a rent
    "rental_registrations": [(3, 2, 1, 0, 0), (1, 1, 0, 0, 0)],
    # one roster row without a number; the 合计 rows are not rows
    "community_corrections": [(2, 1, 1, 0, 0)],
    "mediation_cases": [(3, 2, 1, 0, 0)],
    "resettlement_cases": [(3, 2, 1, 0, 0)],
}

# (entity, role) -> (mentions, of them without a valid identity number)
MENTIONS = {
    ("household_residents", "resident"): (2, 0),
    ("floating_residents", "floating_resident"): (3, 0),
    ("incidents", "involved"): (5, 1),
    ("deaths", "deceased"): (1, 0),
    ("marriages", "male_party"): (2, 0),
    ("marriages", "female_party"): (2, 1),
    ("subsistence_cases", "head"): (2, 1),
    ("subsistence_cases", "member"): (2, 1),
    ("organizations", "legal_representative"): (3, 1),
    ("house_units", "owner"): (3, 0),
    ("rental_registrations", "landlord"): (2, 0),
    ("rental_registrations", "tenant"): (6, 1),
    ("community_corrections", "corrections_subject"): (1, 0),
    ("mediation_cases", "party"): (4, 3),
    ("resettlement_cases", "released_person"): (2, 0),
}

DATASETS = [dataset for department in DEPARTMENTS for dataset in department.datasets]


@pytest.fixture
def loaded(all_entities_sources: Path, duckdb_warehouse: Warehouse) -> Warehouse:
    load_everything(all_entities_sources, duckdb_warehouse)
    return duckdb_warehouse


def _ledger(target: Warehouse) -> dict[str, list[tuple]]:
    rows = query(
        target,
        "select source_entity, rows_delivered, rows_loaded, rows_quarantined, rows_duplicate, fields_dropped "
        "from ops.batch_log where status = 'loaded' order by source_entity, batch_id",
    )
    ledger: dict[str, list[tuple]] = {}
    for entity, *counts in rows.rows():
        ledger.setdefault(entity, []).append(tuple(counts))
    return ledger


def test_every_entity_loads_and_the_ledger_balances(loaded: Warehouse) -> None:
    assert _ledger(loaded) == LEDGER
    assert query(loaded, "select count(*) as refused from ops.batch_log where status <> 'loaded'").item() == 0
    with connect(loaded) as connection:
        for dataset in DATASETS:
            table = f"{dataset.source_system}.{dataset.source_entity}"
            delivered = sum(batch[0] for batch in LEDGER[dataset.source_entity])
            loaded_rows = sum(batch[1] for batch in LEDGER[dataset.source_entity])
            quarantined = sum(batch[2] for batch in LEDGER[dataset.source_entity])
            assert connection.scalar(f"select count(*) from raw_{table}") == delivered, table
            assert connection.scalar(f"select count(*) from clean_{table}") == loaded_rows, table
            assert connection.scalar(
                "select count(*) from quarantine.quarantined_rows where source_entity = :entity",
                {"entity": dataset.source_entity},
            ) == quarantined, table


def test_multi_person_records_are_never_quarantined_for_one_partys_number(loaded: Warehouse) -> None:
    rules = query(loaded, "select source_entity, rule from quarantine.quarantined_rows order by source_entity")
    for entity, rule in rules.rows():
        if entity in ("marriages", "subsistence_cases", "rental_registrations", "mediation_cases", "incidents"):
            assert "id_number" not in rule, (entity, rule)
    assert sorted(rules["rule"].to_list()) == sorted([
        "raw.community_corrections.critical:expect_column_values_to_be_null(id_number_issue)",
        "raw.floating_residents.critical:expect_column_values_to_be_null(id_number_issue)",
        "raw.marriages.critical:expect_column_values_to_not_be_null(registration_number)",
        "raw.mediation_cases.critical:expect_column_values_to_not_be_null(case_number)",
        "raw.organizations.critical:expect_column_values_to_not_be_null(credit_code)",
        "raw.rental_registrations.critical:expect_column_values_to_not_be_null(registration_number)",
        "raw.resettlement_cases.critical:expect_column_values_to_be_null(id_number_issue)",
    ])


def test_every_mention_is_written_with_its_role_and_position(loaded: Warehouse) -> None:
    counts = query(
        loaded,
        "select source_entity, role, count(*) as mentions, sum(case when person_key is null then 1 else 0 end) as unresolved "
        "from identity.person_mentions group by source_entity, role",
    )
    assert {(entity, role): (total, unresolved) for entity, role, total, unresolved in counts.rows()} == MENTIONS

    parties = query(
        loaded,
        "select position, id_number, name, phone, person_key is null as unresolved, evidence "
        "from identity.person_mentions where source_entity = 'mediation_cases' and record_key = '1' order by position",
    )
    assert parties.rows() == [
        (1, "330102199001010012", "张三", None, False, "rule:id_number"),
        (2, None, "李四", "+8613800001111", True, "unresolved"),
    ]
    involved = query(
        loaded,
        "select position, id_number, person_key is null as unresolved from identity.person_mentions "
        "where source_entity = 'incidents' and record_key = '3' order by position",
    )
    # SJRY ' 330108198801110111 ； 330108198902120125 ': full-width separator, the second fails its check.
    assert involved.rows() == [(1, "330108198801110111", False), (2, "330108198902120125", True)]
    tenants = query(
        loaded,
        "select position, id_number, name from identity.person_mentions where source_entity = 'rental_registrations' "
        "and role = 'tenant' and batch_id = '租赁备案_增量_20260106.csv' and record_key = '2' order by position",
    )
    assert tenants.rows() == [(1, "330102199303130132", "郑强"), (2, "330102199404140146", "王芳")]
    members = query(
        loaded,
        "select position, id_number, name from identity.person_mentions "
        "where source_entity = 'subsistence_cases' and role = 'member' order by position",
    )
    assert members.rows() == [(1, "330105197608180181", "冯妻"), (2, None, "冯小")]


def test_clean_tables_hold_no_clear_identity_name_phone_or_address(loaded: Warehouse) -> None:
    with connect(loaded) as connection:
        mentions = connection.read_table("identity", "person_mentions")
        personal = {
            value for column in ("id_number", "name", "phone") for value in mentions[column].drop_nulls().to_list()
        }
        addresses = set()
        for dataset in DATASETS:
            raw = connection.read_table(dataset.raw_schema, dataset.source_entity)
            for column in raw.columns:
                if "address" in column:
                    # An address down to a building or room; a bare estate
                    # name (和睦新村) is a place, and clean keeps estates.
                    addresses.update(value for value in raw[column].drop_nulls().to_list() if re.search(r"\d", value))
        for dataset in DATASETS:
            clean = connection.read_table(dataset.clean_schema, dataset.source_entity)
            forbidden = [c for c in clean.columns if re.search(r"(^|_)(id_number|name|phone|address)$", c)]
            assert forbidden in ([], ["employer_name"], ["org_name"], ["estate_name"], ["subcategory_name"]), forbidden
            for column, dtype in clean.schema.items():
                if dtype != pl.Utf8 or column.startswith("_") or column.endswith("_key"):
                    continue
                values = set(clean[column].drop_nulls().to_list())
                assert not values & personal, (dataset.source_entity, column, values & personal)
                assert not values & addresses, (dataset.source_entity, column, values & addresses)


def test_loading_the_same_deliveries_again_changes_nothing(all_entities_sources: Path, loaded: Warehouse) -> None:
    before = _ledger(loaded)
    mentions = query(loaded, "select count(*) from identity.person_mentions").item()

    outcomes = load_everything(all_entities_sources, loaded)

    assert all(outcome.skipped for batches in outcomes.values() for outcome in batches)
    assert _ledger(loaded) == before
    assert query(loaded, "select count(*) from identity.person_mentions").item() == mentions


def _assert_staging(url: str) -> None:
    target = Warehouse(url)
    counts = {
        "stg_police__household_residents": 2,
        "stg_police__floating_residents": 3,
        "stg_police__incidents": 4,
        "stg_civil_affairs__deaths": 1,
        "stg_civil_affairs__marriages": 2,
        "stg_civil_affairs__subsistence_cases": 2,
        "stg_civil_affairs__organizations": 3,
        # three units in the full snapshot, one new in the increment
        "stg_housing__house_units": 4,
        # BA2026000001 twice (corrected the next day), BA2026000002 once
        "stg_housing__rental_registrations": 2,
        "stg_justice__community_corrections": 1,
        "stg_justice__mediation_cases": 2,
        "stg_justice__resettlement_cases": 2,
    }
    for model, expected in counts.items():
        assert query(target, f"select count(*) from staging.{model}").item() == expected, model
    # The 1-05 increment corrects the floor area of a unit of the 1-01 snapshot.
    assert query(
        target, "select floor_area from staging.stg_housing__house_units where unit_code = 'FW330102000001'"
    ).item() == 90.25
    assert float(query(
        target,
        "select monthly_rent from staging.stg_housing__rental_registrations where registration_number = 'BA2026000001'",
    ).item()) == 3600.0
    assert query(
        target, "select category_code || ':' || category from staging.stg_police__incidents where record_id = '2'"
    ).item() == "01:criminal"


@pytest.mark.slow
def test_run_builds_staging_for_every_entity_on_duckdb(all_entities_sources: Path, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'run.duckdb'}"
    report = run_pipeline(all_entities_sources, url)
    assert report.success, report.failures + report.failed_checks
    _assert_staging(url)


@pytest.mark.slow
@pytest.mark.postgres
def test_run_builds_staging_for_every_entity_on_postgres(all_entities_sources: Path, postgres_url: str) -> None:
    report = run_pipeline(all_entities_sources, postgres_url)
    assert report.success, report.failures + report.failed_checks
    _assert_staging(postgres_url)
