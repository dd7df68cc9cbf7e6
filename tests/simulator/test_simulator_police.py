"""Police delivery: the HJRK table in the embedded SQLite database."""

from __future__ import annotations

import csv
import re
import sqlite3

from simulator.generate import SimulationResult

HJRK_COLUMNS = [
    "ID", "GMSFHM", "XM", "XBDM", "CSRQ", "HH", "YHZGXDM", "HJDZ", "HJDZQH", "LXDH", "DJRQ", "ZXRQ", "ZXYY", "GXSJ",
]
DATE_FORMS = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{8}|\d{4}年\d{1,2}月\d{1,2}日)$")


def hjrk(result: SimulationResult) -> list[dict]:
    connection = sqlite3.connect(result.out_dir / "police" / "police.sqlite")
    connection.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in connection.execute("SELECT * FROM HJRK ORDER BY ID")]
    finally:
        connection.close()


def test_hjrk_has_exactly_the_contract_columns_all_text_but_the_key(tiny_city: SimulationResult) -> None:
    connection = sqlite3.connect(tiny_city.out_dir / "police" / "police.sqlite")
    try:
        columns = connection.execute("PRAGMA table_info(HJRK)").fetchall()
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        connection.close()
    assert tables == ["HJRK"]
    assert [c[1] for c in columns] == HJRK_COLUMNS
    assert {c[1]: c[2] for c in columns} == {name: "INTEGER" if name == "ID" else "TEXT" for name in HJRK_COLUMNS}
    assert [c[1] for c in columns if c[5]] == ["ID"]


def test_hjrk_holds_the_registered_share_of_residents(moderate_city: SimulationResult) -> None:
    rows = hjrk(moderate_city)
    assert 0.6 * 2000 <= len(rows) <= 0.8 * 2000


def test_hjrk_values_have_the_contract_shapes(moderate_city: SimulationResult) -> None:
    for row in hjrk(moderate_city):
        assert row["XBDM"] in {"1", "2"}
        assert row["YHZGXDM"] in {"02", "10", "20", "50", "99"}
        assert re.fullmatch(r"\d{12}", row["HJDZQH"]) and row["HJDZQH"].startswith("3201")
        assert row["HJDZ"].startswith("江苏省南京市") and row["HJDZ"].endswith("室")
        assert re.fullmatch(r"\d{9}", row["HH"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row["GXSJ"])
        assert DATE_FORMS.match(row["CSRQ"]) and DATE_FORMS.match(row["DJRQ"])
        assert row["LXDH"] is None or re.fullmatch(r"1\d{10}", row["LXDH"])
        assert (row["ZXRQ"] is None) == (row["ZXYY"] is None)
        assert row["ZXYY"] in {None, "死亡", "迁出"}


def test_hjrk_households_have_one_head(moderate_city: SimulationResult) -> None:
    heads: dict[str, int] = {}
    for row in hjrk(moderate_city):
        heads[row["HH"]] = heads.get(row["HH"], 0) + (row["YHZGXDM"] == "02")
    assert set(heads.values()) == {1}


def test_hjrk_deregisters_deceased_residents_on_their_death_date(moderate_city: SimulationResult) -> None:
    with (moderate_city.truth_dir / "persons.csv").open(encoding="utf-8") as handle:
        persons = {p["person_id"]: p for p in csv.DictReader(handle)}
    with (moderate_city.truth_dir / "person_mentions.csv").open(encoding="utf-8") as handle:
        person_of_id = {m["record_key"]: m["person_id"] for m in csv.DictReader(handle) if m["source"] == "HJRK"}
    deaths = 0
    for row in hjrk(moderate_city):
        person = persons[person_of_id[str(row["ID"])]]
        if person["death_date"]:
            deaths += 1
            assert row["ZXYY"] == "死亡"
            assert DATE_FORMS.match(row["ZXRQ"])
            if "-" in row["ZXRQ"]:
                assert row["ZXRQ"] == person["death_date"]
            assert row["GXSJ"][:10] >= person["death_date"]
        elif person["moved_out_date"]:
            assert row["ZXYY"] == "迁出"
        else:
            assert row["ZXRQ"] is None
    assert deaths > 0


def test_hjrk_registration_dates_precede_updates_and_follow_births(moderate_city: SimulationResult) -> None:
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for row in hjrk(moderate_city):
        if iso.match(row["CSRQ"]) and iso.match(row["DJRQ"]):
            assert row["CSRQ"] <= row["DJRQ"] <= row["GXSJ"][:10] <= "2026-10-31"
