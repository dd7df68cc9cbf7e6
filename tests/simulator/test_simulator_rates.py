"""Each data issue appears at its configured rate (contract section 5).

The `rates_city` fixture sets every rate explicitly and high enough to
count. Value issues are measured on one delivered field each, over the
values eligible for the issue; record and batch issues over the records and
batches they can hit. Issues of one field kind exclude each other on a value
(the first drawn wins), so an issue's observed share can fall below its rate
by up to the kind's total rate; the tolerance allows that plus four standard
deviations of the binomial count.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path

import pytest

from delivered_rows import police_rows
from noise_rates import RATES
from simulator.generate import SimulationResult
from simulator.names import MIDDLE_DOT, RARE_CHARACTER_HOMOPHONES


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def assert_rate(hits: int, eligible: int, rate: float, kind_total: float = 0.0) -> None:
    """Check `hits` of `eligible` values against `rate` (see the module docstring)."""
    assert eligible > 0
    sigma = math.sqrt(eligible * rate * (1 - rate))
    low = eligible * rate * (1 - kind_total) - 4 * sigma - 2
    high = eligible * rate + 4 * sigma + 2
    assert low <= hits <= high, f"{hits} of {eligible} for rate {rate} (expected {low:.0f}..{high:.0f})"


def kind_total(prefix: str) -> float:
    return sum(rate for name, rate in RATES.items() if name.startswith(prefix))


@pytest.fixture(scope="module")
def noise(rates_city: SimulationResult) -> list[dict]:
    return read_csv(rates_city.truth_dir / "noise.csv")


@pytest.fixture(scope="module")
def persons(rates_city: SimulationResult) -> dict[str, dict]:
    return {p["person_id"]: p for p in read_csv(rates_city.truth_dir / "persons.csv")}


@pytest.fixture(scope="module")
def hjrk(rates_city: SimulationResult, persons: dict[str, dict]) -> list[dict]:
    """HJRK rows with their true person."""
    person_of = {
        m["record_key"]: persons[m["person_id"]]
        for m in read_csv(rates_city.truth_dir / "person_mentions.csv")
        if m["source"] == "HJRK"
    }
    rows = police_rows(rates_city.out_dir / "police" / "police.sqlite", "HJRK")
    return [row | {"_person": person_of[str(row["ID"])]} for row in rows]


def issues_of(noise: list[dict], source: str, field: str) -> Counter:
    return Counter(n["issue"] for n in noise if n["source"] == source and n["field"] == field)


def corrected(noise: list[dict], source: str) -> set[str]:
    return {n["record_key"] for n in noise if n["source"] == source and n["issue"] == "correction"}


def test_identity_number_issues_occur_at_their_rates(hjrk: list[dict], noise: list[dict]) -> None:
    fixed = corrected(noise, "HJRK")
    rows = [r for r in hjrk if str(r["ID"]) not in fixed]
    found = issues_of([n for n in noise if n["record_key"] not in fixed], "HJRK", "GMSFHM")
    total = kind_total("id_")
    born_1900s = sum(r["_person"]["birth_date"] < "2000" for r in rows)
    ending_x = sum(r["_person"]["id_number"].endswith("X") for r in rows)
    assert_rate(found["id_legacy_15"], born_1900s, RATES["id_legacy_15"], total)
    assert_rate(found["id_lowercase_x"], ending_x, RATES["id_lowercase_x"], total)
    for issue in ("id_fullwidth", "id_spaces", "id_mistyped_digit", "id_transposed_digits", "id_missing"):
        assert_rate(found[issue], len(rows), RATES[issue], total)


def test_name_issues_occur_at_their_rates(hjrk: list[dict], noise: list[dict], persons: dict[str, dict]) -> None:
    fixed = corrected(noise, "HJRK")
    rows = [r for r in hjrk if str(r["ID"]) not in fixed]
    found = issues_of([n for n in noise if n["record_key"] not in fixed], "HJRK", "XM")
    total = kind_total("name_") - RATES["name_dot_variant"] - RATES["name_rare_char"]
    names = [r["_person"]["name"] for r in rows]
    assert_rate(found["name_outer_spaces"], len(rows), RATES["name_outer_spaces"], total + 0.3)
    assert_rate(found["name_fullwidth_space"], len(rows), RATES["name_fullwidth_space"], total + 0.3)
    assert_rate(found["name_inner_space"], sum(len(n) == 2 for n in names), RATES["name_inner_space"], total + 0.3)
    # Few names are eligible for these two; count over every delivered name.
    everywhere = Counter(n["issue"] for n in noise)
    dotted = sum(MIDDLE_DOT in p["name"] for p in persons.values())
    rare = sum(any(c in RARE_CHARACTER_HOMOPHONES for c in p["name"]) for p in persons.values())
    assert dotted and everywhere["name_dot_variant"] > 0
    assert rare and everywhere["name_rare_char"] > 0


def test_date_issues_occur_at_their_rates(hjrk: list[dict], noise: list[dict]) -> None:
    found = issues_of(noise, "HJRK", "CSRQ")
    total = kind_total("date_")
    serial_eligible = sum(r["_person"]["birth_date"] >= "1954-10-03" for r in hjrk)
    assert_rate(found["date_excel_serial"], serial_eligible, RATES["date_excel_serial"], total)
    for issue in ("date_slashes", "date_compact", "date_chinese", "date_placeholder", "date_impossible", "date_future"):
        assert_rate(found[issue], len(hjrk), RATES[issue], total)


def test_address_issues_occur_at_their_rates(hjrk: list[dict], noise: list[dict]) -> None:
    found = issues_of(noise, "HJRK", "HJDZ")
    for issue in (
        "address_no_prefix", "address_chinese_numerals", "address_building_word", "address_dash_form",
        "address_missing_room", "address_fullwidth",
    ):
        assert_rate(found[issue], len(hjrk), RATES[issue], kind_total("address_"))


def test_phone_issues_occur_at_their_rates(hjrk: list[dict], noise: list[dict]) -> None:
    found = issues_of(noise, "HJRK", "LXDH")
    with_phone = [r for r in hjrk if r["LXDH"]]
    total = kind_total("phone_")
    for issue in ("phone_plus86", "phone_separators", "phone_typo_10"):
        assert_rate(found[issue], len(with_phone), RATES[issue], total)
    with_landline = sum(bool(r["_person"]["landline"]) for r in with_phone)
    assert_rate(found["phone_landline"], with_landline, RATES["phone_landline"], total)


def test_credit_code_issues_occur_at_their_rates(rates_city: SimulationResult, noise: list[dict]) -> None:
    # The register keeps an entry's mistakes, so count units, not rows.
    snapshot = "房屋基础信息_全量_20261001.csv"
    owned = [
        m for m in read_csv(rates_city.truth_dir / "organization_mentions.csv")
        if m["source"] == snapshot and "duplicate_row" not in m["noise"]
    ]
    found = Counter(i for m in owned for i in m["noise"].split(";") if i.startswith("credit_code_"))
    codes = {o["organization_id"]: o["credit_code"] for o in read_csv(rates_city.truth_dir / "organizations.csv")}
    with_letters = sum(any(c.isalpha() for c in codes[m["organization_id"]]) for m in owned)
    total = kind_total("credit_code_")
    assert_rate(found["credit_code_lowercase"], with_letters, RATES["credit_code_lowercase"], total)
    assert_rate(found["credit_code_mistyped"], len(owned), RATES["credit_code_mistyped"], total)


def test_incident_coordinates_are_missing_or_zero_at_their_rates(
    rates_city: SimulationResult, noise: list[dict]
) -> None:
    incidents = police_rows(rates_city.out_dir / "police" / "police.sqlite", "JQ")
    missing = sum(r["JD"] is None for r in incidents)
    zero = sum(r["JD"] == "0" for r in incidents)
    assert_rate(missing, len(incidents), RATES["coordinates_missing"])
    assert_rate(zero, len(incidents), RATES["coordinates_zero"], RATES["coordinates_missing"])
    assert Counter(n["issue"] for n in noise if n["source"] == "JQ")["coordinates_zero"] == zero


def test_duplicate_rows_occur_at_their_rate(rates_city: SimulationResult) -> None:
    lines = [
        line for line in read_csv(rates_city.truth_dir / "manifest.csv")
        if line["source_system"] in {"civil_affairs", "housing", "justice"}
        and line["broken"] in {"", "extra_sheet"}
        and "补报" not in line["source"]
    ]
    copies = Counter()
    for n in read_csv(rates_city.truth_dir / "noise.csv"):
        if n["issue"] == "duplicate_row":
            copies[n["source"]] += 1
    resent = Counter()
    for n in read_csv(rates_city.truth_dir / "noise.csv"):
        if n["issue"] == "duplicate_batch":
            resent[n["source"]] += 1
    originals = sum(
        int(line["rows_delivered"]) - copies[line["source"]] - resent[line["source"]] for line in lines
    )
    assert_rate(sum(copies[line["source"]] for line in lines), originals, RATES["duplicate_row"])


def test_corrections_occur_at_their_rate(hjrk: list[dict], noise: list[dict]) -> None:
    assert_rate(len(corrected(noise, "HJRK")), len(hjrk), RATES["correction"])


def test_unknown_units_occur_at_their_rate(rates_city: SimulationResult) -> None:
    units = read_csv(rates_city.truth_dir / "units.csv")
    occupied = [u for u in units if int(u["occupant_households"])]
    unknown = sum(u["in_register"] == "false" for u in occupied)
    assert_rate(unknown, len(occupied), RATES["unknown_unit"])
    assert all(u["in_register"] == "true" for u in units if not int(u["occupant_households"]))


def test_batch_issues_occur_at_their_rates(rates_city: SimulationResult) -> None:
    lines = read_csv(rates_city.truth_dir / "manifest.csv")
    workbooks = {line["source"].split("#")[0]: line for line in lines if line["source"].startswith("司法名册_")}
    extra = sum(line["broken"] == "extra_sheet" for line in workbooks.values())
    assert_rate(extra, len(workbooks), RATES["extra_sheet"])
    months = {
        name[-11:-5]: line["schema_drift"] + "|" + line["out_of_scope_fields"] for name, line in workbooks.items()
    }
    assert_rate(sum("renamed:" in d for d in months.values()), len(months), RATES["schema_renamed"])
    assert_rate(sum("added:" in d for d in months.values()), len(months), RATES["schema_added_column"])
    assert_rate(sum("reordered" in d for d in months.values()), len(months), RATES["schema_reordered"])
    assert_rate(sum(not d.endswith("|") for d in months.values()), len(months), RATES["out_of_scope"])
    increments = [line for line in lines if line["source_system"] == "housing" and "增量" in line["source"]]
    for kind in ("truncated", "wrong_encoding", "empty"):
        found = sum(line["broken"] == kind for line in increments)
        assert_rate(found, len(increments), RATES[f"broken_{kind}"], kind_total("broken_"))


def test_heavy_noise_triples_the_moderate_rates(small_city: SimulationResult, moderate_city: SimulationResult) -> None:
    def touched(result: SimulationResult) -> float:
        rows = police_rows(result.out_dir / "police" / "police.sqlite", "HJRK")
        issues = {n["record_key"] for n in read_csv(result.truth_dir / "noise.csv") if n["source"] == "HJRK"}
        return len(issues) / len(rows)

    moderate, heavy = touched(moderate_city), touched(small_city)
    # "moderate" touches a few percent of records.
    assert 0.03 < moderate < 0.15
    assert 2.0 < heavy / moderate < 3.5
