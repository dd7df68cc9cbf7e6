"""Ground truth: every delivered row and mention is accounted for, every issue recorded."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from delivered_rows import (
    DeliveredRow,
    housing_rows,
    normalize_credit_code,
    normalize_identity_number,
    open_workbook,
    read_all,
)
from simulator.credit_codes import is_valid_credit_code
from simulator.generate import SimulationResult
from simulator.identity_numbers import is_valid_identity_number

ID_ISSUES = {
    "id_legacy_15", "id_lowercase_x", "id_fullwidth", "id_spaces", "id_mistyped_digit", "id_transposed_digits",
    "id_missing",
}
UNRECOVERABLE_ID_ISSUES = {"id_mistyped_digit", "id_transposed_digits", "id_missing"}
UNREADABLE = {"truncated_row"}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mentions(result: SimulationResult, kind: str | None = None) -> list[dict]:
    kinds = (kind,) if kind else ("person", "unit", "organization")
    return [m | {"kind": k} for k in kinds for m in read_csv(result.truth_dir / f"{k}_mentions.csv")]


def manifest(result: SimulationResult) -> list[dict]:
    return read_csv(result.truth_dir / "manifest.csv")


def rows_by_place(result: SimulationResult) -> dict[tuple[str, str, int], DeliveredRow]:
    return {(r.source_system, r.source, r.row_number): r for r in read_all(result.out_dir)}


def readable(line: dict) -> bool:
    return line["rows_delivered"] != "0"


def test_truth_manifest_lists_every_batch_with_its_row_count(small_city: SimulationResult) -> None:
    lines = manifest(small_city)
    assert list(lines[0]) == [
        "source_system", "source_entity", "batch", "source", "rows_delivered", "rows_unrecoverable",
        "rows_duplicate", "rows_lost", "broken", "schema_drift", "out_of_scope_fields", "delivered_at",
    ]
    delivered = Counter((row.source_system, row.source) for row in read_all(small_city.out_dir))
    for line in lines:
        if readable(line):
            assert delivered[(line["source_system"], line["source"])] == int(line["rows_delivered"]), line
    totals: Counter = Counter()
    for line in lines:
        totals[(line["source_system"], line["source_entity"])] += int(line["rows_delivered"])
    assert dict(totals) == small_city.delivered


def test_truth_manifest_counts_unreadable_rows_of_broken_files(small_city: SimulationResult) -> None:
    by_source = {line["source"]: line for line in manifest(small_city)}
    broken = {line["broken"] for line in by_source.values()}
    assert {"truncated", "wrong_encoding", "empty", "extra_sheet"} <= broken
    for source, line in by_source.items():
        if line["broken"] == "wrong_encoding":
            # Nothing can be read out of it: every row is lost.
            assert line["rows_delivered"] == "0" and int(line["rows_lost"]) > 0
            assert housing_rows(small_city.out_dir / "housing" / source) is None
        if line["broken"] == "empty":
            assert line["rows_delivered"] == "0" and int(line["rows_lost"]) > 0
        if line["broken"] == "truncated" and line["source_system"] == "housing":
            # The rows before the cut are delivered, the cut one unreadable.
            assert int(line["rows_unrecoverable"]) >= 1
        if line["broken"] == "truncated" and line["source_system"] == "justice":
            assert line["rows_delivered"] == "0"
            assert open_workbook(small_city.out_dir / "justice" / source.split("#")[0]) is None


@pytest.mark.parametrize("fixture", ["tiny_city", "small_city"])
def test_truth_mentions_cover_every_mention_of_every_delivered_row(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    result: SimulationResult = request.getfixturevalue(fixture)
    truth: dict[tuple[str, str, int], dict[tuple[str, int], dict]] = defaultdict(dict)
    flags: dict[tuple[str, str, int], str] = {}
    for m in mentions(result):
        place = (m["source_system"], m["source"], int(m["row_number"]))
        truth[place][(m["role"], int(m["position"]))] = m
        flags[place] = m["noise"]
    delivered = rows_by_place(result)
    readable_sources = {(line["source_system"], line["source"]) for line in manifest(result) if readable(line)}
    # Every mention is of a readable delivered row; every row is in the manifest.
    assert {place for place in truth if place[:2] in readable_sources} <= set(delivered)
    rows_per_source = Counter(place[:2] for place in delivered)
    for line in manifest(result):
        if readable(line):
            assert rows_per_source[(line["source_system"], line["source"])] == int(line["rows_delivered"])
    for place, row in delivered.items():
        if place not in truth:
            continue
        expected = set(truth[place])
        found = set(row.mentions)
        record_keys = {m["record_key"] for m in truth[place].values()}
        assert record_keys == {row.record_key}, place
        if set(flags[place].split(";")) & UNREADABLE:
            assert found <= expected, place  # a row cut short shows fewer mentions
            continue
        if place[1].endswith("#安置帮教"):
            # 户籍地址 names a unit in the city only for registered residents.
            assert expected - {("registered_at", 1)} == found - {("registered_at", 1)}, place
            continue
        assert expected == found, place
    # Rows without any mention: incidents with no person recorded.
    for place, row in delivered.items():
        if place not in truth:
            assert place[1] == "JQ" and not row.values["SJRY"], place


def test_truth_every_delivered_row_but_anonymous_incidents_has_a_mention(small_city: SimulationResult) -> None:
    mentioned = {(m["source_system"], m["source"], int(m["row_number"])) for m in mentions(small_city)}
    for line in manifest(small_city):
        rows = {(line["source_system"], line["source"], n) for n in range(1, int(line["rows_delivered"]) + 1)}
        if line["source"] == "JQ":
            assert 0.2 * len(rows) < len(rows & mentioned) < len(rows)
        else:
            assert rows <= mentioned, line["source"]


def test_truth_unrecoverable_counts_match_the_manifest(small_city: SimulationResult) -> None:
    bad: dict[tuple[str, str], set[int]] = defaultdict(set)
    for m in mentions(small_city):
        if m["unrecoverable"] == "true" and m["kind"] != "unit":
            bad[(m["source_system"], m["source"])].add(int(m["row_number"]))
    counted = {(m["source_system"], m["source"]): int(m["rows_unrecoverable"]) for m in manifest(small_city)}
    assert counted == {key: len(bad.get(key, set())) for key in counted}
    assert sum(counted.values()) > 0


def test_truth_duplicate_counts_match_the_noise_file(small_city: SimulationResult) -> None:
    copies = Counter(
        (n["source_system"], n["source"])
        for n in read_csv(small_city.truth_dir / "noise.csv")
        if n["issue"] in {"duplicate_row", "duplicate_batch"}
    )
    counted = {(m["source_system"], m["source"]): int(m["rows_duplicate"]) for m in manifest(small_city)}
    assert counted == {key: copies.get(key, 0) for key in counted}
    assert {"housing", "justice"} <= {key[0] for key, n in copies.items() if n}


def test_delivered_identity_numbers_are_valid_unless_truth_says_broken(small_city: SimulationResult) -> None:
    persons = {p["person_id"]: p for p in read_csv(small_city.truth_dir / "persons.csv")}
    rows = rows_by_place(small_city)
    seen: Counter = Counter()
    checked = 0
    for m in mentions(small_city, "person"):
        row = rows.get((m["source_system"], m["source"], int(m["row_number"])))
        if row is None or m["given"] != "id_number" or set(m["noise"].split(";")) & UNREADABLE:
            continue
        delivered = row.mentions[(m["role"], int(m["position"]))]
        canonical = persons[m["person_id"]]["id_number"]
        id_issue = set(m["noise"].split(";")) & ID_ISSUES
        seen.update(id_issue)
        checked += 1
        if not id_issue:
            assert delivered == canonical, m
            assert is_valid_identity_number(delivered)
        elif id_issue & UNRECOVERABLE_ID_ISSUES:
            assert m["unrecoverable"] == "true"
            assert normalize_identity_number(delivered) is None
        else:
            assert m["unrecoverable"] == "false"
            assert delivered != canonical
            assert normalize_identity_number(delivered) == canonical
    # Heavy noise on 2,000 persons: every identity-number issue occurs.
    assert set(seen) == ID_ISSUES
    assert checked > 5000


def test_delivered_credit_codes_are_valid_unless_truth_says_broken(rates_city: SimulationResult) -> None:
    organizations = {o["organization_id"]: o for o in read_csv(rates_city.truth_dir / "organizations.csv")}
    assert all(is_valid_credit_code(o["credit_code"]) for o in organizations.values())
    rows = rows_by_place(rates_city)
    seen: Counter = Counter()
    for m in mentions(rates_city, "organization"):
        row = rows.get((m["source_system"], m["source"], int(m["row_number"])))
        if row is None or m["given"] != "credit_code" or set(m["noise"].split(";")) & UNREADABLE:
            continue
        delivered = row.mentions[(m["role"], int(m["position"]))]
        canonical = organizations[m["organization_id"]]["credit_code"]
        issue = {i for i in m["noise"].split(";") if i.startswith("credit_code_")}
        seen.update(issue)
        if not issue:
            assert delivered == canonical
        elif "credit_code_mistyped" in issue:
            assert m["unrecoverable"] == "true" and normalize_credit_code(delivered) is None
        else:
            assert normalize_credit_code(delivered) == canonical
    assert set(seen) == {"credit_code_lowercase", "credit_code_mistyped"}


def test_delivered_unit_codes_and_addresses_match_the_truth(small_city: SimulationResult) -> None:
    units = {u["unit_code"]: u for u in read_csv(small_city.truth_dir / "units.csv")}
    rows = rows_by_place(small_city)
    by_address = 0
    for m in mentions(small_city, "unit"):
        row = rows.get((m["source_system"], m["source"], int(m["row_number"])))
        if row is None or set(m["noise"].split(";")) & UNREADABLE:
            continue
        delivered = row.mentions[(m["role"], int(m["position"]))]
        if m["given"] == "unit_code":
            assert delivered == m["unit_code"]
        elif not any(issue.startswith("address_") for issue in m["noise"].split(";")):
            by_address += 1
            assert delivered == units[m["unit_code"]]["address"], m
    assert by_address > 1000


def test_delivered_names_differ_from_truth_only_where_noise_is_recorded(small_city: SimulationResult) -> None:
    persons = {p["person_id"]: p["name"] for p in read_csv(small_city.truth_dir / "persons.csv")}
    name_fields = {
        ("HJRK", "resident"): "XM", ("LDRK", "floating_resident"): "XM", ("/api/v1/deaths", "deceased"): "name",
        ("/api/v1/marriages", "male_party"): "maleName", ("/api/v1/marriages", "female_party"): "femaleName",
        ("/api/v1/subsistence", "head"): "headName",
        ("/api/v1/organizations", "legal_representative"): "legalRepName",
    }
    rows = rows_by_place(small_city)
    checked = 0
    for m in mentions(small_city, "person"):
        field = name_fields.get((m["source"], m["role"]))
        if field is None:
            continue
        name = rows[(m["source_system"], m["source"], int(m["row_number"]))].values[field]
        checked += 1
        if "name_" not in m["noise"]:
            assert name == persons[m["person_id"]]
        else:
            assert name != persons[m["person_id"]]
    assert checked > 1000


def test_truth_persons_have_unique_valid_identity_numbers(small_city: SimulationResult) -> None:
    persons = read_csv(small_city.truth_dir / "persons.csv")
    numbers = [p["id_number"] for p in persons]
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_identity_number(n) for n in numbers)
    assert all(n[6:14] == p["birth_date"].replace("-", "") for n, p in zip(numbers, persons, strict=True))
    assert all(int(n[16]) % 2 == (1 if p["gender"] == "1" else 0) for n, p in zip(numbers, persons, strict=True))
    assert {p["residence"] for p in persons} == {"registered", "floating", "outside", "departed"}


def test_truth_noise_lists_each_issue_with_its_values(small_city: SimulationResult) -> None:
    issues = read_csv(small_city.truth_dir / "noise.csv")
    by_issue = Counter(n["issue"] for n in issues)
    for issue in (
        "date_excel_serial", "date_placeholder", "date_impossible", "date_future", "address_no_prefix",
        "address_dash_form", "address_missing_room", "phone_plus86", "phone_landline", "phone_typo_10",
        "coordinates_missing", "coordinates_zero", "correction", "superseded_value", "unknown_unit",
        "duplicate_row", "duplicate_batch", "truncated_row",
    ):
        assert by_issue[issue] > 0, issue
    for n in issues:
        if n["field"] and n["issue"] not in {"correction", "unknown_unit", "coordinates_missing"}:
            assert n["delivered_value"] != n["true_value"], n


def test_noise_none_delivers_no_issues(clean_city: SimulationResult) -> None:
    assert all(m["noise"] == "" and m["unrecoverable"] == "false" for m in mentions(clean_city))
    assert read_csv(clean_city.truth_dir / "noise.csv") == []
    assert all(
        (line["broken"], line["schema_drift"], line["out_of_scope_fields"], line["rows_duplicate"]) == ("", "", "", "0")
        for line in manifest(clean_city)
    )
    persons = {p["person_id"]: p["id_number"] for p in read_csv(clean_city.truth_dir / "persons.csv")}
    rows = rows_by_place(clean_city)
    for m in mentions(clean_city, "person"):
        if m["given"] == "id_number":
            row = rows[(m["source_system"], m["source"], int(m["row_number"]))]
            delivered = row.mentions[(m["role"], int(m["position"]))]
            assert delivered == persons[m["person_id"]]
