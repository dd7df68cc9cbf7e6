"""Benchmark ingest and the quality gate on a simulated city.

Simulates a city (or reuses a deliveries folder), serves its civil-affairs API
on a loopback port, then loads every department's deliveries into a fresh
DuckDB warehouse through raw, the Great Expectations gate, quarantine and
clean, exactly as the Dagster ingest assets do (without Dagster or dbt, so the
figure is ingest and gating alone). Prints wall time per dataset and per load
stage, the share of time spent in Great Expectations, rows per second, the
CPU time of this process (user + system, less sensitive than wall time to
other work on the machine) and peak memory.

Usage::

    .venv/bin/python bench/ingest.py --persons 1000000
    .venv/bin/python bench/ingest.py --deliveries /tmp/city-1m   # reuse a simulated city
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import city  # noqa: E402
from ingest import sources as sources_file  # noqa: E402
from ingest.common import warehouse  # noqa: E402
from ingest.registry import DEPARTMENTS, load_dataset  # noqa: E402
from sharehouse import settings  # noqa: E402
from simulator.server import serve_civil_affairs  # noqa: E402
from simulator.sources_file import write_sources_file  # noqa: E402

TOKEN_ENV = "SHAREHOUSE_CIVIL_AFFAIRS_TOKEN"
# Issue 4's targets for a 1,000,000-person city on 2 cores.
TARGET_SECONDS = 90
TARGET_GX_SHARE = 0.30
GX_STEPS = ("to_pandas", "validate_critical", "split", "recheck_critical", "validate_warning", "flags", "load_suites")


# Load stages in the order _load_rows runs them (ingest/common/batches.py),
# each printed as wall/CPU seconds; "extract+other" is the rest of a
# dataset's time: reading the delivery, opening and checkpointing the
# warehouse, the ledger.
STAGES = (
    "raw", "write_raw", "dedupe", "clean", "gate", "quarantine", "keys",
    "person_mentions", "unit_mentions", "org_mentions", "write_clean",
)


def _cpu_seconds() -> tuple[float, float]:
    """Return this process's user and system CPU seconds so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _peak_rss_mib() -> float:
    """Return this process's peak resident memory in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    city.add_arguments(parser, persons=1_000_000, workdir="deliveries and the warehouse")
    args = parser.parse_args()

    workdir, deliveries = city.prepare(args, "sharehouse-bench-ingest-")

    warehouse_file = workdir / "bench.duckdb"
    warehouse_file.unlink(missing_ok=True)
    target = settings.Warehouse(f"duckdb:///{warehouse_file}")
    token = secrets.token_urlsafe(16)
    os.environ[TOKEN_ENV] = token
    secret = settings.person_key_secret()

    rows_total = 0
    gx_total = 0.0
    lines = []
    with serve_civil_affairs(deliveries / "civil_affairs", port=0, token=token) as server:
        sources = sources_file.load(write_sources_file(workdir / "sources.toml", deliveries, server.base_url))
        started_all = time.perf_counter()
        cpu_before = _cpu_seconds()
        for department in DEPARTMENTS:
            for dataset in department.datasets:
                started, started_cpu = time.perf_counter(), sum(_cpu_seconds())
                outcomes = load_dataset(
                    sources, target, department, dataset, secret=secret,
                    extracted_at=datetime.now(timezone.utc).replace(tzinfo=None),
                ) or []
                elapsed, cpu = time.perf_counter() - started, sum(_cpu_seconds()) - started_cpu
                delivered = sum(outcome.rows_delivered for outcome in outcomes)
                # Batches loaded together share one gate run: count each run once.
                gates = {id(outcome.gate): outcome.gate for outcome in outcomes if outcome.gate is not None}
                gx = sum(
                    seconds for gate in gates.values() for step, seconds in gate.timings.items() if step in GX_STEPS
                )
                rows_total += delivered
                gx_total += gx
                lines.append(f"  {dataset.source_system}.{dataset.source_entity:<24} {delivered:>10,} rows "
                             f"{elapsed:7.1f}s  CPU {cpu:6.1f}s  (Great Expectations {gx:5.1f}s)  {len(outcomes)} batch(es)")
                timings = {id(outcome.timings): outcome.timings for outcome in outcomes if outcome.timings}
                stages = {
                    stage: (sum(t.get(stage, 0.0) for t in timings.values()),
                            sum(t.get(f"{stage}.cpu", 0.0) for t in timings.values()))
                    for stage in STAGES
                }
                stages["extract+other"] = (
                    elapsed - sum(wall for wall, _ in stages.values()), cpu - sum(used for _, used in stages.values())
                )
                lines.append("      wall/CPU s: " + "  ".join(
                    f"{stage} {wall:.1f}/{used:.1f}" for stage, (wall, used) in stages.items()
                ))
        wall = time.perf_counter() - started_all
        cpu_after = _cpu_seconds()

    print("\n".join(lines))
    print(f"ingest + gate: {rows_total:,} delivered rows in {wall:.1f}s ({rows_total / wall:,.0f} rows/s)")
    print(f"Great Expectations: {gx_total:.1f}s = {100 * gx_total / wall:.0f}% of the ingest time")
    user, system = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
    print(f"CPU time of the bench process: user {user:.1f}s + system {system:.1f}s = {user + system:.1f}s "
          f"(load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])})")
    print(f"peak RSS: {_peak_rss_mib():,.0f} MiB")
    print(
        f"targets (issue 4): ingest + gate <= {TARGET_SECONDS} s: {'met' if wall <= TARGET_SECONDS else 'NOT met'}; "
        f"Great Expectations <= {TARGET_GX_SHARE:.0%}: {'met' if gx_total <= TARGET_GX_SHARE * wall else 'NOT met'}"
    )
    print(f"warehouse: {warehouse_file} ({warehouse_file.stat().st_size / 2**20:,.0f} MiB)")
    print(_reconciliation(target, deliveries / "truth" / "manifest.csv"))


def _reconciliation(target: settings.Warehouse, manifest: Path) -> str:
    """Compare the ledger with the simulator's manifest and say what does not match.

    File batches (housing, justice) are matched by name. Table and API
    extractions are named by their watermark window (``HJRK:start..<time>``),
    not the manifest's table or endpoint, so those are matched per entity.
    """
    keys = ["source_system", "source_entity"]
    expected = pl.read_csv(manifest, infer_schema_length=0).select(
        *keys, pl.col("batch").alias("batch_id"), pl.col("rows_delivered").cast(pl.Int64).alias("manifest_delivered"),
    )
    with warehouse.connect(target) as connection:
        ledger = connection.query(
            "select source_system, source_entity, batch_id, status, rows_delivered, rows_loaded, "
            "rows_quarantined, rows_duplicate from ops.batch_log"
        )
    by_batch = expected.join(ledger, on=[*keys, "batch_id"], how="inner")
    rest_expected = expected.join(ledger, on=[*keys, "batch_id"], how="anti")
    rest_ledger = ledger.join(expected, on=[*keys, "batch_id"], how="anti")
    by_entity = (
        rest_expected.group_by(keys).agg(pl.col("manifest_delivered").sum(), pl.len().alias("manifest_batches"))
        .join(rest_ledger.group_by(keys).agg(pl.col("rows_delivered").sum()), on=keys, how="full", coalesce=True)
    )
    differs = by_batch.filter(pl.col("rows_delivered") != pl.col("manifest_delivered")).height + by_entity.filter(
        pl.col("rows_delivered").is_null() | pl.col("manifest_delivered").is_null()
        | (pl.col("rows_delivered") != pl.col("manifest_delivered"))
    ).height
    unbalanced = ledger.filter(
        pl.col("rows_loaded") + pl.col("rows_quarantined") + pl.col("rows_duplicate") != pl.col("rows_delivered")
    ).height
    refused = ledger.filter(pl.col("status") == "refused").height
    verdict = "every delivered row accounted for" if differs == unbalanced == 0 else "NOT accounted for"
    return (
        f"reconciliation against {manifest}: {expected.height:,} batches delivered, {ledger.height:,} ledger rows "
        f"({refused} refused with a reason); {by_batch.height:,} file batches matched by name, "
        f"{by_entity.height} table/API entities matched by total; counts that differ {differs}, "
        f"loaded + quarantined + duplicates != delivered {unbalanced}: {verdict}"
    )


if __name__ == "__main__":
    main()
