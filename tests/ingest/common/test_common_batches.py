"""Specs for loading batches: one pass over many, mentions without a valid number, broken rows, older warehouses."""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingest.civil_affairs.schema import MARRIAGES
from ingest.common.batches import DeliveredBatch, load_batch, load_batches
from ingest.common.warehouse import RETIRED_CLEAN_COLUMNS, connect
from ingest.registry import DEPARTMENTS
from sharehouse.settings import Warehouse

SECRET = b"batches-test-secret"
EXTRACTED_AT = datetime(2026, 2, 1, 2, 0)


def _marriages(*rows: dict) -> pl.DataFrame:
    base = {
        "registration_number": "JH1", "registration_type": "结婚", "registration_date": "2026-01-05",
        "male_id_number": "330102198007070070", "male_name": "孙伟",
        "female_id_number": "330102198208080080", "female_name": "钱丽",
        "office": "上城区婚姻登记处", "updated_at": "2026-01-05T10:00:00",
    }
    records = [{**base, **row} for row in rows]
    return pl.DataFrame(records, schema={column: pl.Utf8 for column in MARRIAGES.columns}).with_columns(
        pl.int_range(1, len(records) + 1, dtype=pl.Int64).alias("_source_row")
    )


@pytest.fixture
def target(tmp_path: Path) -> Warehouse:
    return Warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")


def test_a_party_without_a_valid_number_is_an_unresolved_mention_never_a_key(target: Warehouse) -> None:
    frame = _marriages(
        {},
        # the female number fails its check character: it could be anyone
        {"registration_number": "JH2", "female_id_number": "330102198208080081", "female_name": "吴芳"},
        {"registration_number": "JH3", "female_id_number": None, "female_name": None},
    )
    with connect(target) as connection:
        outcome = load_batch(
            connection, MARRIAGES, DeliveredBatch("b1", "api", frame), secret=SECRET, extracted_at=EXTRACTED_AT
        )
        clean = connection.query("select registration_number, female_person_key from clean_civil_affairs.marriages order by 1")
        mentions = connection.query(
            "select record_key, id_number, name, person_key is null as unresolved, evidence "
            "from identity.person_mentions where role = 'female_party' order by record_key"
        )

    assert (outcome.rows_loaded, outcome.rows_quarantined) == (3, 0)
    assert clean["female_person_key"].is_null().to_list() == [False, True, True]
    # JH3 names no female party at all: nothing to mention.
    assert mentions.rows() == [
        ("JH1", "330102198208080080", "钱丽", False, "rule:id_number"),
        ("JH2", "330102198208080081", "吴芳", True, "unresolved"),
    ]


def test_rows_the_reader_found_broken_go_to_raw_and_quarantine(target: Warehouse) -> None:
    frame = _marriages({}, {"registration_number": "JH2", "updated_at": "2026-01-0"})
    batch = DeliveredBatch(
        "b1", "file.csv", frame, row_problems={2: ("truncated_row", "truncated row: the file ends inside data row 2")}
    )
    with connect(target) as connection:
        outcome = load_batch(connection, MARRIAGES, batch, secret=SECRET, extracted_at=EXTRACTED_AT)
        raw = connection.scalar("select count(*) from raw_civil_affairs.marriages")
        quarantined = connection.query("select source_row, rule, reason from quarantine.quarantined_rows")

    assert (outcome.rows_delivered, outcome.rows_loaded, outcome.rows_quarantined) == (2, 1, 1)
    assert raw == 2
    assert quarantined.rows() == [
        (2, "raw.marriages.delivery:truncated_row", "truncated row: the file ends inside data row 2")
    ]


def test_a_reader_note_becomes_the_ledger_message(target: Warehouse) -> None:
    batch = DeliveredBatch("b1", "book.xlsx#sheet", _marriages({}), note="ignored sheet(s) outside the contract: 说明")
    with connect(target) as connection:
        load_batch(connection, MARRIAGES, batch, secret=SECRET, extracted_at=EXTRACTED_AT)
        assert connection.scalar("select message from ops.batch_log") == "ignored sheet(s) outside the contract: 说明"


OLD_PERSON_MENTIONS = """
create schema identity;
create table identity.person_mentions (
    source_system varchar not null, source_entity varchar not null, batch_id varchar not null,
    record_key varchar not null, role varchar not null, position bigint not null, id_number varchar,
    name varchar, person_key varchar not null, evidence varchar not null, _extracted_at timestamp not null
);
"""


def test_opening_an_older_warehouse_upgrades_person_mentions(target: Warehouse) -> None:
    with duckdb.connect(str(target.duckdb_path)) as connection:
        connection.execute(OLD_PERSON_MENTIONS)

    with connect(target) as connection:
        columns = connection.query(
            "select column_name, is_nullable from information_schema.columns "
            "where table_schema = 'identity' and table_name = 'person_mentions'"
        )
    nullable = dict(columns.rows())
    assert nullable["person_key"] == "YES"
    assert "phone" in nullable


@pytest.mark.postgres
def test_opening_an_older_postgres_warehouse_upgrades_person_mentions(postgres_url: str) -> None:
    import psycopg2

    connection = psycopg2.connect(postgres_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(OLD_PERSON_MENTIONS)
    connection.close()

    target = Warehouse(postgres_url)
    with connect(target) as warehouse:
        load_batch(
            warehouse, MARRIAGES, DeliveredBatch("b1", "api", _marriages({"female_id_number": None})),
            secret=SECRET, extracted_at=EXTRACTED_AT,
        )
        assert warehouse.scalar("select count(*) from identity.person_mentions where person_key is null") == 1


# A clean table as ingest wrote it before exact addresses left the clean layer,
# and a staging view that still selects its address key.
OLD_FLOATING_RESIDENTS = """
create schema clean_police;
create table clean_police.floating_residents (record_id varchar, current_address_match_key varchar);
insert into clean_police.floating_residents values ('2001', '东坡花园|3|2|502');
create schema staging;
create view staging.stg_police__floating_residents as
    select record_id, current_address_match_key from clean_police.floating_residents;
"""


def _clean_columns(warehouse: Warehouse) -> list[str]:
    with connect(warehouse) as connection:
        return connection.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'clean_police' and table_name = 'floating_residents'"
        )["column_name"].to_list()


def test_opening_an_older_warehouse_drops_the_address_keys_of_its_clean_tables(target: Warehouse) -> None:
    with duckdb.connect(str(target.duckdb_path)) as connection:
        connection.execute(OLD_FLOATING_RESIDENTS)

    assert _clean_columns(target) == ["record_id"]
    with connect(target) as connection:
        assert connection.scalar("select count(*) from clean_police.floating_residents") == 1


@pytest.mark.postgres
def test_opening_an_older_postgres_warehouse_drops_the_address_keys_and_the_views_reading_them(
    postgres_url: str,
) -> None:
    import psycopg2

    connection = psycopg2.connect(postgres_url)
    with connection, connection.cursor() as cursor:
        cursor.execute(OLD_FLOATING_RESIDENTS)
    connection.close()

    target = Warehouse(postgres_url)
    assert _clean_columns(target) == ["record_id"]
    with connect(target) as warehouse:
        # dbt rebuilds the view in the run that follows ingest.
        assert not warehouse.table_exists("staging", "stg_police__floating_residents")


def test_no_dataset_writes_an_address_key_to_its_clean_table_again() -> None:
    written = {
        (dataset.clean_schema, dataset.source_entity, column)
        for department in DEPARTMENTS for dataset in department.datasets for column in dataset.clean_columns
    }
    retired = {(schema, table, column) for (schema, table), columns in RETIRED_CLEAN_COLUMNS.items() for column in columns}
    assert {(schema, table) for schema, table, _ in written} >= set(RETIRED_CLEAN_COLUMNS), "the tables still exist"
    assert written & retired == set()
    assert [column for column in written if "match_key" in column[2]] == []


def test_a_batch_whose_only_row_is_broken_is_accounted_for(target: Warehouse) -> None:
    batch = DeliveredBatch("b1", "file.csv", _marriages({}), row_problems={1: ("truncated_row", "truncated row")})
    with connect(target) as connection:
        outcome = load_batch(connection, MARRIAGES, batch, secret=SECRET, extracted_at=EXTRACTED_AT)

    assert (outcome.status, outcome.rows_delivered, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 1, 0, 1)


def test_a_header_without_rows_is_recorded_as_a_delivery_of_nothing(target: Warehouse) -> None:
    empty = _marriages({}).head(0)
    with connect(target) as connection:
        nothing = load_batch(
            connection, MARRIAGES, DeliveredBatch("b1", "f.csv", empty, header_only=True),
            secret=SECRET, extracted_at=EXTRACTED_AT,
        )
        unknown = load_batch(
            connection, MARRIAGES, DeliveredBatch("b2", "g.csv", empty.drop("office"), header_only=True),
            secret=SECRET, extracted_at=EXTRACTED_AT,
        )
        ledger = connection.query("select batch_id, status, rows_delivered, message from ops.batch_log order by batch_id")

    assert (nothing.status, unknown.status) == ("loaded", "refused")
    assert ledger.rows()[0] == ("b1", "loaded", 0, "header only: no rows delivered")
    assert ledger.rows()[1][3] == "marriages: empty delivery, the batch has no rows"


def test_many_batches_load_in_one_pass_and_each_balances_on_its_own(target: Warehouse) -> None:
    unnumbered = {"registration_number": None}
    batches = [
        DeliveredBatch("d1", "d1.csv", _marriages({}, {"registration_number": "JH2"}, {"registration_number": "JH2"}, unnumbered)),
        DeliveredBatch("d2", "d2.csv", None, refused="d2.csv: the file is empty"),
        # JH1 again, unchanged: already loaded by d1. the unnumbered record again: judged (and quarantined) again, not a duplicate.
        DeliveredBatch("d3", "d3.csv", _marriages({}, unnumbered, {"registration_number": "JH3"})),
        DeliveredBatch("d4", "d4.csv", _marriages({}).head(0), header_only=True),
    ]
    with connect(target) as connection:
        outcomes = load_batches(connection, MARRIAGES, batches, secret=SECRET, extracted_at=EXTRACTED_AT)
        ledger = connection.query(
            "select batch_id, status, rows_delivered, rows_loaded, rows_quarantined, rows_duplicate "
            "from ops.batch_log order by batch_id"
        )
        quarantined = connection.query("select batch_id, source_row from quarantine.quarantined_rows order by 1")
        clean = connection.query("select _batch_id, registration_number from clean_civil_affairs.marriages order by 2")
        again = load_batches(connection, MARRIAGES, batches, secret=SECRET, extracted_at=EXTRACTED_AT)
        raw_after = connection.scalar("select count(*) from raw_civil_affairs.marriages")

    assert ledger.rows() == [
        ("d1", "loaded", 4, 2, 1, 1),
        ("d2", "refused", 0, 0, 0, 0),
        ("d3", "loaded", 3, 1, 1, 1),
        ("d4", "loaded", 0, 0, 0, 0),
    ]
    assert [outcome.gate is outcomes[0].gate for outcome in (outcomes[0], outcomes[2])] == [True, True]
    assert quarantined.rows() == [("d1", 4), ("d3", 2)]
    assert clean.rows() == [("d1", "JH1"), ("d1", "JH2"), ("d3", "JH3")]
    # Loading the same deliveries again changes nothing; the refused one is tried again.
    assert [outcome.skipped for outcome in again] == [True, False, True, True]
    assert raw_after == 7


def test_clean_batches_log_only_in_the_datasets_totals_and_a_batch_with_quarantined_rows_by_name(
    target: Warehouse, caplog: pytest.LogCaptureFixture
) -> None:
    batches = [DeliveredBatch(f"day{number}", f"day{number}.csv", _marriages({"registration_number": f"JH{number}"}))
               for number in range(1, 4)]
    batches.append(DeliveredBatch("day4", "day4.csv", _marriages({"registration_number": None})))
    with connect(target) as connection, caplog.at_level(logging.INFO, logger="ingest.common.batches"):
        load_batches(connection, MARRIAGES, batches, secret=SECRET, extracted_at=EXTRACTED_AT)

    assert [record.getMessage() for record in caplog.records] == [
        "civil_affairs.marriages batch day4: delivered 1, loaded 0, quarantined 1, duplicates 0, "
        "out-of-scope fields dropped 0",
        "civil_affairs.marriages: 4 batch(es) loaded: delivered 4, loaded 3, quarantined 1, duplicates 0, "
        "out-of-scope fields dropped 0",
    ]


def test_a_content_delivered_again_is_cleaned_once_and_each_row_keeps_its_lineage(target: Warehouse) -> None:
    cleaned_rows: list[int] = []

    def recording_clean(frame: pl.LazyFrame) -> pl.LazyFrame:
        collected = MARRIAGES.clean(frame).collect()
        cleaned_rows.append(collected.height)
        return collected.lazy()

    dataset = dataclasses.replace(MARRIAGES, clean=recording_clean)
    unnumbered = {"registration_number": None}
    first = _marriages({}, unnumbered)
    # The same two contents in a second file, in another order and with a column the contract does not name.
    second = _marriages(unnumbered, {}).with_columns(pl.lit("备注").alias("remark"))
    with connect(target) as connection:
        load_batches(
            connection, dataset, [DeliveredBatch("f1", "f1.csv", first), DeliveredBatch("f2", "f2.csv", second)],
            secret=SECRET, extracted_at=EXTRACTED_AT,
        )
        quarantined = connection.query("select batch_id, source_row from quarantine.quarantined_rows order by 1, 2")

    assert cleaned_rows == [2]
    # The unnumbered record fails the gate in each file, at its own row.
    assert quarantined.rows() == [("f1", 2), ("f2", 1)]


@pytest.mark.postgres
def test_a_postgres_query_with_no_rows_keeps_its_column_types(postgres_url: str) -> None:
    with connect(Warehouse(postgres_url)) as connection:
        connection.execute("create table public.typed (name varchar, amount bigint, day date)")
        empty = connection.query("select name, amount, day from public.typed")
        connection.execute("insert into public.typed values (null, null, null)")
        nulls = connection.query("select name, amount, day from public.typed")

    assert empty.schema == nulls.schema == pl.Schema({"name": pl.Utf8, "amount": pl.Int64, "day": pl.Date})
