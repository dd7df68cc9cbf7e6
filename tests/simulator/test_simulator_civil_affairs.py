"""Civil-affairs delivery: the records behind the four API endpoints."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

from delivered_rows import normalize_credit_code
from simulator.generate import SimulationResult

UPDATED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def records(result: SimulationResult, endpoint: str) -> list[dict]:
    return json.loads((result.out_dir / "civil_affairs" / f"{endpoint}.json").read_text(encoding="utf-8"))


def truth(result: SimulationResult, name: str) -> list[dict]:
    with (result.truth_dir / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_endpoints_hold_the_contract_keys(clean_city: SimulationResult) -> None:
    keys = {
        "marriages": [
            "regNo", "regType", "regDate", "maleIdNo", "maleName", "femaleIdNo", "femaleName", "office", "updatedAt",
        ],
        "deaths": ["recordNo", "idNo", "name", "deathDate", "place", "updatedAt"],
        "subsistence": [
            "caseNo", "headIdNo", "headName", "members", "address", "monthlyAmount", "startDate", "endDate", "status",
            "updatedAt",
        ],
        "organizations": [
            "creditCode", "orgName", "orgType", "legalRepName", "legalRepIdNo", "address", "foundedDate", "status",
            "updatedAt",
        ],
    }
    for endpoint, expected in keys.items():
        found = records(clean_city, endpoint)
        assert found, endpoint
        assert all(list(r) == expected for r in found), endpoint
        assert all(UPDATED_AT.match(r["updatedAt"]) and r["updatedAt"] <= "2026-10-31T23:59:59" for r in found)


def test_out_of_scope_keys_are_delivered_where_the_manifest_says(small_city: SimulationResult) -> None:
    lines = [m for m in truth(small_city, "manifest.csv") if m["source_system"] == "civil_affairs"]
    extra = {m["batch"]: m["out_of_scope_fields"] for m in lines}
    assert any(extra.values())
    for endpoint, fields in extra.items():
        keys = set(records(small_city, endpoint)[0]) if records(small_city, endpoint) else set()
        for field in filter(None, fields.split(";")):
            assert field in {"ethnicity", "religion", "politicalStatus", "healthStatus"} and field in keys


def test_deaths_occur_at_about_the_national_rate(moderate_city: SimulationResult) -> None:
    unique = {r["recordNo"] for r in records(moderate_city, "deaths")}
    # 2,000 residents, 0.7 % a year, 24 months: about 28.
    assert 15 <= len(unique) <= 45


def test_deaths_include_persons_never_registered_in_the_city(moderate_city: SimulationResult) -> None:
    residence = {p["person_id"]: p["residence"] for p in truth(moderate_city, "persons.csv")}
    mentions = truth(moderate_city, "person_mentions.csv")
    dead = [residence[m["person_id"]] for m in mentions if m["source_entity"] == "deaths"]
    assert dead.count("registered") > len(dead) / 2
    assert "outside" in dead


def test_deaths_are_registered_after_they_happen_and_before_the_span_ends(clean_city: SimulationResult) -> None:
    for record in records(clean_city, "deaths"):
        assert record["deathDate"] < record["updatedAt"][:10] <= "2026-10-31"
        assert record["place"]


def test_marriages_pair_a_man_and_a_woman_and_include_divorces(moderate_city: SimulationResult) -> None:
    persons = {p["person_id"]: p for p in truth(moderate_city, "persons.csv")}
    found = records(moderate_city, "marriages")
    kinds = Counter(r["regType"] for r in found)
    # 2,000 persons over two years: ~22 marriages, ~7 divorces.
    assert 10 <= kinds["结婚"] <= 40 and 2 <= kinds["离婚"] <= 15
    for r in found:
        assert re.fullmatch(r"[JL]\d{6}-\d{4}-\d{6}", r["regNo"]) and r["office"].endswith("婚姻登记处")
        assert r["regNo"][0] == ("J" if r["regType"] == "结婚" else "L")
    for m in truth(moderate_city, "person_mentions.csv"):
        if m["source_entity"] == "marriages":
            assert persons[m["person_id"]]["gender"] == ("1" if m["role"] == "male_party" else "2")


def test_subsistence_cases_list_their_members(small_city: SimulationResult) -> None:
    found = records(small_city, "subsistence")
    assert found
    for r in found:
        assert r["status"] in {"在保", "停保"}
        assert (r["endDate"] is None) == (r["status"] == "在保")
        assert isinstance(r["monthlyAmount"], float) and 100 < r["monthlyAmount"] < 10_000
        assert round(r["monthlyAmount"], 2) == r["monthlyAmount"]
        assert r["members"] and all(set(m) == {"idNo", "name", "relation"} for m in r["members"])
        assert r["members"][0]["relation"] == "户主"
        assert {m["relation"] for m in r["members"]} <= {"户主", "配偶", "子女", "父母", "其他"}


def test_organizations_are_social_organizations_with_valid_credit_codes(rates_city: SimulationResult) -> None:
    found = records(rates_city, "organizations")
    assert found
    broken = {
        n["record_key"] for n in truth(rates_city, "noise.csv")
        if n["source"] == "/api/v1/organizations" and n["issue"] == "credit_code_mistyped"
    }
    for r in found:
        assert r["orgType"] in {"社会团体", "民办非企业单位", "基金会"}
        assert r["status"] in {"正常", "注销", "撤销"}
        code = normalize_credit_code(r["creditCode"])
        if r["creditCode"] in broken:
            assert code is None
        else:
            assert code is not None and code[:2] == {"社会团体": "51", "民办非企业单位": "52", "基金会": "53"}[r["orgType"]]


def test_some_records_are_served_twice(rates_city: SimulationResult) -> None:
    for endpoint, key in (("deaths", "recordNo"), ("marriages", "regNo")):
        keys = Counter(r[key] for r in records(rates_city, endpoint))
        assert max(keys.values()) == 2, endpoint


def test_corrected_records_have_a_later_update_time(rates_city: SimulationResult) -> None:
    corrected = [
        n
        for n in truth(rates_city, "noise.csv")
        if n["source_system"] == "civil_affairs" and n["issue"] == "correction"
    ]
    assert {"/api/v1/deaths", "/api/v1/marriages"} <= {n["source"] for n in corrected}
    deaths = {r["recordNo"]: r for r in records(rates_city, "deaths")}
    for n in corrected:
        if n["source"] == "/api/v1/deaths":
            assert deaths[n["record_key"]]["updatedAt"] == n["delivered_value"] > n["true_value"]
