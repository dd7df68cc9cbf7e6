"""Time the quality gate on a synthetic household-register batch.

Not collected by pytest (the name does not start with ``test_``): run it by
hand when the gate or GX changes, e.g.

    .venv/bin/python tests/quality/bench_gate.py 100000 1000000

Rows are generated with roughly 3% breaking a critical expectation and 2%
breaking a warning expectation, the order of magnitude the simulator injects.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np
import polars as pl

from quality.gate import run_gate

ISSUES = ["missing", "bad_length", "bad_characters", "bad_birth_date", "bad_check_character"]


def household_residents_batch(rows: int, *, seed: int = 7) -> pl.DataFrame:
    """Build a cleaned household-register batch of ``rows`` rows with some bad rows."""
    rng = np.random.default_rng(seed)
    row = np.arange(1, rows + 1)
    bad_id = rng.random(rows) < 0.02
    bad_division = rng.random(rows) < 0.005
    no_record = rng.random(rows) < 0.005
    odd_gender = rng.random(rows) < 0.01
    no_birth = rng.random(rows) < 0.01
    births = (np.datetime64("1930-01-01") + rng.integers(0, 90 * 365, rows)).astype("datetime64[D]")
    frame = pl.DataFrame(
        {
            "_batch_id": "police-hjrk-20261101",
            "_extracted_at": dt.datetime(2026, 11, 1, 2, 0),
            "_source": "HJRK",
            "_source_row": row,
            "_row_hash": pl.Series(row).cast(pl.String),
            "record_id": pl.Series(row).cast(pl.String),
            "id_number": pl.Series(row).cast(pl.String).str.pad_start(18, "1"),
            "id_number_issue": pl.Series(rng.choice(ISSUES, rows)),
            "name": "张三",
            "gender_code": np.where(odd_gender, "男", rng.choice(["1", "2"], rows)),
            "birth_date": births,
            "household_number": pl.Series(row // 3).cast(pl.String),
            "relation_code": "02",
            "division_code": np.where(bad_division, "1101010010", "110101001001"),
            "registered_date": births,
            "updated_at": dt.datetime(2026, 10, 31, 12, 0),
        }
    )
    return frame.with_columns(
        pl.when(pl.Series(bad_id)).then(pl.col("id_number_issue")).alias("id_number_issue"),
        pl.when(pl.Series(no_record)).then(None).otherwise(pl.col("record_id")).alias("record_id"),
        pl.when(pl.Series(no_birth)).then(None).otherwise(pl.col("birth_date")).alias("birth_date"),
        pl.col("registered_date").cast(pl.Date),
    ).with_columns(pl.col("birth_date").cast(pl.Date))


def main(sizes: list[int]) -> None:
    """Print the gate's total and per-step time for each batch size."""
    run_gate(household_residents_batch(100), "household_residents")  # context warm-up
    for rows in sizes:
        frame = household_residents_batch(rows)
        started = time.perf_counter()
        result = run_gate(frame, "household_residents")
        total = time.perf_counter() - started
        steps = ", ".join(f"{step} {seconds:.2f}s" for step, seconds in result.timings.items())
        print(
            f"{rows:>9,} rows: {total:.2f}s total; passed {result.passed.height:,}, "
            f"quarantined {result.quarantined.height:,}, "
            f"warning flags {result.warning_flags.height:,}; {steps}"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000])
