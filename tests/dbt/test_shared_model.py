"""The shared model (dimensions, bridges, facts) is built right on DuckDB and PostgreSQL.

Most tests read the shared-model warehouse: ``fixtures/clean_sources.sql``
plus ``fixtures/shared_model.sql`` (reference divisions and the identity
mention tables), whose header lists by hand what every unit, spell and event
must come out as. The last tests read the plain warehouse, built before any
mention table exists, and the compiled singular tests run against corrupted
copies of the built DuckDB file to show that each can fail.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

if TYPE_CHECKING:
    from conftest import BuiltWarehouse

P01 = "08db2a59c8538d52e112ffc2361c6c04"
P02 = "26a37188e109993da49c4128f5565c73"
P03 = "8b181efd92545b040180f79f0cba9073"
P04 = "0124fab14c9871076ef42c457fec6ec9"
P05 = "e857e7068f62d4005493c6d5745f5782"
P06 = "dd7aee96fc16b1f5530b3b7e7df6c5a3"
P07 = "b4a5eeed399cd5f6e255c27240c51fe9"
P08 = "4d5cae275713440faf477c0ca1bcdc1c"
P09 = "6880142516b772446b3ad16bc074cb2b"
P10 = "1cc64206676545f7edb7321dd72948a2"
P11 = "5dbd4b5c2a883f54df73d02509dad224"
P12 = "367db3e09aad80caa8e69c0fe59d5418"
P13 = "65e7ef20e4be55c1ae47d450d385174c"
P14 = "acd37a2c5474c536b83029365d28ef9a"
P15 = "92d52efd18c9330c449772395c7e6804"
P16 = "b4ba6adef11751a9573ca3dba5bb7242"
P17 = "4fb59f9a41a2ed1c2aa8ba32cce4e1a5"
S01 = "a0000000000000000000000000000001"
S02 = "a0000000000000000000000000000002"

GRID_A1 = "330102001001001"
GRID_A2 = "330102001001002"
GRID_B1 = "330102001002001"
COMMUNITY_A = "330102001001"
COMMUNITY_B = "330102001002"
STREET = "330102001000"
DISTRICT = "330102000000"

SHARED_MODEL_MARTS = (
    "dim_grid", "dim_house_unit", "dim_organization", "bridge_person_unit", "bridge_person_org",
    "fct_incident", "fct_mediation_case", "fct_correction_episode", "fct_civil_event",
    "fct_subsistence_case", "bridge_event_person",
)


def rows_by(warehouse: BuiltWarehouse, sql: str, key: str, parameters: tuple = ()) -> dict:
    return {row[key]: row for row in warehouse.query(sql, parameters)}


def test_dim_grid_names_every_grid_with_its_community_street_and_district(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    grids = rows_by(shared_model_warehouse, "select * from marts.dim_grid", "grid_code")
    assert set(grids) == {GRID_A1, GRID_A2, GRID_B1}
    assert grids[GRID_B1] == {
        "grid_code": GRID_B1,
        "grid_name": "第1网格",
        "community_code": COMMUNITY_B,
        "community_name": "文鼎社区",
        "street_code": STREET,
        "street_name": "文新街道",
        "district_code": DISTRICT,
        "district_name": "西湖区",
    }


def test_dim_house_unit_derives_occupancy_and_counts_from_current_spells(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    units = rows_by(
        shared_model_warehouse,
        "select unit_key, grid_code, community_code, occupancy, registered_residents, floating_residents, "
        "tenants, owner_type, owner_org_key, is_in_register from marts.dim_house_unit",
        "unit_key",
    )
    summary = {
        key: (row["occupancy"], row["registered_residents"], row["floating_residents"], row["tenants"])
        for key, row in units.items()
    }
    assert summary == {
        "U501": ("owner_occupied", 2, 0, 0),  # P01 owns and lives there, with P02
        "U601": ("rented", 2, 1, 2),  # P03, P05 registered; P12 floating; P12, P17 renting
        "U101": ("rented", 2, 1, 1),  # P11, P13 registered; P17 floating; S01 renting
        "U701": ("vacant", 0, 0, 0),
        "UADDR": ("unknown", 1, 0, 0),  # only P12's registered address knows it
    }
    assert (units["U101"]["owner_type"], units["U101"]["owner_org_key"]) == ("person", None)
    assert (units["U701"]["owner_type"], units["U701"]["owner_org_key"]) == ("organization", "OWN")
    assert (units["UADDR"]["is_in_register"], units["UADDR"]["grid_code"], units["UADDR"]["community_code"]) == (
        False, GRID_B1, COMMUNITY_B,
    )


def test_dim_house_unit_takes_the_latest_register_version(shared_model_warehouse: BuiltWarehouse) -> None:
    unit = shared_model_warehouse.query(
        "select estate_name, building, entrance, floor, room, floor_area, use_code, street_name, district_name "
        "from marts.dim_house_unit where unit_key = 'U501'"
    )
    assert unit == [
        {
            "estate_name": "翠苑一区", "building": "3", "entrance": "2", "floor": 5, "room": "501",
            "floor_area": 89.25, "use_code": "residential", "street_name": "文新街道", "district_name": "西湖区",
        }
    ]


def spells(warehouse: BuiltWarehouse, table: str, person_key: str) -> set[tuple]:
    other = "unit_key" if table == "bridge_person_unit" else "org_key"
    rows = warehouse.query(
        f"select {other} as other_key, role, valid_from, valid_to, is_current, record_count "
        f"from marts.{table} where person_key = %s",
        (person_key,),
    )
    return {tuple(row.values()) for row in rows}


def test_bridge_person_unit_merges_overlapping_registrations_into_one_spell(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    # Records 1013 (since 1995) and 1018 (2020..2021) of P13 at U101 overlap;
    # the register names P13 owner from the 2026-10-01 snapshot on.
    assert spells(shared_model_warehouse, "bridge_person_unit", P13) == {
        ("U101", "registered_at", dt.date(1995, 1, 1), None, True, 2),
        ("U101", "owner", dt.date(2026, 10, 1), None, True, 1),
    }


def test_bridge_person_unit_keeps_history_and_only_the_latest_record_version(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    # P11 moved from U501 to U101 in 2003; both spells are kept.
    assert spells(shared_model_warehouse, "bridge_person_unit", P11) == {
        ("U501", "registered_at", dt.date(1985, 8, 1), dt.date(2003, 8, 31), False, 1),
        ("U101", "registered_at", dt.date(2003, 9, 1), None, True, 1),
    }
    # Batch 1 placed P05 at U101; the corrected batch-2 record alone counts.
    assert spells(shared_model_warehouse, "bridge_person_unit", P05) == {
        ("U601", "registered_at", dt.date(2012, 1, 1), None, True, 1),
    }
    # P01 owned U501 before the warehouse first saw the register: unknown start.
    assert spells(shared_model_warehouse, "bridge_person_unit", P01) == {
        ("U501", "owner", None, None, True, 1),
        ("U501", "registered_at", dt.date(2010, 5, 1), None, True, 1),
    }
    # P12: registered at an address-only unit, floating resident and tenant at U601.
    assert spells(shared_model_warehouse, "bridge_person_unit", P12) == {
        ("UADDR", "registered_at", dt.date(2020, 5, 20), None, True, 1),
        ("U601", "lives_at", dt.date(2025, 8, 20), dt.date(2027, 8, 19), True, 1),
        ("U601", "tenant", dt.date(2026, 9, 6), dt.date(2027, 9, 5), True, 1),
    }
    # P04's address did not resolve to a unit: no spell.
    assert spells(shared_model_warehouse, "bridge_person_unit", P04) == set()


def test_dim_organization_describes_registry_and_mentioned_organizations(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    organizations = rows_by(
        shared_model_warehouse,
        "select org_key, credit_code, has_valid_credit_code, name, type, status, is_in_registry "
        "from marts.dim_organization",
        "org_key",
    )
    assert {key: tuple(row.values())[1:] for key, row in organizations.items()} == {
        "VOL": ("51330102MJ00000011", True, "翠苑社区志愿者协会", "social_group", "deregistered", True),
        "FND": ("53330105MJ0000003D", False, "文新慈善基金会", "foundation", "active", True),
        "OWN": ("91330100MA27XK0Q4B", None, None, "unknown", "unknown", False),
        "EMP": (None, None, "杭州某某餐饮有限公司", "unknown", "unknown", False),
    }


def test_dim_organization_takes_the_grid_of_the_unit_its_office_resolved_to(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    grids = rows_by(shared_model_warehouse, "select org_key, grid_code from marts.dim_organization", "org_key")
    # FND's office mention resolved to U101 (grid B1); VOL's names no unit.
    assert {key: row["grid_code"] for key, row in grids.items()} == {
        "VOL": None, "FND": GRID_B1, "OWN": None, "EMP": None,
    }


def test_bridge_person_org_links_representatives_and_employees(shared_model_warehouse: BuiltWarehouse) -> None:
    assert spells(shared_model_warehouse, "bridge_person_org", P04) == {
        ("VOL", "legal_representative", None, None, True, 1),
    }
    assert spells(shared_model_warehouse, "bridge_person_org", P12) == {
        ("EMP", "employee", dt.date(2025, 8, 20), dt.date(2027, 8, 19), True, 1),
    }


def test_fct_incident_is_placed_on_its_unit_and_linked_to_the_persons_involved(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    incidents = rows_by(
        shared_model_warehouse,
        "select incident_id, reported_date, unit_key, grid_code, community_code, street_code, district_code, "
        "involved_count, linked_person_count from marts.fct_incident",
        "incident_id",
    )
    assert incidents["3001"] == {
        "incident_id": "3001", "reported_date": dt.date(2026, 8, 30), "unit_key": "U501", "grid_code": GRID_A1,
        "community_code": COMMUNITY_A, "street_code": STREET, "district_code": DISTRICT,
        "involved_count": 2, "linked_person_count": 2,
    }
    assert (incidents["3002"]["unit_key"], incidents["3002"]["grid_code"], incidents["3002"]["linked_person_count"]) == (
        None, None, 0,
    )
    involved = shared_model_warehouse.query(
        "select position, person_key from marts.bridge_event_person "
        "where fact_name = 'incident' and event_key = '3001' order by position"
    )
    assert involved == [{"position": 1, "person_key": P01}, {"position": 2, "person_key": P02}]


def test_fct_mediation_case_counts_linked_parties_and_keeps_a_grid_without_a_unit(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    cases = rows_by(
        shared_model_warehouse,
        "select mediation_case_id, is_closed, is_success, party_count, linked_party_count, unit_key, grid_code, "
        "community_code from marts.fct_mediation_case",
        "mediation_case_id",
    )
    assert cases["TJ-2026-0001"] == {
        "mediation_case_id": "TJ-2026-0001", "is_closed": True, "is_success": True, "party_count": 2,
        "linked_party_count": 2, "unit_key": None, "grid_code": GRID_A2, "community_code": COMMUNITY_A,
    }
    # Three parties, one unresolved.
    assert (cases["TJ-2026-0002"]["party_count"], cases["TJ-2026-0002"]["linked_party_count"]) == (3, 2)


def test_fct_correction_episode_and_fct_subsistence_case_link_their_persons_and_homes(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    episodes = rows_by(
        shared_model_warehouse,
        "select person_key, correction_category, status_code, is_active, unit_key, grid_code "
        "from marts.fct_correction_episode",
        "person_key",
    )
    assert episodes[P11] == {
        "person_key": P11, "correction_category": "probation", "status_code": "active", "is_active": True,
        "unit_key": "U101", "grid_code": GRID_B1,
    }
    assert (episodes[P16]["status_code"], episodes[P16]["unit_key"]) == ("released", None)

    cases = rows_by(
        shared_model_warehouse,
        "select subsistence_case_id, head_person_key, member_count, linked_member_count, monthly_amount, "
        "unit_key, grid_code from marts.fct_subsistence_case",
        "subsistence_case_id",
    )
    first = cases["DB-2026-0001"]
    assert (first["head_person_key"], first["member_count"], first["linked_member_count"]) == (P13, 2, 1)
    assert (float(first["monthly_amount"]), first["unit_key"], first["grid_code"]) == (1250.5, "U101", GRID_B1)
    assert cases["DB-2026-0002"]["head_person_key"] is None


def test_fct_civil_event_keeps_the_deceased_and_bridges_the_parties(shared_model_warehouse: BuiltWarehouse) -> None:
    events = rows_by(
        shared_model_warehouse,
        "select civil_event_key, event_type, event_date, person_key, linked_person_count from marts.fct_civil_event",
        "civil_event_key",
    )
    assert {key: tuple(row.values())[1:] for key, row in events.items()} == {
        "deaths:D-2026-0001": ("death", dt.date(2026, 8, 3), P09, 1),
        "deaths:D-2026-0002": ("death", dt.date(2026, 9, 12), P15, 1),
        "marriages:M-2026-0001": ("marriage", dt.date(2026, 8, 3), None, 2),
        "marriages:M-2026-0002": ("divorce", dt.date(2026, 8, 10), None, 2),
    }
    parties = shared_model_warehouse.query(
        "select role, person_key, evidence from marts.bridge_event_person "
        "where event_key = 'marriages:M-2026-0002' order by role"
    )
    assert parties == [
        {"role": "female_party", "person_key": S02, "evidence": "new:unmatched"},
        {"role": "male_party", "person_key": P10, "evidence": "rule:id_number"},
    ]


def test_dim_person_adds_the_current_grid_and_quality_flags(shared_model_warehouse: BuiltWarehouse) -> None:
    persons = rows_by(
        shared_model_warehouse,
        "select person_key, current_grid_code, quality_flags, residency_type from marts.dim_person",
        "person_key",
    )
    assert (persons[P01]["current_grid_code"], persons[P01]["quality_flags"]) == (GRID_A1, None)
    # Household registration first: P12 is registered on B1 and floats on A1.
    assert persons[P12]["current_grid_code"] == GRID_B1
    # A mention linked by probability, and an active registration with no unit.
    assert persons[P07]["quality_flags"] == "linked_by_match,no_current_unit"
    assert persons[S01]["quality_flags"] == "surrogate_key"
    # Household mentions are not registrations: the deregistered stay deregistered.
    assert persons[P06]["residency_type"] == "none"
    assert persons[P09]["residency_type"] == "none"


def test_shared_model_marts_hold_no_clear_identifiers(shared_model_warehouse: BuiltWarehouse) -> None:
    columns = shared_model_warehouse.query(
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_schema in ('staging', 'intermediate', 'marts')
        """
    )
    clear = {"id_number", "phone", "address", "unit_code"}
    leaks = [row for row in columns if row["column_name"] in clear and (
        row["table_schema"] != "staging" or row["table_name"].startswith("stg_identity__")
    )]
    assert leaks == []
    identity_views = {row["table_name"] for row in columns if row["table_name"].startswith("stg_identity__")}
    assert identity_views == {"stg_identity__person_mentions", "stg_identity__unit_mentions", "stg_identity__org_mentions"}


def test_every_shared_model_mart_enforces_its_contract_and_declares_privacy_levels(
    shared_model_warehouse: BuiltWarehouse,
) -> None:
    manifest = json.loads((shared_model_warehouse.target_dir / "manifest.json").read_text(encoding="utf-8"))
    models = {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}
    for name in (*SHARED_MODEL_MARTS, "dim_person"):
        node = models[name]
        assert node["config"]["contract"]["enforced"] is True, name
        built = shared_model_warehouse.query(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = %s",
            (name,),
        )
        assert {row["column_name"] for row in built} == set(node["columns"]), name
        for column in node["columns"].values():
            assert column["data_type"], (name, column["name"])
            assert column["config"]["meta"].get("privacy_level") in {"L1", "L2", "L3", "L4"}, (name, column["name"])
    # Person-level corrections, subsistence and death facts are sensitive.
    for name in ("fct_correction_episode", "fct_subsistence_case"):
        levels = {column["config"]["meta"]["privacy_level"] for column in models[name]["columns"].values()}
        assert levels == {"L4"}, name
    assert models["fct_civil_event"]["columns"]["person_key"]["config"]["meta"]["privacy_level"] == "L4"
    assert models["bridge_event_person"]["columns"]["person_key"]["config"]["meta"]["privacy_level"] == "L4"


def test_shared_model_builds_before_resolution_with_null_keys(built_warehouse: BuiltWarehouse) -> None:
    # No reference or mention tables: dimensions keyed by resolution are empty,
    # facts keep their rows with null places, and the staged keys still link persons.
    counts = {
        name: built_warehouse.query(f"select count(*) as row_count from marts.{name}")[0]["row_count"]
        for name in SHARED_MODEL_MARTS
    }
    assert counts == {
        "dim_grid": 0, "dim_house_unit": 0, "dim_organization": 0, "bridge_person_unit": 0, "bridge_person_org": 0,
        "fct_incident": 2, "fct_mediation_case": 2, "fct_correction_episode": 2, "fct_civil_event": 4,
        "fct_subsistence_case": 2,
        # deaths P09 P15, marriage P11 P01, divorce P10, subsistence head P13, corrections P11 P16
        "bridge_event_person": 8,
    }
    placed = built_warehouse.query("select count(*) as row_count from marts.fct_incident where unit_key is not null")
    assert placed[0]["row_count"] == 0


# A corruption of one built mart per singular test: applied to a copy of the
# DuckDB file, it must make the compiled test return rows.
CORRUPTIONS = {
    "assert_bridge_person_unit_spells_do_not_overlap": f"""
        insert into marts.bridge_person_unit
        select 'overlap', person_key, unit_key, role, date '2020-01-01', null, true, 1
        from marts.bridge_person_unit where person_key = '{P01}' and role = 'registered_at'
    """,
    "assert_bridge_person_org_spells_do_not_overlap": """
        insert into marts.bridge_person_org
        select 'overlap', person_key, org_key, role, date '2026-01-01', null, true, 1
        from marts.bridge_person_org where org_key = 'VOL'
    """,
    "assert_dim_house_unit_occupancy_agrees_with_spells": (
        "update marts.dim_house_unit set occupancy = 'rented' where unit_key = 'U701'"
    ),
    "assert_fct_incident_persons_agree_with_bridge": (
        "update marts.fct_incident set linked_person_count = 5 where incident_id = '3001'"
    ),
    "assert_fct_mediation_case_parties_agree_with_bridge": (
        "update marts.fct_mediation_case set grid_code = null where mediation_case_id = 'TJ-2026-0001'; "
        "update marts.fct_mediation_case set unit_key = 'U501' where mediation_case_id = 'TJ-2026-0001'"
    ),
    "assert_fct_subsistence_case_members_agree_with_bridge": (
        f"update marts.fct_subsistence_case set head_person_key = '{P01}' where subsistence_case_id = 'DB-2026-0001'"
    ),
    "assert_fct_correction_episode_subjects_are_known_to_justice": (
        f"update marts.fct_correction_episode set person_key = '{P02}' where person_key = '{P16}'"
    ),
    "assert_fct_civil_event_deaths_make_persons_deceased": (
        f"update marts.fct_civil_event set person_key = '{P01}' where civil_event_key = 'marriages:M-2026-0001'"
    ),
    "assert_bridge_event_person_events_exist": """
        insert into marts.bridge_event_person
        select 'orphan', fact_name, 'no-such-event', role, position, person_key, evidence
        from marts.bridge_event_person where fact_name = 'incident' and position = 1
    """,
}


@pytest.mark.parametrize("test_name", sorted(CORRUPTIONS))
def test_singular_test_fails_on_a_corrupted_mart(
    shared_model_duckdb_warehouse: BuiltWarehouse, tmp_path: Path, test_name: str
) -> None:
    warehouse = shared_model_duckdb_warehouse
    if warehouse.build.returncode != 0:
        pytest.fail(f"dbt build failed:\n{warehouse.build_log[-4000:]}", pytrace=False)
    compiled = (warehouse.target_dir / "compiled" / "sharehouse" / "tests" / f"{test_name}.sql").read_text(
        encoding="utf-8"
    )
    # The same file name keeps the database name the compiled SQL qualifies tables with.
    copy = tmp_path / warehouse.database_path.name
    shutil.copy(warehouse.database_path, copy)
    with duckdb.connect(str(copy)) as connection:
        assert connection.execute(compiled).fetchall() == [], "the test must pass on the built warehouse"
        connection.execute(CORRUPTIONS[test_name])
        assert connection.execute(compiled).fetchall() != [], f"{test_name} did not catch the corruption"
