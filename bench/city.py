"""The simulated city a benchmark runs on: simulated now, or a deliveries folder simulated before."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from simulator.generate import simulate


def add_arguments(parser: argparse.ArgumentParser, *, persons: int, workdir: str) -> None:
    """Add ``--persons``, ``--seed``, ``--deliveries`` and ``--workdir`` (``workdir`` says what goes there)."""
    parser.add_argument("--persons", type=int, default=persons,
                        help="city size to simulate; with --deliveries, the size that folder was simulated at")
    parser.add_argument("--seed", type=int, default=42, help="simulator seed")
    parser.add_argument("--deliveries", type=Path, help="reuse this simulated deliveries folder instead of simulating")
    parser.add_argument("--workdir", type=Path, help=f"where to put {workdir} (default: a temp dir)")


def prepare(args: argparse.Namespace, prefix: str) -> tuple[Path, Path]:
    """Return the work folder and the deliveries folder, simulating the city if none was given."""
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix=prefix))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if args.deliveries is not None:
        return workdir, args.deliveries.resolve()
    deliveries = workdir / "deliveries"
    started = time.perf_counter()
    simulate(deliveries, persons=args.persons, seed=args.seed)
    print(f"simulated {args.persons:,} persons in {time.perf_counter() - started:.1f}s -> {deliveries}")
    return workdir, deliveries
