"""Entry point: simulate the demo city and write its deliveries and truth.

Layout under ``out_dir``::

    police/police.sqlite                       table HJRK
    civil_affairs/deaths.json                  served by simulator.server
    housing/房屋基础信息_全量_YYYYMMDD.csv        GBK
    justice/司法名册_YYYYMM.xlsx                 sheet 社区矫正, last months
    sources.toml                               where the pipeline looks
    truth/                                     never read by the pipeline
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from simulator.config import DEFAULT_CIVIL_AFFAIRS_BASE_URL, SimulationConfig
from simulator.deliveries import civil_affairs, housing, justice, police
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
) -> SimulationResult:
    """Simulate the demo city and write every delivery, the sources file and the truth.

    The same arguments give byte-identical files. Delivery and truth files
    of an earlier run in `out_dir` are removed first, so none lingers (e.g. a
    snapshot with another date); other files are left alone.

    Args:
        out_dir: Folder to write into (created if missing).
        persons: Residents of the city.
        seed: Seed of every random draw.
        months: Length of the simulated span in months.
        end_date: Last day of the span.
        noise: ``none``, ``light``, ``moderate`` or ``heavy``.
        civil_affairs_base_url: API address written to the sources file.
        progress: Receives one human-readable line per step.

    Returns:
        Where things were written and how many rows each entity delivered.
    """
    return simulate_config(
        Path(out_dir),
        SimulationConfig(
            persons=persons,
            seed=seed,
            months=months,
            end_date=end_date,
            noise=noise,
            civil_affairs_base_url=civil_affairs_base_url,
        ),
        progress,
    )


def simulate_config(
    out_dir: Path, config: SimulationConfig, progress: Callable[[str], None] | None = None
) -> SimulationResult:
    """Run `simulate` with a full configuration (every option and noise rate)."""
    report = progress or (lambda _: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous_run(out_dir)

    world = build_world(config, report)
    truth = Truth()
    for deliver in _DELIVERIES:
        deliver(world, out_dir, truth)
    for (system, entity), rows in truth.delivered().items():
        report(f"delivered {system}.{entity}: {rows} rows")
    truth_dir = out_dir / TRUTH_FOLDER
    truth.write(truth_dir, world)
    sources_file = write_sources_file(out_dir / SOURCES_FILE, out_dir, config.civil_affairs_base_url)
    report(f"wrote {sources_file} and {truth_dir}")
    return SimulationResult(
        out_dir=out_dir, sources_file=sources_file, truth_dir=truth_dir, delivered=truth.delivered()
    )


def _remove_previous_run(out_dir: Path) -> None:
    for folder, patterns in _OWN_FILES.items():
        for pattern in patterns:
            for path in sorted((out_dir / folder).glob(pattern)):
                path.unlink()
