"""Benchmark the demo-city simulator: wall time, peak memory, files and bytes written.

Each city size runs in a fresh child process (so one size's memory does not
inflate the next), writing into a temporary folder that is removed afterwards
unless ``--keep`` is given. Prints the simulator's progress lines, then one
line per size and whether it meets the targets of issue 3: 100,000 persons
over 24 months in at most 60 s, 1,000,000 in at most 10 minutes, peak
resident memory at most 6 GB, on the 2-core target machine.

Usage::

    .venv/bin/python bench/simulate.py                        # 100,000 and 1,000,000 persons
    .venv/bin/python bench/simulate.py --persons 100000 --keep --workdir /tmp/city
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
# Issue 3's targets: seconds per city size, and peak memory.
TIME_LIMITS = {100_000: 60.0, 1_000_000: 600.0}
MEMORY_LIMIT_MIB = 6 * 1024


def _persons(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"--persons takes comma-separated integers: {error}") from error
    if not sizes or min(sizes) < 50:
        raise argparse.ArgumentTypeError("--persons takes city sizes of at least 50")
    return sizes


def _run_one(persons: int, out: Path, months: int, seed: int, noise: str) -> None:
    """Child mode: simulate one city, printing progress as it goes."""
    sys.path.insert(0, str(REPOSITORY))
    from simulator.generate import simulate

    simulate(out, persons=persons, seed=seed, months=months, noise=noise, progress=lambda line: print(line, flush=True))


def _written(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _measure(persons: int, out: Path, args: argparse.Namespace) -> tuple[float, float, int]:
    """Run one size in a child process; return wall seconds, peak RSS in MiB and the exit status."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--run-one", str(persons), "--out", str(out),
        "--months", str(args.months), "--seed", str(args.seed), "--noise", args.noise,
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPOSITORY)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    # Linux reports ru_maxrss in KiB.
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def main() -> None:
    """Parse the options, run every size and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--persons", type=_persons, default=[100_000, 1_000_000],
        help="comma-separated city sizes to simulate, one child process each (default: 100000,1000000)",
    )
    parser.add_argument("--months", type=int, default=24, help="months of history to simulate (default: 24)")
    parser.add_argument("--seed", type=int, default=42, help="simulator seed (default: 42)")
    parser.add_argument(
        "--noise", choices=("none", "light", "moderate", "heavy"), default="moderate",
        help="noise level of the simulated deliveries (default: moderate)",
    )
    parser.add_argument("--workdir", type=Path, help="folder for the simulated cities (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the simulated cities instead of deleting them")
    parser.add_argument("--run-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run_one is not None:
        _run_one(args.run_one, args.out, args.months, args.seed, args.noise)
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sharehouse-bench-simulate-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for persons in args.persons:
        out = workdir / f"city-{persons}"
        print(f"== simulating {persons:,} persons over {args.months} months -> {out}", flush=True)
        elapsed, peak_mib, code = _measure(persons, out, args)
        files, size = _written(out) if out.exists() else (0, 0)
        results.append((persons, elapsed, peak_mib, files, size, code))
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if not args.keep and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"{'persons':>10} {'wall s':>8} {'peak RSS MiB':>13} {'files':>7} {'MiB written':>12}  verdict")
    failed = False
    for persons, elapsed, peak_mib, files, size, code in results:
        limit = TIME_LIMITS.get(persons)
        verdicts = []
        if code != 0:
            verdicts.append(f"FAILED (exit {code})")
        if limit is not None:
            verdicts.append(f"time {'ok' if elapsed <= limit else 'OVER'} (<= {limit:.0f} s)")
        verdicts.append(f"memory {'ok' if peak_mib <= MEMORY_LIMIT_MIB else 'OVER'} (<= {MEMORY_LIMIT_MIB} MiB)")
        failed |= code != 0 or (limit is not None and elapsed > limit) or peak_mib > MEMORY_LIMIT_MIB
        print(f"{persons:>10,} {elapsed:>8.1f} {peak_mib:>13,.0f} {files:>7,} {size / 2**20:>12,.1f}  {', '.join(verdicts)}")
    print(f"cores: {os.cpu_count()}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
