"""The dbt project builds and computes the right things on DuckDB and PostgreSQL.

Every test runs once per engine (see ``conftest.py``); the expected values are
counted by hand from ``fixtures/clean_sources.sql``, whose header explains them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import BuiltWarehouse

# Pseudonymous person keys of the fixture's persons.
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

COMMUNITY_A = "330102001001"
COMMUNITY_B = "330102001002"

SEPTEMBER = dt.date(2026, 9, 1)
AUGUST = dt.date(2026, 8, 1)


def person(warehouse: BuiltWarehouse, person_key: str) -> dict:
    rows = warehouse.query("select * from marts.dim_person where person_key = %s", (person_key,))
    assert len(rows) == 1, f"expected one dim_person row for {person_key}, got {rows}"
    return rows[0]


def population_cells(warehouse: BuiltWarehouse, month: dt.date, division_code: str) -> dict[tuple[str, str], dict]:
    rows = warehouse.query(
        """
        select age_band, gender, residency_type, resident_count, arrival_count, departure_count, is_suppressed
        from marts.mart_population_monthly
        where month_start_date = %s and division_code = %s
        """,
        (month, division_code),
    )
    return {(row["age_band"], row["gender"]): row for row in rows}


def test_dbt_build_succeeds(warehouse: BuiltWarehouse) -> None:
    assert warehouse.build.returncode == 0, warehouse.build_log[-4000:]
    assert "Completed successfully" in warehouse.build.stdout


def test_dbt_build_runs_every_unit_test(warehouse: BuiltWarehouse) -> None:
    # The pipeline's build leaves unit tests out (orchestration/defs/dbt/assets.py):
    # this build is where each one runs, on both engines.
    assert warehouse.target_dir is not None
    results = json.loads((warehouse.target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit_results = {r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    manifest = json.loads((warehouse.target_dir / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["unit_tests"]) >= 10
    assert unit_results == {unique_id: "pass" for unique_id in manifest["unit_tests"]}


def test_the_pipeline_build_leaves_unit_tests_to_ci() -> None:
    from orchestration.defs.dbt.assets import BUILD_ARGS

    assert BUILD_ARGS[0] == "build"
    assert BUILD_ARGS[BUILD_ARGS.index("--exclude-resource-type") + 1] == "unit_test"


def test_dbt_build_creates_models_in_unprefixed_schemas(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.query(
        """
        select table_schema, table_name
        from information_schema.tables
        where table_schema in ('staging', 'intermediate', 'marts')
        """
    )
    relations = {(row["table_schema"], row["table_name"]) for row in rows}
    assert {
        ("staging", "stg_police__household_residents"),
        ("staging", "stg_civil_affairs__deaths"),
        ("staging", "stg_housing__house_units"),
        ("staging", "stg_justice__community_corrections"),
        ("staging", "stg_police__floating_residents"),
        ("staging", "stg_police__incidents"),
        ("staging", "stg_civil_affairs__marriages"),
        ("staging", "stg_civil_affairs__subsistence_cases"),
        ("staging", "stg_civil_affairs__organizations"),
        ("staging", "stg_housing__rental_registrations"),
        ("staging", "stg_justice__mediation_cases"),
        ("staging", "stg_justice__resettlement_cases"),
        ("intermediate", "int_persons_unioned"),
        ("intermediate", "int_population_months_spined"),
        ("marts", "dim_person"),
        ("marts", "mart_population_monthly"),
    } <= relations


def test_dim_person_holds_every_person_known_to_any_source(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.query("select person_key from marts.dim_person")
    assert sorted(row["person_key"] for row in rows) == sorted(
        [P01, P02, P03, P04, P05, P06, P07, P08, P09, P10, P11, P12, P13, P14, P15, P16, P17]
    )


def test_dim_person_marks_a_person_with_a_death_record_as_deceased(built_warehouse: BuiltWarehouse) -> None:
    deregistered_for_death = person(built_warehouse, P09)
    assert deregistered_for_death["status"] == "deceased"
    assert deregistered_for_death["residency_type"] == "none"
    assert deregistered_for_death["current_division_code"] is None
    assert deregistered_for_death["known_by_sources"] == "civil_affairs,police"

    never_registered = person(built_warehouse, P15)
    assert never_registered["status"] == "deceased"
    assert never_registered["residency_type"] == "none"
    assert never_registered["known_by_sources"] == "civil_affairs"
    assert never_registered["gender"] == "unknown"


def test_dim_person_distinguishes_moved_out_from_moved_back_in(built_warehouse: BuiltWarehouse) -> None:
    moved_out = person(built_warehouse, P06)
    assert (moved_out["status"], moved_out["residency_type"]) == ("moved_out", "none")

    moved_within_city = person(built_warehouse, P11)
    assert (moved_within_city["status"], moved_within_city["residency_type"]) == ("active", "registered")
    assert moved_within_city["current_division_code"] == COMMUNITY_B
    assert moved_within_city["known_by_sources"] == "justice,police"


def test_dim_person_describes_a_registered_resident(built_warehouse: BuiltWarehouse) -> None:
    resident = person(built_warehouse, P01)
    assert resident == {
        "person_key": P01,
        "gender_code": "2",
        "gender": "female",
        "birth_year_month": "1995-04",
        "residency_type": "registered",
        "status": "active",
        "current_division_code": COMMUNITY_A,
        "known_by_sources": "housing,police",
        "first_seen_at": dt.datetime(2026, 9, 1, 2, 0),
        # No unit mentions in this warehouse: no grid, and the flag says so.
        "current_grid_code": None,
        "quality_flags": "no_current_unit",
    }
    assert person(built_warehouse, P13)["gender"] == "not_stated"
    assert person(built_warehouse, P16)["known_by_sources"] == "justice"


def test_staging_keeps_the_later_batch_of_a_corrected_record(built_warehouse: BuiltWarehouse) -> None:
    corrected = built_warehouse.query(
        "select division_code, _batch_id from staging.stg_police__household_residents where record_id = '1005'"
    )
    assert corrected == [{"division_code": COMMUNITY_A, "_batch_id": "police-HJRK-20261003T020000"}]

    death = built_warehouse.query(
        "select death_date from staging.stg_civil_affairs__deaths where record_number = 'D-2026-0001'"
    )
    assert death == [{"death_date": dt.date(2026, 8, 3)}]

    unit = built_warehouse.query(
        "select floor_area from staging.stg_housing__house_units where unit_code = 'HU3301020010010001'"
    )
    assert unit == [{"floor_area": 89.25}]

    episode = built_warehouse.query(
        "select status_code, correction_category from staging.stg_justice__community_corrections where person_key = %s",
        (P16,),
    )
    assert episode == [{"status_code": "released", "correction_category": "parole"}]


def test_staging_keeps_one_row_of_a_record_delivered_twice_in_a_batch(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.query("select record_id from staging.stg_police__household_residents where record_id = '1002'")
    assert len(rows) == 1
    total = built_warehouse.query("select count(*) as row_count from staging.stg_police__household_residents")
    assert total[0]["row_count"] == 16


def test_staging_adds_readable_gender_beside_the_code(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.query(
        "select distinct gender_code, gender from staging.stg_police__household_residents order by gender_code"
    )
    assert [(row["gender_code"], row["gender"]) for row in rows] == [
        ("1", "male"),
        ("2", "female"),
        ("9", "not_stated"),
    ]


def test_population_months_run_24_months_back_from_the_latest_update(built_warehouse: BuiltWarehouse) -> None:
    rows = built_warehouse.query(
        """
        select min(month_start_date) as first_month, max(month_start_date) as last_month,
               count(*) as month_count, max(month_end_date) as last_month_end
        from intermediate.int_population_months_spined
        """
    )
    assert rows == [
        {
            "first_month": dt.date(2024, 11, 1),
            "last_month": dt.date(2026, 10, 1),
            "month_count": 24,
            "last_month_end": dt.date(2026, 10, 31),
        }
    ]


def test_mart_population_monthly_counts_september_in_community_a_as_by_hand(built_warehouse: BuiltWarehouse) -> None:
    cells = population_cells(built_warehouse, SEPTEMBER, COMMUNITY_A)
    assert set(cells) == {("25-34", "female"), ("65+", "male")}
    assert cells[("25-34", "female")] == {
        "age_band": "25-34",
        "gender": "female",
        "residency_type": "registered",
        "resident_count": 7,  # P01 P02 P03 P04 P05 P07 P08
        # P04 registered 2026-09-14 and P06 moved out 2026-09-20: one each,
        # too few to show on their own, so suppressed like a small cell.
        "arrival_count": None,
        "departure_count": None,
        "is_suppressed": False,
    }


def test_mart_population_monthly_takes_age_at_month_end(built_warehouse: BuiltWarehouse) -> None:
    # P08 turns 25 on 2026-09-30: 15-24 in August, 25-34 in September.
    august = population_cells(built_warehouse, AUGUST, COMMUNITY_A)
    assert set(august) == {("15-24", "female"), ("25-34", "female"), ("65+", "male")}
    assert august[("25-34", "female")]["resident_count"] == 6
    assert ("15-24", "female") not in population_cells(built_warehouse, SEPTEMBER, COMMUNITY_A)


def test_mart_population_monthly_suppresses_cells_below_min_cell_count(built_warehouse: BuiltWarehouse) -> None:
    # One resident (P10) in September; in August one resident and one departure (P09).
    for month in (SEPTEMBER, AUGUST):
        cell = population_cells(built_warehouse, month, COMMUNITY_A)[("65+", "male")]
        assert cell["is_suppressed"] is True
        assert (cell["resident_count"], cell["arrival_count"], cell["departure_count"]) == (None, None, None)

    leaks = built_warehouse.query(
        """
        select count(*) as cell_count
        from marts.mart_population_monthly
        where (is_suppressed and (resident_count is not null or arrival_count is not null or departure_count is not null))
           or (not is_suppressed and resident_count < 5)
        """
    )
    assert leaks[0]["cell_count"] == 0


def test_mart_population_monthly_counts_nobody_before_birth_or_after_leaving(built_warehouse: BuiltWarehouse) -> None:
    # P14 is born 2026-07-10 and registered 2026-07-20 in B: first counted in July.
    rows = built_warehouse.query(
        """
        select month_start_date, is_suppressed
        from marts.mart_population_monthly
        where division_code = %s and gender = 'male' and age_band = '0-14'
        order by month_start_date
        """,
        (COMMUNITY_B,),
    )
    assert [row["month_start_date"] for row in rows] == [dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]


def test_staging_keeps_the_latest_version_of_every_other_source_entity(built_warehouse: BuiltWarehouse) -> None:
    def rows(sql: str) -> list[dict]:
        return built_warehouse.query(sql)

    assert rows(
        "select record_id, valid_until_date, gender from staging.stg_police__floating_residents order by record_id"
    ) == [
        {"record_id": "2001", "valid_until_date": dt.date(2027, 8, 19), "gender": "female"},
        {"record_id": "2002", "valid_until_date": None, "gender": "female"},
    ]
    assert rows("select record_id, outcome_code, category from staging.stg_police__incidents order by record_id") == [
        {"record_id": "3001", "outcome_code": "handled", "category": "dispute"},
        {"record_id": "3002", "outcome_code": "handled", "category": "criminal"},
    ]
    assert rows(
        "select registration_number, registration_date, female_person_key "
        "from staging.stg_civil_affairs__marriages order by registration_number"
    ) == [
        {"registration_number": "M-2026-0001", "registration_date": dt.date(2026, 8, 3), "female_person_key": P01},
        {"registration_number": "M-2026-0002", "registration_date": dt.date(2026, 8, 10), "female_person_key": None},
    ]
    subsistence = rows(
        "select case_number, monthly_amount, status_code from staging.stg_civil_affairs__subsistence_cases "
        "order by case_number"
    )
    assert [(row["case_number"], float(row["monthly_amount"]), row["status_code"]) for row in subsistence] == [
        ("DB-2026-0001", 1250.5, "active"),
        ("DB-2026-0002", 650.5, "stopped"),
    ]
    assert rows(
        "select credit_code, status_code, has_valid_credit_code from staging.stg_civil_affairs__organizations "
        "order by credit_code"
    ) == [
        {"credit_code": "51330102MJ00000011", "status_code": "deregistered", "has_valid_credit_code": True},
        {"credit_code": "53330105MJ0000003D", "status_code": "active", "has_valid_credit_code": False},
    ]
    rentals = rows(
        "select registration_number, monthly_rent, tenant_count, _batch_id "
        "from staging.stg_housing__rental_registrations order by registration_number"
    )
    assert [(row["registration_number"], float(row["monthly_rent"]), row["tenant_count"], row["_batch_id"]) for row in rentals] == [
        ("BA-2026-0001", 3600.0, 3, "租赁备案_增量_20260907.csv"),
        ("BA-2026-0002", 2800.0, 1, "租赁备案_增量_20260906.csv"),
    ]
    assert rows(
        "select case_number, result_code, days_to_close from staging.stg_justice__mediation_cases order by case_number"
    ) == [
        {"case_number": "TJ-2026-0001", "result_code": "success", "days_to_close": 23},
        {"case_number": "TJ-2026-0002", "result_code": "failure", "days_to_close": 5},
    ]
    assert rows("select person_key, status_code from staging.stg_justice__resettlement_cases") == [
        {"person_key": P16, "status_code": "released"},
    ]
