"""Fingerprint what ingest wrote to a DuckDB warehouse, to prove a speed-up changed no output.

For every ``raw_*``, ``clean_*``, ``quarantine``, ``identity.*_mentions``
and ``ops.batch_log`` table it prints the row count, an order-independent
hash of the rows and one of each column. Columns holding the time of the
run (``_extracted_at``, ``extracted_at``, ``quarantined_at``) are left out:
they differ on every run. Rows are hashed over their columns sorted by name,
so reordering columns changes nothing; the sum of row hashes (not their
XOR) keeps duplicate rows from cancelling out. Two values also change with
the run and are normalized: the loopback port of the civil-affairs server
in ``_source``/``source``, and the ledger's ``delivered_at`` of an API batch
(the time of the call).

Usage::

    .venv/bin/python bench/fingerprint.py /tmp/bench/bench.duckdb > before.txt
    .venv/bin/python bench/fingerprint.py /tmp/bench/bench.duckdb --compare before.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

# Columns that record when the run happened, not what it loaded.
RUN_TIME_COLUMNS = {"_extracted_at", "extracted_at", "quarantined_at"}
# Values that name the run's loopback port or time, rewritten before hashing.
NORMALIZED = {
    "_source": r"regexp_replace(_source, '127\.0\.0\.1:[0-9]+', '127.0.0.1:PORT')",
    "source": r"regexp_replace(source, '127\.0\.0\.1:[0-9]+', '127.0.0.1:PORT')",
    "delivered_at": "case when source like 'http%' then null else delivered_at end",
}


def _tables(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Return the ingest-written tables, sorted."""
    rows = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and (table_schema like 'raw\\_%' escape '\\' "
        "or table_schema like 'clean\\_%' escape '\\' or table_schema = 'quarantine' "
        "or (table_schema = 'identity' and table_name like '%\\_mentions' escape '\\') "
        "or (table_schema = 'ops' and table_name = 'batch_log')) order by 1, 2"
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def fingerprint(path: Path) -> list[str]:
    """Return one line per table (``schema.table rows hash``) and one per column."""
    lines = []
    with duckdb.connect(str(path), read_only=True) as connection:
        for schema, table in _tables(connection):
            columns = sorted(
                name
                for (name,) in connection.execute(
                    "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
                if name not in RUN_TIME_COLUMNS
            )
            quoted = [NORMALIZED.get(name, f'"{name}"') for name in columns]
            per_column = ", ".join(f"sum(hash({name})::hugeint)" for name in quoted)
            count, rows_hash, *column_hashes = connection.execute(
                f"select count(*), sum(hash(row({', '.join(quoted)}))::hugeint), {per_column} "
                f"from {schema}.{table}"
            ).fetchone()
            lines.append(f"{schema}.{table} rows={count} hash={rows_hash}")
            lines.extend(
                f"  {schema}.{table}.{name} hash={value}" for name, value in zip(columns, column_hashes, strict=True)
            )
    return lines


def main() -> None:
    """Print the fingerprint, or compare it with a saved one and exit 1 on any difference."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse", type=Path, help="the DuckDB file bench/ingest.py wrote")
    parser.add_argument("--compare", type=Path, help="a fingerprint saved before; print what differs")
    args = parser.parse_args()
    lines = fingerprint(args.warehouse)
    if args.compare is None:
        print("\n".join(lines))
        return
    before = args.compare.read_text(encoding="utf-8").splitlines()
    removed = [line for line in before if line not in set(lines)]
    added = [line for line in lines if line not in set(before)]
    for line in removed:
        print(f"- {line}")
    for line in added:
        print(f"+ {line}")
    print(f"{len(lines)} lines, {len(removed)} removed, {len(added)} added: {'same' if not removed and not added else 'DIFFERENT'}")
    sys.exit(1 if removed or added else 0)


if __name__ == "__main__":
    main()
