"""Benchmark the whole pipeline on a simulated city: wall time, CPU time and peak memory.

Simulates a city (or reuses a deliveries folder), serves its civil-affairs API
on a loopback port, then runs ``sharehouse run`` on a fresh embedded DuckDB
warehouse in a child process, exactly as a data engineer would: the Dagster
job with ingest, the Great Expectations gate, entity resolution, ``dbt build``
(models and tests) and the dashboards' published marts. Prints

- wall seconds from the command's start to its exit, and the CPU seconds of
  the command and everything it started (dbt runs in a subprocess);
- peak resident memory of the whole process tree, sampled every 50 ms (the
  command and dbt run at the same time, so the sum is what the machine must
  hold), and of its largest single process;
- each Dagster step's seconds, read from the run's own record;
- a verdict against issue 5's targets.

``--runs N`` runs the pipeline N times, each on a fresh warehouse: the first
run of a checkout also parses the dbt project, later runs reuse dbt's parse
cache, as a nightly run does.

Usage::

    .venv/bin/python bench/pipeline.py --persons 100000
    .venv/bin/python bench/pipeline.py --deliveries /tmp/city1m/deliveries --runs 2
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import city  # noqa: E402
from sharehouse import settings  # noqa: E402
from simulator.server import serve_civil_affairs  # noqa: E402
from simulator.sources_file import write_sources_file  # noqa: E402

TOKEN_ENV = "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"
# Issue 5's targets on 2 cores: seconds per city size, and memory at 1M.
TARGET_SECONDS = {100_000: 30, 1_000_000: 180}
TARGET_RSS_MIB = 8 * 1024
SAMPLE_SECONDS = 0.05


class TreeMemory(threading.Thread):
    """Sample the resident memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total_mib = 0.0
        self.peak_single_mib = 0.0
        self._finished = threading.Event()

    def run(self) -> None:
        while not self._finished.is_set():
            sizes = [_rss_mib(pid) for pid in _tree(self.pid)]
            self.peak_total_mib = max(self.peak_total_mib, sum(sizes))
            self.peak_single_mib = max(self.peak_single_mib, max(sizes, default=0.0))
            self._finished.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._finished.set()
        self.join()


def _tree(root: int) -> list[int]:
    """Return ``root`` and every live descendant (from /proc's parent ids)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # The command name in field 2 may hold spaces; the parent id follows its ')'.
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_once(sources: Path, warehouse_file: Path, env: dict[str, str], log: Path) -> dict:
    """Run ``sharehouse run`` once in a child process and return its figures."""
    warehouse_file.unlink(missing_ok=True)
    command = [str(Path(sys.executable).with_name("sharehouse")), "run",
               "--sources", str(sources), "--warehouse", f"duckdb:///{warehouse_file}"]
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        memory = TreeMemory(child.pid)
        memory.start()
        _, status, usage = os.wait4(child.pid, 0)
        memory.stop()
    wall = time.perf_counter() - started
    text = log.read_text(encoding="utf-8")
    run_id = re.search(r"Dagster run ([0-9a-f-]{36})", text)
    return {
        "ok": os.waitstatus_to_exitcode(status) == 0,
        "wall": wall,
        # rusage of a waited child includes its own waited-for children (dbt).
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_tree_mib": memory.peak_total_mib,
        "peak_single_mib": max(memory.peak_single_mib, usage.ru_maxrss / 1024),
        "steps": _step_seconds(run_id.group(1)) if run_id else {},
    }


def _step_seconds(run_id: str) -> dict[str, float]:
    """Return each step's seconds from the Dagster instance the run recorded itself in."""
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        return {
            stat.step_key: stat.end_time - stat.start_time
            for stat in instance.get_run_step_stats(run_id)
            if stat.start_time is not None and stat.end_time is not None
        }


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    city.add_arguments(parser, persons=100_000, workdir="deliveries, warehouse and logs")
    parser.add_argument("--runs", type=int, default=1, help="pipeline runs, each on a fresh warehouse")
    args = parser.parse_args()

    workdir, deliveries = city.prepare(args, "sharehouse-bench-pipeline-")
    persons = args.persons

    token = secrets.token_urlsafe(16)
    # The child and _step_seconds share this Dagster instance.
    os.environ.update({"SHAREHOUSE_HOME": str(workdir / "home"), "DAGSTER_HOME": str(workdir / "home" / "dagster")})
    settings.dagster_home()  # creates it
    env = {**os.environ, TOKEN_ENV: token}
    results = []
    with serve_civil_affairs(deliveries / "civil_affairs", port=0, token=token) as server:
        sources = write_sources_file(workdir / "sources.toml", deliveries, server.base_url)
        for number in range(1, args.runs + 1):
            print(f"run {number} of {args.runs} ...", flush=True)
            result = run_once(sources, workdir / "warehouse.duckdb", env, workdir / f"run-{number}.log")
            results.append(result)
            _print_run(number, result, workdir / f"run-{number}.log")

    target = TARGET_SECONDS.get(persons)
    best = min(results, key=lambda result: result["wall"])
    peak = max(result["peak_tree_mib"] for result in results)
    print(f"cores: {os.cpu_count()}; load average now: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    if target is None:
        print(f"no target for {persons:,} persons (issue 5 sets 100,000 and 1,000,000)")
        return
    verdicts = [f"<= {target} s: {'met' if best['wall'] <= target else 'NOT met'} (best run {best['wall']:.1f} s)"]
    if persons == 1_000_000:
        verdicts.append(f"peak RSS <= {TARGET_RSS_MIB:,} MiB: {'met' if peak <= TARGET_RSS_MIB else 'NOT met'} ({peak:,.0f} MiB)")
    print(f"targets (issue 5, {persons:,} persons): " + "; ".join(verdicts))
    if not all(result["ok"] for result in results):
        sys.exit(1)


def _print_run(number: int, result: dict, log: Path) -> None:
    status = "succeeded" if result["ok"] else f"FAILED (see {log})"
    print(f"run {number} {status}: {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU, peak RSS "
          f"{result['peak_tree_mib']:,.0f} MiB for the process tree ({result['peak_single_mib']:,.0f} MiB largest process)")
    steps = sorted(result["steps"].items(), key=lambda item: -item[1])
    for step, seconds in steps:
        print(f"    {seconds:7.1f} s  {step}")
    if steps:
        accounted = sum(seconds for _, seconds in steps)
        print(f"    {result['wall'] - accounted:7.1f} s  outside the steps (start-up: imports, dbt manifest; summary)")




if __name__ == "__main__":
    main()
