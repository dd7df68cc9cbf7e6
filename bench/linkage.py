"""Benchmark person linkage: sharehouse's resolver against plain Splink on the same mentions.

Takes a warehouse that ``bench/ingest.py`` loaded from a simulated city (or
simulates and loads one), then on the same ``identity.person_mentions``:

- **sharehouse**: ``resolution.persons.resolve_persons`` end to end (read,
  deterministic keys kept, probabilistic linkage of the rest, surrogate
  keys, write-back), on a copy of the warehouse;
- **plain Splink** (DuckDB backend) with the settings its documentation
  recommends for deduplicating people: comparisons from its own library
  (``NameComparison`` with term-frequency adjustment, ``DateOfBirthComparison``,
  Damerau-Levenshtein on the identity number, exact phone, gender and
  address), blocking rules from ``block_on``, the match probability of two
  random records from deterministic rules, u by random sampling, m by EM,
  prediction and clustering at 0.95. No deterministic first pass: the
  identity number is just one more compared column.

Both see the same columns (the birth date and gender a number holds are
derived for Splink too). Prints wall time, pairwise precision, recall and F1
against ``truth/person_mentions.csv`` and the speed-up.

What is timed, and what is not:

- sharehouse: everything ``resolve_persons`` does, from the mentions in the
  warehouse to the keys written back (reading, name keys, candidate
  selection, addresses, linkage, surrogates, history, write-back). Not the
  copy of the warehouse file.
- Splink: from registering its input table to the cluster of every mention
  in memory (training, prediction, clustering). Not the preparation of its
  input (reading the mentions and deriving the columns it compares, with
  sharehouse's code, printed apart) and no write-back. Counting only this
  favours Splink; the preparation is printed so both readings can be made.

Each side's CPU seconds (all threads of this process) and the load average
are printed too: on a shared machine the wall times move with the load.

Usage::

    .venv/bin/python bench/linkage.py --warehouse /tmp/city/bench.duckdb --truth /tmp/city/deliveries/truth
    .venv/bin/python bench/linkage.py --persons 100000 --seed 7      # simulate and ingest first
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from ingest.common.warehouse import WarehouseConnection  # noqa: E402
from resolution.pairwise import pairwise_scores, truth_mentions, warehouse_mention_keys  # noqa: E402
from resolution.persons import read_mentions, resolve_persons  # noqa: E402
from resolution.persons_features import mention_features  # noqa: E402
from sharehouse import settings  # noqa: E402

# Issue 5: ours at least 3x faster at an F1 no lower.
TARGET_SPEEDUP = 3.0
SPLINK_THRESHOLD = 0.95


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _ours(warehouse_file: Path, workdir: Path) -> tuple[float, float, pl.DataFrame]:
    copy = workdir / "ours.duckdb"
    shutil.copy(warehouse_file, copy)
    connection = WarehouseConnection(settings.Warehouse(f"duckdb:///{copy}"))
    try:
        print(f"  sharehouse: load average {_load()}")
        started, cpu = time.perf_counter(), time.process_time()
        resolve_persons(connection, progress=lambda line: print(f"  sharehouse: {line}"))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"  sharehouse: load average {_load()}")
        mentions = connection.read_table("identity", "person_mentions")
    finally:
        connection.close()
    return seconds, cpu, warehouse_mention_keys(mentions, "person_key")


def _splink_input(warehouse_file: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The mentions as Splink sees them: one row per mention, the same features, no keys."""
    connection = WarehouseConnection(settings.Warehouse(f"duckdb:///{warehouse_file}"))
    try:
        mentions = read_mentions(connection)
    finally:
        connection.close()
    features = mention_features(mentions)
    return features.select(
        pl.col("_row").cast(pl.Int64).alias("unique_id"),
        pl.col("id_number"),
        pl.col("name_norm").alias("name"),
        pl.col("birth_date"),
        pl.col("gender_code").alias("gender"),
        pl.col("phone_norm").alias("phone"),
        pl.col("address_key"),
    ), mentions


def _splink(warehouse_file: Path) -> tuple[float, float, float, pl.DataFrame]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    # Preparing Splink's input (reading the mentions and deriving the same
    # normalized columns ours compares) is timed apart from Splink's own work
    # (registering the table to clusters); both figures are printed.
    prepared = time.perf_counter()
    frame, mentions = _splink_input(warehouse_file)
    print(f"  splink: load average {_load()}")
    started, cpu = time.perf_counter(), time.process_time()
    preparation = started - prepared
    db_api = DuckDBAPI(connection=duckdb.connect())
    table = db_api.register(frame.to_arrow(), dataset_display_name="person_mentions")
    settings_creator = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("name", "birth_date"),
            block_on("name", "phone"),
            block_on("name", "address_key"),
        ],
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("id_number", [1, 2]),
            cl.NameComparison("name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("gender"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("address_key"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings_creator, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("id_number"), block_on("name", "birth_date", "phone")], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_number"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, SPLINK_THRESHOLD)
    assigned = pl.from_arrow(clusters.as_duckdbpyrelation().select("unique_id, cluster_id").to_arrow_table())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  splink: load average {_load()}")
    resolved = mentions.with_columns(pl.col("_row").cast(pl.Int64)).join(
        assigned.with_columns(pl.col("unique_id").cast(pl.Int64)), left_on="_row", right_on="unique_id", how="left"
    ).with_columns(pl.col("cluster_id").cast(pl.Utf8))
    return seconds, cpu, preparation, warehouse_mention_keys(resolved, "cluster_id")


def _line(name: str, seconds: float, cpu: float, scores: dict) -> str:
    return (f"{name:<12} {seconds:8.1f} s ({cpu:6.1f} s CPU)   F1 {scores['f1']:.5f}   "
            f"precision {scores['precision']:.5f}   recall {scores['recall']:.5f}   ({scores['mentions']:,} mentions, {scores['true_pairs']:,} true pairs)")


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, help="a DuckDB file bench/ingest.py loaded (not modified)")
    parser.add_argument("--truth", type=Path, help="the city's truth/ folder (with --warehouse)")
    parser.add_argument("--persons", type=int, default=100_000, help="city size to simulate without --warehouse")
    parser.add_argument("--seed", type=int, default=7, help="simulator seed without --warehouse")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a temp dir)")
    parser.add_argument("--skip-splink", action="store_true", help="time only sharehouse's resolver")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sharehouse-bench-linkage-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.warehouse is None:
        subprocess.run([sys.executable, str(Path(__file__).parent / "ingest.py"), "--persons", str(args.persons),
                        "--seed", str(args.seed), "--workdir", str(workdir / "city")], check=True)
        args.warehouse = workdir / "city" / "bench.duckdb"
        args.truth = workdir / "city" / "deliveries" / "truth"
    if args.truth is None:
        parser.error("--truth is required with --warehouse")
    truth = truth_mentions(args.truth / "person_mentions.csv", "person_id")

    ours_seconds, ours_cpu, ours = _ours(args.warehouse, workdir)
    ours_scores = pairwise_scores(ours, truth)
    print(_line("sharehouse", ours_seconds, ours_cpu, ours_scores))
    if args.skip_splink:
        return
    splink_seconds, splink_cpu, preparation, theirs = _splink(args.warehouse)
    splink_scores = pairwise_scores(theirs, truth)
    print(_line("splink", splink_seconds, splink_cpu, splink_scores))
    print(f"(Splink's input preparation, not counted above: {preparation:.1f} s; with it Splink takes "
          f"{splink_seconds + preparation:.1f} s, {(splink_seconds + preparation) / ours_seconds:.1f}x ours)")
    speedup = splink_seconds / ours_seconds
    met = speedup >= TARGET_SPEEDUP and ours_scores["f1"] >= splink_scores["f1"]
    print(f"speed-up {speedup:.1f}x in wall time ({splink_cpu / ours_cpu:.1f}x in CPU time), "
          f"F1 {ours_scores['f1']:.5f} vs {splink_scores['f1']:.5f}: target (>= {TARGET_SPEEDUP:.0f}x at an F1 no lower) {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
