"""Entry point: simulate the demo city and write its deliveries and truth.

Layout under ``out_dir``::

    police/police.sqlite                       tables HJRK, LDRK, JQ
    civil_affairs/<endpoint>.json              marriages, deaths, subsistence, organizations
    housing/房屋基础信息_全量_YYYYMMDD.csv        full snapshots (GBK)
    housing/房屋基础信息_增量_YYYYMMDD.csv        daily increments
    housing/租赁备案_增量_YYYYMMDD.csv            daily rental registrations
    justice/司法名册_YYYYMM.xlsx                 sheets 社区矫正, 人民调解, 安置帮教
    reference/divisions.csv, grid_register.csv the city's divisions and grid register
    sources.toml                               where the pipeline looks
    truth/                                     never read by the pipeline
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from simulator.config import DEFAULT_CIVIL_AFFAIRS_BASE_URL, SNAPSHOTS_FIRST_AND_LAST, SimulationConfig
from simulator.deliveries import civil_affairs, housing, justice, police
from simulator.reference import REFERENCE_FOLDER, write_reference
from simulator.sources_file import write_sources_file
from simulator.truth import Truth
from simulator.world import build_world

TRUTH_FOLDER = "truth"
# Files an earlier run may have left, by folder.
_OWN_FILES = {
    "police": ("police.sqlite", "police.sqlite-journal"),
    "civil_affairs": ("*.json",),
    "housing": ("*.csv",),
    "justice": ("*.xlsx",),
    TRUTH_FOLDER: ("*.csv",),
    REFERENCE_FOLDER: ("*.csv",),
}
SOURCES_FILE = "sources.toml"
# Every department module in delivery order; a new department adds one line.
_DELIVERIES = (police.deliver, civil_affairs.deliver, housing.deliver, justice.deliver)


@dataclass(frozen=True)
class SimulationResult:
    """What a simulation wrote.

    Attributes:
        out_dir: The folder holding everything.
        sources_file: The ``sources.toml`` for the pipeline.
        truth_dir: The ground-truth folder.
        delivered: Rows delivered per (source system, source entity).
    """

    out_dir: Path
    sources_file: Path
    truth_dir: Path
    delivered: dict[tuple[str, str], int]


def simulate(
    out_dir: Path,
    persons: int = 10_000,
    seed: int = 42,
    months: int = 24,
    end_date: date = date(2026, 10, 31),
    noise: str = "moderate",
    civil_affairs_base_url: str = DEFAULT_CIVIL_AFFAIRS_BASE_URL,
    progress: Callable[[str], None] | None = None,
    *,
    police_database_url: str | None = None,
    housing_full_snapshots: str = SNAPSHOTS_FIRST_AND_LAST,
    justice_months: int | None = None,
    noise_rates: Mapping[str, float] | None = None,
) -> SimulationResult:
    """Simulate the demo city and write every delivery, the sources file and the truth.

    The same arguments give byte-identical files. Delivery and truth files
    of an earlier run in `out_dir` are removed first, so none lingers (e.g. a
    snapshot with another date); other files are left alone.

    Args:
        out_dir: Folder to write into (created if missing).
        persons: Residents of the city (household-registered and floating).
        seed: Seed of every random draw.
        months: Length of the simulated span in months (24 gives
            year-on-year comparisons).
        end_date: Last day of the span.
        noise: How many of the contract's data issues to inject: ``none``,
            ``light`` (0.3x), ``moderate`` (default: a few percent of
            records, every issue kind at least once) or ``heavy`` (3x).
        civil_affairs_base_url: API address written to the sources file.
        progress: Receives one human-readable line per stage, with counts
            and the elapsed time.
        police_database_url: Also load the police tables into this
            PostgreSQL database (``postgresql://user@host:port/db``, which
            must exist; its tables ``HJRK``, ``LDRK``, ``JQ`` are replaced)
            and point the sources file at it instead of the SQLite file.
        housing_full_snapshots: ``first_and_last`` (default: full snapshots
            on the first of the span's first and last month, daily
            increments in between) or ``monthly`` (one on the first of every
            month, as the contract describes; 24x the housing volume).
        justice_months: Deliver only the last N monthly justice workbooks;
            default every month of the span.
        noise_rates: Rates of individual issues (`NoiseRates` field names,
            e.g. ``{"broken_empty": 0.0, "duplicate_row": 0.05}``) replacing
            those of the `noise` level.

    Returns:
        Where things were written and how many rows each entity delivered.
    """
    level = SimulationConfig(persons=persons, noise=noise).noise_rates
    override = level.replace(**dict(noise_rates)) if noise_rates else None
    return simulate_config(
        Path(out_dir),
        SimulationConfig(
            persons=persons,
            seed=seed,
            months=months,
            end_date=end_date,
            noise=noise,
            civil_affairs_base_url=civil_affairs_base_url,
            housing_full_snapshots=housing_full_snapshots,
            justice_months=justice_months,
            noise_rates_override=override,
        ),
        progress,
        police_database_url=police_database_url,
    )


def simulate_config(
    out_dir: Path,
    config: SimulationConfig,
    progress: Callable[[str], None] | None = None,
    police_database_url: str | None = None,
) -> SimulationResult:
    """Run `simulate` with a full configuration (every option and noise rate)."""
    started = time.perf_counter()
    sink = progress or (lambda _: None)

    def report(line: str) -> None:
        sink(f"[{time.perf_counter() - started:7.1f}s] {line}")

    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous_run(out_dir)

    world = build_world(config, report)
    truth_dir = out_dir / TRUTH_FOLDER
    truth = Truth(truth_dir)
    for deliver in _DELIVERIES:
        before = len(truth.batches)
        deliver(world, out_dir, truth)
        system = deliver.__module__.rsplit(".", 1)[1]
        totals: dict[str, int] = {}
        for line in truth.batches[before:]:
            totals[line.source_entity] = totals.get(line.source_entity, 0) + line.rows_delivered
        files = len({line.batch.split("#")[0] for line in truth.batches[before:]})
        described = ", ".join(f"{entity} {rows:,} rows" for entity, rows in totals.items())
        report(f"delivered {system}: {described} in {files} batch file(s)")
    truth.close(world)
    report(f"wrote {truth_dir}")
    report(f"wrote {write_reference(out_dir, world)}")
    if police_database_url is not None:
        police.load_police_into_postgres(out_dir / "police" / police.DATABASE_FILE, police_database_url)
        report("loaded the police tables into PostgreSQL")
    sources_file = write_sources_file(
        out_dir / SOURCES_FILE, out_dir, config.civil_affairs_base_url, police_database_url=police_database_url
    )
    report(f"wrote {sources_file}")
    return SimulationResult(
        out_dir=out_dir, sources_file=sources_file, truth_dir=truth_dir, delivered=truth.delivered()
    )


def _remove_previous_run(out_dir: Path) -> None:
    for folder, patterns in _OWN_FILES.items():
        for pattern in patterns:
            for path in sorted((out_dir / folder).glob(pattern)):
                path.unlink()
