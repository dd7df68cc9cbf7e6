"""Person resolution on a real warehouse: write-back, idempotent reruns, merges on new data, explain.

The same scenario runs on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from ingest.common.identity import check_character
from ingest.common.warehouse import connect
from resolution.explain import explain_person
from resolution.keys import surrogate_key
from resolution.persons import resolve_persons
from sharehouse import settings
from sharehouse.cli import main

WANG_FIRST17 = "32010619850312001"
WANG_NUMBER = WANG_FIRST17 + check_character(WANG_FIRST17)
# One digit mistyped: fails the check character, one edit from the real number.
WANG_MISTYPED = WANG_FIRST17[:10] + "4" + WANG_FIRST17[11:] + WANG_NUMBER[-1]
WANG_KEY = "a" * 32
SIMA_FIRST17 = "32010219900101002"
SIMA_BAD = SIMA_FIRST17 + ("0" if check_character(SIMA_FIRST17) != "0" else "1")


def _mention(entity: str, batch: str, record: str, role: str, *, id_number=None, name=None, phone=None,
             person_key=None) -> dict:
    return {
        "source_system": "justice" if entity == "mediation_cases" else "housing" if entity == "rental_registrations"
        else "police",
        "source_entity": entity, "batch_id": batch, "record_key": record, "role": role, "position": 1,
        "id_number": id_number, "name": name, "phone": phone, "person_key": person_key,
        "evidence": "rule:id_number" if person_key else "unresolved",
        "_extracted_at": datetime(2026, 11, 1),
    }


FIRST_DELIVERY = [
    _mention("household_residents", "HJRK:1", "1", "resident", id_number=WANG_NUMBER, name="王喆",
             phone="13812345678", person_key=WANG_KEY),
    _mention("rental_registrations", "r1.csv", "1", "tenant", id_number=WANG_MISTYPED, name="王 哲"),
    _mention("mediation_cases", "m1.xlsx#人民调解", "1", "party", name="诸葛玥", phone="13800000001"),
    _mention("mediation_cases", "m2.xlsx#人民调解", "4", "party", name="诸葛玥", phone="13800000001"),
    _mention("mediation_cases", "m1.xlsx#人民调解", "2", "party", name="欧阳娜", phone="13900000002"),
    _mention("mediation_cases", "m1.xlsx#人民调解", "3", "party", name="司马燕", phone="13700000003"),
    _mention("rental_registrations", "r2.csv", "5", "tenant", id_number=SIMA_BAD, name="司马燕"),
]
# A later delivery names 司马燕 with both her phone and her (mistyped) number.
SECOND_DELIVERY = [
    _mention("mediation_cases", "m3.xlsx#人民调解", "7", "party", id_number=SIMA_BAD, name="司马燕",
             phone="13700000003"),
]


def _append(warehouse: settings.Warehouse, rows: list[dict]) -> None:
    with connect(warehouse) as connection:
        connection.append("identity", "person_mentions", pl.DataFrame(rows, infer_schema_length=None).with_columns(
            pl.col("_extracted_at").cast(pl.Datetime("us"))))


def _keys(warehouse: settings.Warehouse) -> dict[tuple[str, str], tuple[str, str]]:
    with connect(warehouse) as connection:
        rows = connection.query(
            "select batch_id, record_key, person_key, evidence from identity.person_mentions"
        ).rows()
    return {(batch, record): (key, evidence) for batch, record, key, evidence in rows}


def _scenario(warehouse: settings.Warehouse) -> None:
    _append(warehouse, FIRST_DELIVERY)
    with connect(warehouse) as connection:
        first = resolve_persons(connection, now=datetime(2026, 11, 1, 2))
    keys = _keys(warehouse)
    assert first.mentions == 7 and first.deterministic == 1
    assert all(key is not None and len(key) == 32 for key, _ in keys.values())
    # The mistyped number and the homophone spelling still find 王喆.
    assert keys[("r1.csv", "1")][0] == WANG_KEY
    assert keys[("r1.csv", "1")][1].startswith("match:p=0.99")
    # The same rare name and phone in two cases: one surrogate person.
    assert keys[("m1.xlsx#人民调解", "1")][0] == keys[("m2.xlsx#人民调解", "4")][0] != WANG_KEY
    assert keys[("m1.xlsx#人民调解", "2")][1] == "new:unmatched"
    # A name alone does not join 司马燕's two mentions yet.
    assert keys[("m1.xlsx#人民调解", "3")][0] != keys[("r2.csv", "5")][0]

    with connect(warehouse) as connection:
        rerun = resolve_persons(connection, now=datetime(2026, 11, 2))
        assert connection.scalar("select count(*) from identity.person_key_history") == 0
    assert _keys(warehouse) == keys, "a rerun on the same data changes no key"
    assert rerun.new_surrogates == 0 and rerun.merges == 0

    _append(warehouse, SECOND_DELIVERY)
    with connect(warehouse) as connection:
        merged = resolve_persons(connection, now=datetime(2026, 12, 1))
        history = connection.query(
            "select change, from_key, to_key, mentions, changed_at from identity.person_key_history"
        )
    after = _keys(warehouse)
    sima = {after[("m1.xlsx#人民调解", "3")][0], after[("r2.csv", "5")][0], after[("m3.xlsx#人民调解", "7")][0]}
    assert len(sima) == 1, "the new mention joins 司马燕's two surrogates"
    assert merged.merges == 1
    survivor = sima.pop()
    assert survivor in {keys[("m1.xlsx#人民调解", "3")][0], keys[("r2.csv", "5")][0]}
    assert history.height == 1
    assert history.row(0)[:2] == ("merge", ({keys[("m1.xlsx#人民调解", "3")][0], keys[("r2.csv", "5")][0]} - {survivor}).pop())
    assert history["to_key"][0] == survivor
    # Everyone else keeps their key.
    for mention in [("r1.csv", "1"), ("m1.xlsx#人民调解", "1"), ("m2.xlsx#人民调解", "4"), ("m1.xlsx#人民调解", "2")]:
        assert after[mention] == keys[mention]

    with connect(warehouse) as connection:
        explanation = explain_person(connection, WANG_KEY)
    mentions = explanation.mentions
    assert mentions.height == 2
    assert WANG_NUMBER not in mentions["id_number"].to_list(), "identifiers are masked by default"
    assert "valid identity number" in mentions.filter(pl.col("batch_id") == "HJRK:1")["why"][0]
    linked = mentions.filter(pl.col("batch_id") == "r1.csv")["why"][0]
    assert "id_number one_edit" in linked and "name homophone" in linked


def test_resolve_persons_links_keeps_keys_and_records_merges_on_duckdb(tmp_path: Path) -> None:
    _scenario(settings.warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}"))


@pytest.mark.postgres
def test_resolve_persons_links_keeps_keys_and_records_merges_on_postgres(postgres_url: str) -> None:
    _scenario(settings.warehouse(postgres_url))


def test_explain_command_warns_and_shows_why_each_mention_was_linked(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    warehouse = settings.warehouse(url)
    _append(warehouse, FIRST_DELIVERY)
    with connect(warehouse) as connection:
        resolve_persons(connection)
    result = CliRunner().invoke(main, ["explain", "--person-key", WANG_KEY, "--warehouse", url])
    assert result.exit_code == 0, result.output
    assert "WARNING: reading restricted identity data" in result.output
    assert "rule:id_number" in result.output and "match:p=" in result.output
    assert WANG_NUMBER not in result.output
    clear = CliRunner().invoke(main, ["explain", "--person-key", WANG_KEY, "--warehouse", url, "--clear"])
    assert WANG_NUMBER in clear.output
    unknown = CliRunner().invoke(main, ["explain", "--person-key", "f" * 32, "--warehouse", url])
    assert unknown.exit_code != 0 and "no mention holds" in unknown.output


def test_resolve_persons_on_an_empty_or_fully_keyed_table_changes_nothing(tmp_path: Path) -> None:
    warehouse = settings.warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}")
    with connect(warehouse) as connection:
        empty = resolve_persons(connection)
    assert empty.mentions == 0 and empty.new_surrogates == 0
    _append(warehouse, FIRST_DELIVERY[:1])
    with connect(warehouse) as connection:
        keyed = resolve_persons(connection)
    assert (keyed.mentions, keyed.deterministic, keyed.new_surrogates) == (1, 1, 0)
    assert _keys(warehouse) == {("HJRK:1", "1"): (WANG_KEY, "rule:id_number")}


def _surrogate_clash(warehouse: settings.Warehouse) -> None:
    # A keyed person whose HMAC key happens to be the surrogate 欧阳娜's mention would get.
    seed = "\x1f".join(["justice", "mediation_cases", "m1.xlsx#人民调解", "2", "party", "1"])
    clash = surrogate_key(seed)
    _append(warehouse, [
        FIRST_DELIVERY[4],
        _mention("household_residents", "HJRK:1", "9", "resident", id_number=WANG_NUMBER, name="慕容复",
                 person_key=clash),
    ])
    with connect(warehouse) as connection:
        summary = resolve_persons(connection)
        scratch = connection.query(
            "select table_name from information_schema.tables where table_name like :scratch",
            {"scratch": "person_resolution%"},
        )
    assert summary.new_surrogates == 1
    assert _keys(warehouse)[("m1.xlsx#人民调解", "2")] == (surrogate_key(seed, 1), "new:unmatched")
    assert scratch.is_empty(), "no scratch table outlives the run"


def test_a_surrogate_never_takes_a_key_in_use_on_duckdb(tmp_path: Path) -> None:
    _surrogate_clash(settings.warehouse(f"duckdb:///{tmp_path / 'warehouse.duckdb'}"))


@pytest.mark.postgres
def test_a_surrogate_never_takes_a_key_in_use_on_postgres(postgres_url: str) -> None:
    _surrogate_clash(settings.warehouse(postgres_url))
