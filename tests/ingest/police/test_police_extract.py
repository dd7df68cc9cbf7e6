"""Police extraction is incremental on GXSJ, one watermark per table, on SQLite and PostgreSQL.

The police tables come from ``tests/fixtures/all_entities/police/police.sql``.
On PostgreSQL the same script creates them unquoted, so the server folds the
contract's capitals (``LDRK``, ``GXSJ``) to lower case, as a real police schema
would; ``JQ.GXSJ`` is then turned into a real ``timestamp`` column.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from ingest_deliveries import ALL_ENTITIES, build_staging, load_entity, query

from ingest.common import watermarks
from ingest.common.warehouse import connect
from ingest.police.extract import extract_table
from sharehouse.settings import Warehouse

POLICE_SQL = (ALL_ENTITIES / "police" / "police.sql").read_text(encoding="utf-8")
Execute = Callable[[str], None]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def police(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Warehouse, Execute]:
    """Return a sources file naming the police database, a warehouse, and a way to change the source."""
    if request.param == "sqlite":
        database = tmp_path / "police.sqlite"
        with sqlite3.connect(database) as connection:
            connection.executescript(POLICE_SQL)
        url = f"sqlite:///{database}"
        target = Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")

        def execute(sql: str) -> None:
            with sqlite3.connect(database) as connection:
                connection.executescript(sql)
    else:
        url = request.getfixturevalue("postgres_url")
        # The warehouse shares the database: its schemas (raw_police, ops...)
        # never collide with the police tables in public.
        target = Warehouse(url)

        def execute(sql: str) -> None:
            connection = psycopg2.connect(url)
            try:
                with connection, connection.cursor() as cursor:
                    cursor.execute(sql)
            finally:
                connection.close()

        execute(POLICE_SQL)
        execute("alter table JQ alter column GXSJ type timestamp using GXSJ::timestamp")
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[police]\ndatabase_url = "{url}"\n', encoding="utf-8")
    return sources, target, execute


def _batches(target: Warehouse, entity: str) -> list[tuple]:
    return query(
        target,
        "select batch_id, rows_delivered, rows_loaded, rows_quarantined, status from ops.batch_log "
        "where source_entity = :entity order by batch_id",
        {"entity": entity},
    ).rows()


def test_police_extraction_loads_everything_then_only_what_changed(
    police: tuple[Path, Warehouse, Execute], tmp_path: Path
) -> None:
    sources, target, execute = police

    first = load_entity(sources, target, "floating_residents")
    assert [(o.batch_id, o.rows_delivered, o.rows_loaded, o.rows_quarantined) for o in first] == [
        ("LDRK:start..2026-01-11 08:00:00", 4, 3, 1)
    ]

    # Record 1 renews its permit; record 5 is committed late with the same
    # GXSJ as the watermark (the same second as record 4, already loaded).
    execute(
        "update LDRK set YXQZ = '2028-02-28', GXSJ = '2026-02-01 10:00:00' where ID = 1;"
        "insert into LDRK (ID, GMSFHM, XM, XBDM, CSRQ, XZZ, JZSY, DJRQ, YXQZ, GXSJ) values "
        "(5, '330108199810200201', '韩梅', '2', '1998-10-20', '江滨公寓1栋1单元101室', '务工', '2026-01-11', "
        "'2027-01-10', '2026-01-11 08:00:00');"
    )
    second = load_entity(sources, target, "floating_residents")
    assert [(o.batch_id, o.rows_delivered, o.rows_loaded) for o in second] == [
        ("LDRK:2026-01-11 08:00:00..2026-02-01 10:00:00", 2, 2)
    ]

    third = load_entity(sources, target, "floating_residents")
    assert third == []
    assert len(_batches(target, "floating_residents")) == 2
    assert query(target, "select count(*) from raw_police.floating_residents").item() == 6

    build_staging(target, tmp_path / "dbt", "stg_police__floating_residents")
    staged = query(
        target,
        "select record_id, valid_until_date, _batch_id from staging.stg_police__floating_residents order by record_id",
    ).rows()
    assert [(record, valid_until) for record, valid_until, _ in staged] == [
        ("1", date(2028, 2, 28)), ("2", date(2026, 8, 31)), ("4", None), ("5", date(2027, 1, 10)),
    ]
    assert staged[0][2] == "LDRK:2026-01-11 08:00:00..2026-02-01 10:00:00"


def test_police_keeps_one_watermark_per_table(police: tuple[Path, Warehouse, Execute]) -> None:
    sources, target, execute = police
    load_entity(sources, target, "household_residents")
    load_entity(sources, target, "incidents")

    execute("update JQ set CZJG = '已处理', GXSJ = '2026-01-05 08:00:00' where ID = 2")
    updated = load_entity(sources, target, "incidents")

    assert [(o.rows_delivered, o.rows_loaded) for o in updated] == [(1, 1)]
    assert load_entity(sources, target, "household_residents") == []
    with connect(target) as connection:
        assert watermarks.get(connection, "police", "household_residents") == "2026-01-02 08:00:00"
        assert watermarks.get(connection, "police", "incidents") == "2026-01-05 08:00:00"
        assert watermarks.get(connection, "police", "floating_residents") is None


def test_police_extraction_finds_tables_and_columns_whatever_their_case(tmp_path: Path) -> None:
    database = tmp_path / "police.sqlite"
    with sqlite3.connect(database) as connection:
        connection.executescript(POLICE_SQL.replace("create table JQ", "create table jq"))

    batch = extract_table(f"sqlite:///{database}", "incidents", None)

    assert batch is not None and batch.refused is None
    assert batch.frame.height == 4
    assert batch.source == "police:JQ"


def test_police_extraction_refuses_a_missing_table_clearly(tmp_path: Path) -> None:
    database = tmp_path / "police.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("create table HJRK (ID integer primary key, GXSJ text)")

    batch = extract_table(f"sqlite:///{database}", "floating_residents", None)

    assert batch.frame is None
    assert batch.refused == "police table LDRK does not exist in the source database"


def test_police_extraction_reads_every_value_as_its_text_in_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "police.sqlite"
    with sqlite3.connect(database) as connection:
        # LXDH without a declared type keeps what was stored: integer, real, text or null.
        connection.execute("create table HJRK (ID integer primary key, GMSFHM text, LXDH, GXSJ text)")
        connection.executemany(
            "insert into HJRK values (?, ?, ?, ?)",
            [(1, "110101199001011234", 13800001111, "2026-01-01 08:00:00"),
             (2, None, 1.5, "2026-01-01 09:00:00"),
             (3, "x", "0571-8888 6666", "2026-01-01 10:00:00"),
             (4, "", None, "2026-01-01 11:00:00")],
        )
    monkeypatch.setattr("ingest.police.extract.FETCH_ROWS", 3)

    batch = extract_table(f"sqlite:///{database}", "household_residents", None)

    assert batch.frame.select("record_id", "id_number", "phone").rows() == [
        ("1", "110101199001011234", "13800001111"),
        ("2", None, "1.5"),
        ("3", "x", "0571-8888 6666"),
        ("4", "", None),
    ]
