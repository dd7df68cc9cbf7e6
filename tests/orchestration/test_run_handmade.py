"""`sharehouse run` on a hand-made delivery set the simulator did not write.

The deliveries (tests/fixtures/handmade) are ten police rows, three death
records, four house units and a two-row corrections roster, written by hand
with the contract's ugly parts: a 15-digit number, full-width digits, lower-case
x, a failing check character, a missing number, an out-of-scope column, a
duplicated API record, a GBK file, a merged title row and a total row. Every
count below is worked out from those files, not from the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.common.keys import person_key
from ingest.common.warehouse import connect
from orchestration.runner import run_pipeline
from sharehouse import settings

import polars as pl


def _count(connection, relation: str, where: str = "true") -> int:
    return connection.scalar(f"select count(*) from {relation} where {where}")


def _assert_handmade_loaded(url: str) -> None:
    with connect(settings.Warehouse(url)) as connection:
        # raw: every delivered row, as received (the total row is not a record)
        assert _count(connection, "raw_police.household_residents") == 10
        assert _count(connection, "raw_civil_affairs.deaths") == 3
        assert _count(connection, "raw_housing.house_units") == 4
        assert _count(connection, "raw_justice.community_corrections") == 2

        # the gate: rows 7 (check character fails) and 9 (no number) of HJRK,
        # the unit without a unit code, the roster row without a number
        quarantined = connection.query(
            "select source_system, source_row, rule from quarantine.quarantined_rows order by source_system, source_row"
        )
        assert quarantined.select("source_system", "source_row").rows() == [
            ("housing", 3), ("justice", 2), ("police", 7), ("police", 9),
        ]
        assert all("critical" in rule for rule in quarantined["rule"])

        # clean: loaded rows, pseudonymous
        assert _count(connection, "clean_police.household_residents") == 8
        assert _count(connection, "clean_civil_affairs.deaths") == 2
        assert _count(connection, "clean_housing.house_units") == 3
        assert _count(connection, "clean_justice.community_corrections") == 1

        # the ledger balances and records the duplicate and the dropped fields
        ledger = connection.query(
            "select source_system, rows_delivered, rows_loaded, rows_quarantined, rows_duplicate, fields_dropped "
            "from ops.batch_log order by source_system"
        )
        assert ledger.rows() == [
            ("civil_affairs", 3, 2, 0, 1, 1),
            ("housing", 4, 3, 1, 0, 0),
            ("justice", 2, 1, 1, 0, 0),
            ("police", 10, 8, 2, 0, 1),
        ]

        # out-of-scope fields never reach the warehouse, under any column
        raw_police = connection.read_table("raw_police", "household_residents")
        assert not any(col.lower() in ("mz", "ethnicity") for col in raw_police.columns)
        assert raw_police.filter(pl.col("_extra").is_not_null()).is_empty()
        assert "佛教" not in str(connection.read_table("raw_civil_affairs", "deaths").rows())

        # the 15-digit number was upgraded and keyed: its person is in dim_person
        upgraded = pl.select(person_key(pl.lit("330105195502200413"), settings.person_key_secret())).item()
        assert _count(connection, "marts.dim_person", f"person_key = '{upgraded}'") == 1
        deceased = pl.select(person_key(pl.lit("330108197010100895"), settings.person_key_secret())).item()
        assert connection.scalar(f"select status from marts.dim_person where person_key = '{deceased}'") == "deceased"

        # clear identities live only in identity.person_mentions
        assert _count(connection, "identity.person_mentions", "id_number = '330105195502200413'") == 1
        clean_columns = connection.read_table("clean_police", "household_residents").columns
        assert "id_number" not in clean_columns and "name" not in clean_columns

        # staging keeps one row per record; the mart counts the residents
        assert _count(connection, "staging.stg_police__household_residents") == 8
        assert _count(connection, "marts.mart_population_monthly") > 0


def test_run_loads_handmade_deliveries_on_duckdb(handmade_deliveries: Path, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    report = run_pipeline(handmade_deliveries, url)
    assert report.success, report.failures + report.failed_checks
    _assert_handmade_loaded(url)


def test_run_twice_on_the_same_deliveries_changes_nothing(handmade_deliveries: Path, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    assert run_pipeline(handmade_deliveries, url).success
    assert run_pipeline(handmade_deliveries, url).success
    _assert_handmade_loaded(url)


@pytest.mark.postgres
def test_run_loads_handmade_deliveries_on_postgres(handmade_deliveries: Path, postgres_url: str) -> None:
    report = run_pipeline(handmade_deliveries, postgres_url)
    assert report.success, report.failures + report.failed_checks
    _assert_handmade_loaded(postgres_url)
