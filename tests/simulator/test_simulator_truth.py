"""Ground truth: every delivered row is accounted for, every issue recorded."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from delivered_rows import DeliveredRow, normalize_identity_number, read_all
from simulator.generate import SimulationResult, simulate
from simulator.identity_numbers import is_valid_identity_number

ID_ISSUES = {
    "id_legacy_15", "id_lowercase_x", "id_fullwidth", "id_spaces", "id_mistyped_digit", "id_transposed_digits",
    "id_missing",
}
UNRECOVERABLE_ISSUES = {"id_mistyped_digit", "id_transposed_digits", "id_missing"}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mentions(result: SimulationResult) -> list[dict]:
    return [
        *read_csv(result.truth_dir / "person_mentions.csv"),
        *read_csv(result.truth_dir / "organization_mentions.csv"),
    ]


def test_truth_manifest_lists_every_batch_with_its_row_count(small_city: SimulationResult) -> None:
    manifest = read_csv(small_city.truth_dir / "manifest.csv")
    assert list(manifest[0]) == [
        "source_system", "source_entity", "batch", "source", "rows_delivered", "rows_unrecoverable",
    ]
    delivered = Counter((row.source_system, row.source) for row in read_all(small_city.out_dir))
    assert {(m["source_system"], m["source"]): int(m["rows_delivered"]) for m in manifest} == delivered
    assert {(m["source_system"], m["batch"]) for m in manifest} >= {("police", "HJRK"), ("civil_affairs", "deaths")}
    totals: Counter = Counter()
    for m in manifest:
        totals[(m["source_system"], m["source_entity"])] += int(m["rows_delivered"])
    assert dict(totals) == small_city.delivered


@pytest.mark.parametrize("fixture", ["tiny_city", "small_city"])
def test_truth_mentions_cover_every_delivered_row(fixture: str, request: pytest.FixtureRequest) -> None:
    result: SimulationResult = request.getfixturevalue(fixture)
    mentioned = {(m["source_system"], m["source"], int(m["row_number"]), m["record_key"]) for m in mentions(result)}
    delivered = {(r.source_system, r.source, r.row_number, r.record_key) for r in read_all(result.out_dir)}
    assert delivered == mentioned


def test_truth_mentions_have_the_contract_columns(tiny_city: SimulationResult) -> None:
    rows = read_csv(tiny_city.truth_dir / "person_mentions.csv")
    assert list(rows[0])[:7] == [
        "source_system", "source_entity", "source", "record_key", "role", "position", "person_id",
    ]
    assert {"noise", "unrecoverable"} <= set(rows[0])
    assert {r["unrecoverable"] for r in rows} <= {"true", "false"}


def test_truth_unrecoverable_counts_match_the_manifest(small_city: SimulationResult) -> None:
    bad = Counter(
        (m["source_system"], m["source"])
        for m in mentions(small_city)
        if m["unrecoverable"] == "true"
    )
    manifest = read_csv(small_city.truth_dir / "manifest.csv")
    assert {(m["source_system"], m["source"]): int(m["rows_unrecoverable"]) for m in manifest} == {
        (m["source_system"], m["source"]): bad.get((m["source_system"], m["source"]), 0) for m in manifest
    }
    assert sum(bad.values()) > 0


def test_delivered_identity_numbers_are_valid_unless_truth_says_broken(small_city: SimulationResult) -> None:
    persons = {p["person_id"]: p for p in read_csv(small_city.truth_dir / "persons.csv")}
    rows: dict[tuple[str, str, int], DeliveredRow] = {
        (r.source_system, r.source, r.row_number): r for r in read_all(small_city.out_dir)
    }
    seen: Counter = Counter()
    for m in read_csv(small_city.truth_dir / "person_mentions.csv"):
        row = rows[(m["source_system"], m["source"], int(m["row_number"]))]
        canonical = persons[m["person_id"]]["id_number"]
        issues = set(filter(None, m["noise"].split(";")))
        id_issue = issues & ID_ISSUES
        seen.update(id_issue)
        if not id_issue:
            assert row.id_number == canonical
            assert is_valid_identity_number(row.id_number)
        elif id_issue & UNRECOVERABLE_ISSUES:
            assert m["unrecoverable"] == "true"
            assert normalize_identity_number(row.id_number) is None
        else:
            assert m["unrecoverable"] == "false"
            assert row.id_number != canonical
            assert normalize_identity_number(row.id_number) == canonical
    # Heavy noise on 2,000 persons: every identity-number issue occurs.
    assert set(seen) == ID_ISSUES


def test_delivered_names_differ_from_truth_only_where_noise_is_recorded(small_city: SimulationResult) -> None:
    persons = {p["person_id"]: p for p in read_csv(small_city.truth_dir / "persons.csv")}
    rows = {(r.source_system, r.source, r.row_number): r for r in read_all(small_city.out_dir)}
    for m in read_csv(small_city.truth_dir / "person_mentions.csv"):
        name = rows[(m["source_system"], m["source"], int(m["row_number"]))].name
        if "name_" not in m["noise"]:
            assert name == persons[m["person_id"]]["name"]
        else:
            assert name != persons[m["person_id"]]["name"]


def test_truth_persons_have_unique_valid_identity_numbers(small_city: SimulationResult) -> None:
    persons = read_csv(small_city.truth_dir / "persons.csv")
    numbers = [p["id_number"] for p in persons]
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_identity_number(n) for n in numbers)
    assert all(n[6:14] == p["birth_date"].replace("-", "") for n, p in zip(numbers, persons, strict=True))
    assert all(int(n[16]) % 2 == (1 if p["gender"] == "1" else 0) for n, p in zip(numbers, persons, strict=True))


def test_truth_records_duplicate_rows(small_city: SimulationResult) -> None:
    duplicates = [m for m in mentions(small_city) if "duplicate_row" in m["noise"]]
    assert duplicates
    assert {m["source_system"] for m in duplicates} <= {"housing", "civil_affairs"}


def test_noise_none_delivers_no_issues(tmp_path: Path) -> None:
    result = simulate(tmp_path / "clean", persons=300, seed=5, noise="none")
    assert all(m["noise"] == "" and m["unrecoverable"] == "false" for m in mentions(result))
    persons = {p["person_id"]: p["id_number"] for p in read_csv(result.truth_dir / "persons.csv")}
    rows = {(r.source_system, r.source, r.row_number): r for r in read_all(result.out_dir)}
    for m in read_csv(result.truth_dir / "person_mentions.csv"):
        assert rows[(m["source_system"], m["source"], int(m["row_number"]))].id_number == persons[m["person_id"]]
