"""The simulator's entry point: layout, determinism, counts."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest

from simulator.generate import SimulationResult, simulate

REPOSITORY = Path(__file__).resolve().parents[2]


def tree_digest(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under `root` but the sources file."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "sources.toml"
    }


def test_simulate_writes_the_contract_layout(tiny_city: SimulationResult) -> None:
    files = sorted(p.relative_to(tiny_city.out_dir).as_posix() for p in tiny_city.out_dir.rglob("*") if p.is_file())
    assert files == [
        "civil_affairs/deaths.json",
        "housing/房屋基础信息_全量_20261001.csv",
        "justice/司法名册_202608.xlsx",
        "justice/司法名册_202609.xlsx",
        "justice/司法名册_202610.xlsx",
        "police/police.sqlite",
        "sources.toml",
        "truth/divisions.csv",
        "truth/manifest.csv",
        "truth/organization_mentions.csv",
        "truth/organizations.csv",
        "truth/person_mentions.csv",
        "truth/persons.csv",
        "truth/units.csv",
    ]
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
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPOSITORY, env=environment, timeout=60)
    assert tree_digest(out) == tree_digest(tiny_city.out_dir)


def test_simulate_different_seed_writes_different_deliveries(tiny_city: SimulationResult, tmp_path: Path) -> None:
    other = tree_digest(simulate(tmp_path / "other", persons=300, seed=8).out_dir)
    mine = tree_digest(tiny_city.out_dir)
    for name in ("police/police.sqlite", "civil_affairs/deaths.json", "housing/房屋基础信息_全量_20261001.csv"):
        assert other[name] != mine[name], name


def test_simulate_names_the_snapshot_after_the_first_of_the_last_month(tmp_path: Path) -> None:
    result = simulate(tmp_path / "out", persons=300, seed=1, months=6, end_date=date(2025, 3, 15))
    assert [p.name for p in (result.out_dir / "housing").iterdir()] == ["房屋基础信息_全量_20250301.csv"]
    assert sorted(p.name for p in (result.out_dir / "justice").iterdir()) == [
        "司法名册_202501.xlsx",
        "司法名册_202502.xlsx",
        "司法名册_202503.xlsx",
    ]


def test_simulate_short_span_delivers_one_roster_per_month_of_the_span(tmp_path: Path) -> None:
    result = simulate(tmp_path / "out", persons=300, seed=1, months=2)
    assert sorted(p.name for p in (result.out_dir / "justice").iterdir()) == [
        "司法名册_202609.xlsx",
        "司法名册_202610.xlsx",
    ]


def test_simulate_removes_deliveries_of_an_earlier_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    simulate(out, persons=300, seed=1, end_date=date(2026, 9, 30))
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    simulate(out, persons=300, seed=1, end_date=date(2026, 10, 31))
    assert [p.name for p in (out / "housing").iterdir()] == ["房屋基础信息_全量_20261001.csv"]
    assert "司法名册_202607.xlsx" not in [p.name for p in (out / "justice").iterdir()]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_simulate_reports_rows_delivered_per_entity(tiny_city: SimulationResult) -> None:
    assert set(tiny_city.delivered) == {
        ("police", "household_residents"),
        ("civil_affairs", "deaths"),
        ("housing", "house_units"),
        ("justice", "community_corrections"),
    }
    assert all(rows > 0 for rows in tiny_city.delivered.values())


def test_simulate_reports_progress(tmp_path: Path) -> None:
    lines: list[str] = []
    simulate(tmp_path / "out", persons=300, seed=2, progress=lines.append)
    assert any(line.startswith("city ") for line in lines)
    assert any("police.household_residents" in line for line in lines)


def test_simulate_sources_file_points_at_the_deliveries(tiny_city: SimulationResult) -> None:
    sources = tomllib.loads(tiny_city.sources_file.read_text(encoding="utf-8"))
    root = tiny_city.out_dir.resolve()
    assert sources == {
        "police": {"database_url": f"sqlite:///{root}/police/police.sqlite"},
        "civil_affairs": {"base_url": "http://127.0.0.1:8765", "token_env": "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"},
        "housing": {"folder": f"{root}/housing"},
        "justice": {"folder": f"{root}/justice"},
    }


def test_simulate_rejects_an_unknown_noise_level(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="noise"):
        simulate(tmp_path / "out", persons=300, noise="extreme")
