"""Civil-affairs delivery: the death registrations behind the API."""

from __future__ import annotations

import csv
import json
import re

from simulator.generate import SimulationResult


def deaths(result: SimulationResult) -> list[dict]:
    return json.loads((result.out_dir / "civil_affairs" / "deaths.json").read_text(encoding="utf-8"))


def test_deaths_records_have_the_contract_keys(moderate_city: SimulationResult) -> None:
    records = deaths(moderate_city)
    assert records
    for record in records:
        assert list(record) == ["recordNo", "idNo", "name", "deathDate", "place", "updatedAt"]
        assert re.fullmatch(r"SW\d{10}", record["recordNo"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", record["updatedAt"])
        assert record["place"]


def test_deaths_occur_at_about_the_national_rate(moderate_city: SimulationResult) -> None:
    unique = {r["recordNo"] for r in deaths(moderate_city)}
    # 2,000 residents, 0.7 % a year, 24 months: about 28.
    assert 15 <= len(unique) <= 45


def test_deaths_include_persons_never_registered_in_the_city(moderate_city: SimulationResult) -> None:
    with (moderate_city.truth_dir / "persons.csv").open(encoding="utf-8") as handle:
        residence = {p["person_id"]: p["residence"] for p in csv.DictReader(handle)}
    with (moderate_city.truth_dir / "person_mentions.csv").open(encoding="utf-8") as handle:
        dead = [residence[m["person_id"]] for m in csv.DictReader(handle) if m["source_entity"] == "deaths"]
    assert dead.count("registered") > len(dead) / 2
    assert "outside" in dead


def test_deaths_are_registered_after_they_happen_and_before_the_span_ends(moderate_city: SimulationResult) -> None:
    for record in deaths(moderate_city):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["deathDate"]):
            assert record["deathDate"] < record["updatedAt"][:10] <= "2026-10-31"
