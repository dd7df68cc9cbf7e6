"""The simulator's entry point: layout, determinism, options, counts."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from simulator.generate import SimulationResult, simulate

REPOSITORY = Path(__file__).resolve().parents[2]
ENTITIES = {
    ("police", "household_residents"),
    ("police", "floating_residents"),
    ("police", "incidents"),
    ("civil_affairs", "marriages"),
    ("civil_affairs", "deaths"),
    ("civil_affairs", "subsistence_cases"),
    ("civil_affairs", "organizations"),
    ("housing", "house_units"),
    ("housing", "rental_registrations"),
    ("justice", "community_corrections"),
    ("justice", "mediation_cases"),
    ("justice", "resettlement_cases"),
}
HOUSING_FILE = re.compile(r"^(房屋基础信息_(全量|增量)|租赁备案_增量)_\d{8}\.csv$")
JUSTICE_FILE = re.compile(r"^.*_\d{6}\.xlsx$")


def tree_digest(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under `root` but the sources file."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "sources.toml"
    }


def test_simulate_writes_the_contract_layout(tiny_city: SimulationResult) -> None:
    files = {p.relative_to(tiny_city.out_dir).as_posix() for p in tiny_city.out_dir.rglob("*") if p.is_file()}
    assert {
        "police/police.sqlite",
        "civil_affairs/marriages.json",
        "civil_affairs/deaths.json",
        "civil_affairs/subsistence.json",
        "civil_affairs/organizations.json",
        "housing/房屋基础信息_全量_20241101.csv",
        "housing/房屋基础信息_全量_20261001.csv",
        "justice/司法名册_202411.xlsx",
        "justice/司法名册_202610.xlsx",
        "sources.toml",
        *(
            f"truth/{name}.csv"
            for name in (
                "manifest", "person_mentions", "unit_mentions", "organization_mentions", "noise", "persons",
                "units", "organizations", "divisions",
            )
        ),
    } <= files
    housing_files = [f.split("/", 1)[1] for f in files if f.startswith("housing/")]
    assert all(HOUSING_FILE.match(name) for name in housing_files)
    assert any("租赁备案_增量_" in name for name in housing_files)
    assert all(JUSTICE_FILE.match(f.split("/", 1)[1]) for f in files if f.startswith("justice/"))
    assert len([f for f in files if f.startswith("justice/司法名册_")]) == 24
    assert tiny_city.sources_file == tiny_city.out_dir / "sources.toml"
    assert tiny_city.truth_dir == tiny_city.out_dir / "truth"


def test_simulate_same_seed_writes_same_bytes(tiny_city: SimulationResult, tmp_path: Path) -> None:
    again = simulate(tmp_path / "again", persons=300, seed=7)
    assert tree_digest(again.out_dir) == tree_digest(tiny_city.out_dir)
    assert again.delivered == tiny_city.delivered


def test_simulate_same_seed_writes_same_bytes_in_another_process(tiny_city: SimulationResult, tmp_path: Path) -> None:
    # Another interpreter with another string-hash seed: catches any output
    # that depends on set or dict-of-hash ordering.
    out = tmp_path / "other-process"
    code = (
        "from pathlib import Path; from simulator.generate import simulate; "
        f"simulate(Path({str(out)!r}), persons=300, seed=7)"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPOSITORY, env=environment, timeout=120)
    assert tree_digest(out) == tree_digest(tiny_city.out_dir)


def test_simulate_different_seed_writes_different_deliveries(tiny_city: SimulationResult, tmp_path: Path) -> None:
    other = tree_digest(simulate(tmp_path / "other", persons=300, seed=8).out_dir)
    mine = tree_digest(tiny_city.out_dir)
    for name in (
        "police/police.sqlite", "civil_affairs/deaths.json", "civil_affairs/marriages.json",
        "housing/房屋基础信息_全量_20261001.csv", "justice/司法名册_202610.xlsx",
    ):
        assert other[name] != mine[name], name


def test_simulate_names_the_snapshots_after_the_first_of_the_first_and_last_month(tmp_path: Path) -> None:
    result = simulate(tmp_path / "out", persons=300, seed=1, months=6, end_date=date(2025, 3, 15))
    housing = sorted(p.name for p in (result.out_dir / "housing").iterdir())
    assert [n for n in housing if "全量" in n] == ["房屋基础信息_全量_20241001.csv", "房屋基础信息_全量_20250301.csv"]
    assert all("20241001" <= n[-12:-4] <= "20250315" for n in housing)
    justice = sorted(p.name for p in (result.out_dir / "justice").iterdir() if p.name.startswith("司法名册_"))
    assert justice == [f"司法名册_{m}.xlsx" for m in ("202410", "202411", "202412", "202501", "202502", "202503")]


def test_simulate_monthly_snapshots_and_fewer_justice_months_on_request(tmp_path: Path) -> None:
    result = simulate(
        tmp_path / "out", persons=300, seed=1, months=4, housing_full_snapshots="monthly", justice_months=2,
    )
    housing = sorted(p.name for p in (result.out_dir / "housing").iterdir() if "全量" in p.name)
    assert housing == [f"房屋基础信息_全量_2026{m}01.csv" for m in ("07", "08", "09", "10")]
    justice = sorted(p.name for p in (result.out_dir / "justice").iterdir() if p.name.startswith("司法名册_"))
    assert justice == ["司法名册_202609.xlsx", "司法名册_202610.xlsx"]


def test_simulate_removes_deliveries_of_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    simulate(out, persons=300, seed=1, months=3, end_date=date(2026, 9, 30))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    simulate(out, persons=300, seed=1, months=3, end_date=date(2026, 10, 31))
    assert "房屋基础信息_全量_20260701.csv" not in [p.name for p in (out / "housing").iterdir()]
    assert "司法名册_202607.xlsx" not in [p.name for p in (out / "justice").iterdir()]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_simulate_reports_rows_delivered_for_every_source_entity(tiny_city: SimulationResult) -> None:
    assert set(tiny_city.delivered) == ENTITIES
    assert all(rows > 0 for rows in tiny_city.delivered.values())


def test_simulate_reports_progress_with_counts_and_elapsed_time(tmp_path: Path) -> None:
    lines: list[str] = []
    simulate(tmp_path / "out", persons=300, seed=2, months=3, progress=lines.append)
    assert all(re.match(r"^\[\s*\d+\.\d+s\] ", line) for line in lines)
    text = "\n".join(lines)
    for stage in ("city ", "housing:", "people:", "events:", "registers:", "delivered police:", "delivered housing:"):
        assert stage in text, stage
    assert re.search(r"household_residents [\d,]+ rows", text)


def test_simulate_sources_file_points_at_the_deliveries(tiny_city: SimulationResult) -> None:
    sources = tomllib.loads(tiny_city.sources_file.read_text(encoding="utf-8"))
    root = tiny_city.out_dir.resolve()
    assert sources == {
        "police": {"database_url": f"sqlite:///{root}/police/police.sqlite"},
        "civil_affairs": {"base_url": "http://127.0.0.1:8765", "token_env": "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"},
        "housing": {"folder": f"{root}/housing"},
        "justice": {"folder": f"{root}/justice"},
        "reference": {"folder": f"{root}/reference"},
    }


def test_simulate_rejects_an_unknown_noise_level(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="noise"):
        simulate(tmp_path / "out", persons=300, noise="extreme")


def test_simulate_rejects_an_unknown_snapshot_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="housing_full_snapshots"):
        simulate(tmp_path / "out", persons=300, housing_full_snapshots="weekly")


def test_simulate_noise_rates_replace_single_rates(tmp_path: Path) -> None:
    result = simulate(
        tmp_path / "out", persons=300, seed=4, months=6,
        noise_rates={"broken_truncated": 0.0, "broken_wrong_encoding": 0.0, "broken_empty": 0.0, "extra_sheet": 0.0},
    )
    with (result.truth_dir / "manifest.csv").open(encoding="utf-8") as handle:
        assert {row["broken"] for row in csv.DictReader(handle)} == {""}
    with pytest.raises(TypeError):
        simulate(tmp_path / "bad", persons=300, noise_rates={"no_such_issue": 0.1})


def test_simulate_writes_the_city_reference_next_to_the_deliveries(tiny_city: SimulationResult) -> None:
    import csv

    folder = tiny_city.out_dir / "reference"
    with (folder / "divisions.csv").open(encoding="utf-8") as handle:
        divisions = list(csv.DictReader(handle))
    with (folder / "grid_register.csv").open(encoding="utf-8") as handle:
        buildings = list(csv.DictReader(handle))
    with (tiny_city.truth_dir / "units.csv").open(encoding="utf-8") as handle:
        units = list(csv.DictReader(handle))
    grids = {row["code"] for row in divisions if row["level"] == "grid"}
    assert {row["grid_code"] for row in buildings} <= grids
    # Every unit's grid (truth) is the one the register gives its building.
    grid_of = {(row["community_code"], row["estate"], row["building"]): row["grid_code"] for row in buildings}
    assert len(grid_of) == len(buildings), "a building belongs to one grid"
    address_grid = {row["unit_code"]: row["grid_code"] for row in units}
    assert set(address_grid.values()) <= set(grid_of.values())
