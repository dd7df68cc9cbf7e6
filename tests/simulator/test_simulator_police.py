"""Police delivery: HJRK, LDRK and JQ in the embedded SQLite database."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections import Counter
from datetime import date
from importlib import resources

import numpy as np
import pytest

from delivered_rows import police_rows
from simulator.config import SimulationConfig
from simulator.deliveries import police
from simulator.generate import SimulationResult
from simulator.incidents import CATEGORIES, HOTSPOT_FACTOR, SUBCATEGORIES
from simulator.world import World, build_world

DATE_FORMS = re.compile(
    r"^(\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{8}|\d{4}年\d{1,2}月\d{1,2}日|\d{5}|1900-01-01|\d{4}-\d{2}-\d{2})$"
)
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def rows(result: SimulationResult, table: str) -> list[dict]:
    return police_rows(result.out_dir / "police" / "police.sqlite", table)


def manifest(result: SimulationResult) -> dict[str, dict]:
    with (result.truth_dir / "manifest.csv").open(encoding="utf-8") as handle:
        return {row["source"]: row for row in csv.DictReader(handle) if row["source_system"] == "police"}


@pytest.mark.parametrize("table", ["HJRK", "LDRK", "JQ"])
def test_police_tables_hold_the_contract_columns_as_text_with_an_integer_key(
    clean_city: SimulationResult, table: str
) -> None:
    connection = sqlite3.connect(clean_city.out_dir / "police" / "police.sqlite")
    try:
        columns = connection.execute(f"PRAGMA table_info({table})").fetchall()
    finally:
        connection.close()
    contract = {"HJRK": police.HJRK_COLUMNS, "LDRK": police.LDRK_COLUMNS, "JQ": police.JQ_COLUMNS}[table]
    assert tuple(c[1] for c in columns) == contract
    assert {c[1]: c[2] for c in columns} == {name: "INTEGER" if name == "ID" else "TEXT" for name in contract}
    assert [c[1] for c in columns if c[5]] == ["ID"]


def test_police_schema_drift_is_what_the_manifest_says(small_city: SimulationResult) -> None:
    connection = sqlite3.connect(small_city.out_dir / "police" / "police.sqlite")
    try:
        for table, line in manifest(small_city).items():
            columns = [c[1] for c in connection.execute(f"PRAGMA table_info({table})")]
            for part in filter(None, line["schema_drift"].split(";")):
                if part.startswith("renamed:"):
                    old, new = part.removeprefix("renamed:").split(">")
                    assert new in columns and old not in columns
                if part.startswith("added:"):
                    assert part.removeprefix("added:") in columns
            for name in filter(None, line["out_of_scope_fields"].split(";")):
                assert name in {"MZ", "ZJXY", "ZZMM", "JKZK"} and name in columns
    finally:
        connection.close()
    drift = ";".join(line["schema_drift"] + line["out_of_scope_fields"] for line in manifest(small_city).values())
    assert "renamed:" in drift and "added:" in drift and "reordered" in drift


def test_hjrk_holds_the_registered_share_of_residents(moderate_city: SimulationResult) -> None:
    assert 0.6 * 2000 <= len(rows(moderate_city, "HJRK")) <= 0.8 * 2000


def test_hjrk_values_have_the_contract_shapes(clean_city: SimulationResult) -> None:
    for row in rows(clean_city, "HJRK"):
        assert row["XBDM"] in {"1", "2"}
        assert row["YHZGXDM"] in {"02", "10", "20", "50", "99"}
        assert re.fullmatch(r"\d{12}", row["HJDZQH"]) and row["HJDZQH"].startswith("3201")
        assert row["HJDZ"].startswith("江苏省南京市") and row["HJDZ"].endswith("室")
        assert re.fullmatch(r"\d{9}", row["HH"])
        assert TIMESTAMP.match(row["GXSJ"])
        assert row["LXDH"] is None or re.fullmatch(r"1\d{10}", row["LXDH"])
        assert (row["ZXRQ"] is None) == (row["ZXYY"] is None)
        assert row["ZXYY"] in {None, "死亡", "迁出"}


def test_hjrk_households_have_one_head(moderate_city: SimulationResult) -> None:
    heads: Counter = Counter()
    for row in rows(moderate_city, "HJRK"):
        heads[row["HH"]] += row["YHZGXDM"] == "02"
    assert set(heads.values()) == {1}


def test_hjrk_records_moves_in_and_out_and_deaths_during_the_span(moderate_city: SimulationResult) -> None:
    table = rows(moderate_city, "HJRK")
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    moved_in = [r for r in table if iso.match(r["DJRQ"]) and r["DJRQ"] >= "2024-11-01"]
    assert len(moved_in) > 20
    reasons = Counter(r["ZXYY"] for r in table)
    assert reasons["死亡"] > 5 and reasons["迁出"] > 3
    for row in table:
        if row["ZXRQ"] and iso.match(row["ZXRQ"]):
            assert row["ZXRQ"] <= row["GXSJ"][:10]


def test_hjrk_deregisters_deceased_residents_on_their_death_date(moderate_city: SimulationResult) -> None:
    with (moderate_city.truth_dir / "persons.csv").open(encoding="utf-8") as handle:
        persons = {p["person_id"]: p for p in csv.DictReader(handle)}
    with (moderate_city.truth_dir / "person_mentions.csv").open(encoding="utf-8") as handle:
        person_of_id = {m["record_key"]: m["person_id"] for m in csv.DictReader(handle) if m["source"] == "HJRK"}
    deaths = 0
    for row in rows(moderate_city, "HJRK"):
        person = persons[person_of_id[str(row["ID"])]]
        if person["death_date"]:
            deaths += 1
            assert row["ZXYY"] == "死亡"
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["ZXRQ"]):
                assert row["ZXRQ"] == person["death_date"]
            assert row["GXSJ"][:10] >= person["death_date"]
        elif person["moved_out_date"]:
            assert row["ZXYY"] == "迁出"
        else:
            assert row["ZXRQ"] is None
    assert deaths > 0


def test_police_corrections_move_the_update_time_into_the_span(small_city: SimulationResult) -> None:
    with (small_city.truth_dir / "noise.csv").open(encoding="utf-8") as handle:
        corrected = [n for n in csv.DictReader(handle) if n["source_system"] == "police" and n["issue"] == "correction"]
    assert {n["source"] for n in corrected} == {"HJRK", "LDRK", "JQ"}
    gxsj = {(t, str(r["ID"])): r["GXSJ"] for t in ("HJRK", "LDRK", "JQ") for r in rows(small_city, t)}
    for n in corrected:
        assert gxsj[(n["source"], n["record_key"])] == n["delivered_value"] >= "2024-11-01"


def test_ldrk_registers_floating_residents_with_permits_and_workplaces(clean_city: SimulationResult) -> None:
    table = rows(clean_city, "LDRK")
    with (clean_city.truth_dir / "organizations.csv").open(encoding="utf-8") as handle:
        organization_names = {o["name"] for o in csv.DictReader(handle)}
    assert 0.3 * 300 < len(table) < 0.5 * 300
    assert {r["JZSY"] for r in table} == {"务工", "经商", "求学", "投亲", "其他"}
    employers = [r["FWCS"] for r in table if r["FWCS"]]
    assert len(employers) > len(table) / 3
    exact = sum(name in organization_names for name in employers)
    assert 0.6 * len(employers) < exact < len(employers)  # some shortened
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    expired = 0
    for row in table:
        assert TIMESTAMP.match(row["GXSJ"])
        if iso.match(row["DJRQ"]) and iso.match(row["YXQZ"]):
            assert row["DJRQ"] < row["YXQZ"]
            expired += row["YXQZ"] < "2026-10-31"
        assert row["XZZ"] and row["HJDZ"]
    assert expired > 3  # departed residents and overdue renewals


def test_jq_incidents_have_the_contract_codes_and_fields(moderate_city: SimulationResult) -> None:
    table = rows(moderate_city, "JQ")
    assert table
    for row in table:
        assert row["JQLBDM"] in CATEGORIES
        assert row["JQXLMC"] in SUBCATEGORIES[row["JQLBDM"]]
        assert row["CZJG"] in {"已处理", "处理中", "移交"}
        assert row["SSPCS"].endswith("派出所")
        assert TIMESTAMP.match(row["BJSJ"]) and row["BJSJ"] <= row["GXSJ"]
        assert row["JD"] is None or row["JD"] == "0" or 117.5 < float(row["JD"]) < 120.0
        assert row["WD"] is None or row["WD"] == "0" or 31.0 < float(row["WD"]) < 33.0
    empty = sum(not row["SJRY"] for row in table)
    assert 0.3 * len(table) < empty < 0.8 * len(table)
    listed = [n for row in table if row["SJRY"] for n in row["SJRY"].split(";")]
    assert any(";" in (row["SJRY"] or "") for row in table)
    assert all(n for n in listed)


@pytest.fixture(scope="module")
def busy_world() -> World:
    """A 5,000-person city with ten times the usual incident rate, for rhythms."""
    return build_world(SimulationConfig(persons=5000, seed=9, annual_incident_rate=0.6))


def test_incidents_follow_a_weekly_and_a_seasonal_rhythm(busy_world: World) -> None:
    days = busy_world.incidents.reported_at.astype("datetime64[D]")
    weekday = (days.astype(np.int64) + 3) % 7
    counts = np.bincount(weekday, minlength=7)
    assert counts[4] + counts[5] > 1.15 * (counts[0] + counts[1])  # Fri+Sat vs Mon+Tue
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    summer = np.isin(month, (7, 8)).sum()
    late_autumn = np.isin(month, (11, 12)).sum()
    assert summer > 1.1 * late_autumn
    hour = (busy_world.incidents.reported_at - days).astype(np.int64) // 3600
    assert (hour == 20).sum() > 2.5 * (hour == 4).sum()


def test_incidents_cluster_in_hotspot_grids(busy_world: World) -> None:
    incidents = busy_world.incidents
    population = busy_world.population
    residents = busy_world.units.grid[busy_world.households.unit[population.household[: population.residents]]]
    per_grid_residents = np.bincount(residents, minlength=len(busy_world.divisions.grids))
    per_grid_incidents = np.bincount(incidents.grid, minlength=len(busy_world.divisions.grids))
    hot = incidents.hotspot_grids
    others = np.setdiff1d(np.flatnonzero(per_grid_residents), hot)
    rate_hot = per_grid_incidents[hot].sum() / per_grid_residents[hot].sum()
    rate_other = per_grid_incidents[others].sum() / per_grid_residents[others].sum()
    assert rate_hot > 0.6 * HOTSPOT_FACTOR * rate_other


def test_hjrk_registration_dates_precede_updates_and_follow_births(clean_city: SimulationResult) -> None:
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    for row in rows(clean_city, "HJRK"):
        if iso.match(row["CSRQ"]) and iso.match(row["DJRQ"]) and not row["ZXRQ"]:
            assert row["CSRQ"] <= row["DJRQ"] <= "2026-10-31"
        assert row["GXSJ"][:10] <= str(date(2026, 10, 31))


def test_police_tables_without_drift_match_the_contract_ddl(clean_city: SimulationResult) -> None:
    reference = sqlite3.connect(":memory:")
    delivered = sqlite3.connect(clean_city.out_dir / "police" / "police.sqlite")
    try:
        reference.executescript(resources.files("simulator.deliveries").joinpath("police.sql").read_text("utf-8"))
        for table in ("HJRK", "LDRK", "JQ"):
            expected = reference.execute(f"PRAGMA table_info({table})").fetchall()
            assert delivered.execute(f"PRAGMA table_info({table})").fetchall() == expected, table
    finally:
        reference.close()
        delivered.close()
