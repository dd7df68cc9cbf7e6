"""What Superset reads from the warehouse: checking the bundle against it, and publishing it.

**Why a published copy on DuckDB.** A DuckDB file is locked by the process
that opens it: a writer excludes every reader, and a reader (even read-only)
excludes every writer, in both directions and without waiting (measured:
``IO Error: Could not set lock on file ... Conflicting lock is held``). If
Superset read the pipeline's warehouse file directly, a chart loading at the
moment the nightly run opens the file would fail that run, and charts would
fail while it writes. So on DuckDB, Superset reads its own file: a copy of
the analytics marts (``marts.mart_*``) that :func:`publish_marts` writes next
to a temporary name and moves into place atomically. The pipeline never opens
the published file, Superset opens it read-only per query (Superset's
analytics connections use no pool), and a query that is running during a
publish keeps reading the file it opened. The copy also keeps record-level
tables (``dim_*``, ``fct_*``, ``identity``) out of Superset's reach.
Publishing takes well under a second for aggregate marts; it happens when a
dashboard asset materializes (after the marts it reads) and when
``sharehouse dashboards bootstrap`` or ``serve`` starts.

On PostgreSQL there is no file lock: Superset connects to the warehouse
itself, as a role that may only read ``marts``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2

from dashboards.bundle import Bundle, Dashboard, chart_sql_expressions, dataset_names
from sharehouse import settings

# Analytics marts are the aggregate tables users read (shared-model.md,
# "Analytics marts"); dim_* and fct_* are record-level and stay out of Superset.
ANALYTICS_MART_PREFIX = "mart_"

# A pipeline step holds the warehouse's write lock for seconds at a time (the
# dbt build of the marts is the longest: about 5 s on the 10,000-person demo
# city); publishing waits for it rather than failing.
LOCK_WAIT_SECONDS = 120.0


class WarehouseBusy(RuntimeError):
    """Another process held the DuckDB warehouse's write lock for longer than we waited."""


# -- reading the warehouse ------------------------------------------------------------


class WarehouseReader:
    """Read-only access to the warehouse for checking the bundle against it."""

    def __init__(self, warehouse: settings.Warehouse):
        self.warehouse = warehouse
        if warehouse.engine == "duckdb":
            self._duck = _connect_duckdb_read_only(warehouse.duckdb_path)
            self._pg = None
        else:
            self._duck = None
            self._pg = psycopg2.connect(warehouse.url)
            self._pg.set_session(readonly=True, autocommit=True)

    def close(self) -> None:
        """Close the connection."""
        if self._duck is not None:
            self._duck.close()
        if self._pg is not None:
            self._pg.close()

    def columns(self, schema: str, table: str) -> dict[str, str]:
        """Return ``{column: type}`` of a table, empty when the table does not exist."""
        sql = (
            "select column_name, data_type from information_schema.columns "
            "where table_schema = %s and table_name = %s order by ordinal_position"
        )
        if self._duck is not None:
            rows = self._duck.execute(sql.replace("%s", "?"), [schema, table]).fetchall()
        else:
            with self._pg.cursor() as cursor:
                cursor.execute(sql, (schema, table))
                rows = cursor.fetchall()
        return {str(name): str(data_type) for name, data_type in rows}

    def probe(self, sql: str) -> str | None:
        """Plan a query without reading rows; return the engine's error, or ``None`` if it compiles."""
        try:
            if self._duck is not None:
                self._duck.execute(sql).fetchall()
            else:
                with self._pg.cursor() as cursor:
                    cursor.execute(sql)
                    cursor.fetchall()
        except (duckdb.Error, psycopg2.Error) as error:
            return str(error).strip().splitlines()[0]
        return None


@contextmanager
def reader(warehouse: settings.Warehouse) -> Iterator[WarehouseReader]:
    """Open the warehouse read-only for the duration of a ``with`` block."""
    opened = WarehouseReader(warehouse)
    try:
        yield opened
    finally:
        opened.close()


def _wait_for_lock(open_it, path: Path, wait_seconds: float | None = None):
    """Call ``open_it`` until DuckDB stops reporting a conflicting lock on ``path``."""
    wait_seconds = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return open_it()
        except duckdb.IOException as error:
            if "lock" not in str(error).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{path} stayed locked by another process for {wait_seconds:.0f}s: {error}") from error
            time.sleep(1.0)


def _connect_duckdb_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise FileNotFoundError(f"no DuckDB warehouse at {path}: run the pipeline first (`sharehouse run` or `./dev demo`)")
    return _wait_for_lock(lambda: duckdb.connect(str(path), read_only=True), path)


# -- checking a dashboard against the warehouse -----------------------------------------


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def check_dashboard(dashboard: Dashboard, warehouse_reader: WarehouseReader) -> list[str]:
    """Return every way the dashboard does not fit the warehouse (empty when it fits).

    Every dataset's table must exist with every physical column the dataset
    declares; every calculated column, saved metric and free SQL of a chart
    must compile against the table on this engine (DuckDB and PostgreSQL
    differ, so the check runs on the warehouse the dashboard will read).
    """
    problems = []
    for dataset in dashboard.datasets:
        schema, table = str(dataset.config.get("schema")), str(dataset.config["table_name"])
        relation = f"{_quote(schema)}.{_quote(table)}"
        actual = warehouse_reader.columns(schema, table)
        if not actual:
            problems.append(f"{dataset.path}: table {schema}.{table} does not exist in the warehouse")
            continue
        missing = sorted(dataset_names(dataset)["physical"] - set(actual))
        if missing:
            problems.append(f"{dataset.path}: {schema}.{table} has no column {', '.join(missing)}")
            continue
        for column in dataset.config.get("columns") or []:
            if column.get("expression"):
                error = warehouse_reader.probe(f"select {column['expression']} from {relation} where 1 = 0")
                if error:
                    problems.append(f"{dataset.path}: column {column['column_name']}: {error}")
        for metric in dataset.config.get("metrics") or []:
            error = warehouse_reader.probe(f"select {metric['expression']} from {relation} where 1 = 0")
            if error:
                problems.append(f"{dataset.path}: metric {metric['metric_name']}: {error}")
        for chart in dashboard.charts:
            if str(chart.config["dataset_uuid"]) != dataset.uuid:
                continue
            for expression in chart_sql_expressions(chart.config):
                error = warehouse_reader.probe(f"select {expression} from {relation} where 1 = 0")
                if error:
                    problems.append(f"{chart.path}: {expression!r}: {error}")
    return problems


# -- publishing the marts for Superset (DuckDB) ----------------------------------------


@dataclass(frozen=True)
class PublishedMarts:
    """The read-only copy of the analytics marts that Superset reads on DuckDB."""

    path: Path
    tables: list[str]

    @property
    def uri(self) -> str:
        """Return the SQLAlchemy URI Superset opens it with: read-only, per query."""
        return f"duckdb:///{self.path}?access_mode=read_only"


def published_marts_path() -> Path:
    """Return where the published copy lives: ``SHAREHOUSE_HOME/superset/published_marts.duckdb``."""
    # Not "marts.duckdb": DuckDB names the catalog after the file, and a catalog
    # called "marts" would make every "marts.<table>" reference ambiguous.
    return settings.home() / "superset" / "published_marts.duckdb"


def publish_marts(warehouse: settings.Warehouse, target: Path | None = None, required: list[str] | None = None) -> PublishedMarts:
    """Copy the warehouse's analytics marts into the file Superset reads, replacing it atomically.

    Args:
        warehouse: A DuckDB warehouse (PostgreSQL needs no copy).
        target: The published file (default :func:`published_marts_path`).
        required: Mart names that must be present (the bundle's datasets).

    Raises:
        WarehouseBusy: another process kept the warehouse locked too long.
        FileNotFoundError: the warehouse or a required mart does not exist yet.
    """
    if warehouse.engine != "duckdb":
        raise ValueError("only a DuckDB warehouse is published; Superset reads PostgreSQL directly")
    target = target or published_marts_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not warehouse.duckdb_path.exists():
        raise FileNotFoundError(f"no DuckDB warehouse at {warehouse.duckdb_path}: run the pipeline first")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    copy = duckdb.connect(str(partial))
    try:
        source = str(warehouse.duckdb_path).replace("'", "''")
        _wait_for_lock(lambda: copy.execute(f"attach '{source}' as warehouse (read_only)"), warehouse.duckdb_path)
        tables = [
            name for (name,) in copy.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'warehouse' and table_schema = 'marts' and table_name like ? order by table_name",
                [ANALYTICS_MART_PREFIX + "%"],
            ).fetchall()
        ]
        missing = sorted(set(required or []) - set(tables))
        if missing:
            raise FileNotFoundError(f"{warehouse.duckdb_path} has no marts.{', marts.'.join(missing)}: run the pipeline first")
        # Qualify with the copy's own catalog: its name comes from the file name
        # and could read like a schema.
        (catalog,) = copy.execute("select current_database()").fetchone()
        copy.execute(f"create schema {_quote(catalog)}.marts")
        for table in tables:
            copy.execute(
                f"create table {_quote(catalog)}.marts.{_quote(table)} as select * from warehouse.marts.{_quote(table)}"
            )
        copy.execute("detach warehouse")
        copy.execute("checkpoint")
        copy.close()
        os.replace(partial, target)
    finally:
        copy.close()
        partial.unlink(missing_ok=True)
    return PublishedMarts(target, tables)


def marts_uri(warehouse: settings.Warehouse, bundle: Bundle | None = None) -> str:
    """Return the URI Superset should read the marts with, publishing the DuckDB copy first.

    PostgreSQL: ``SHAREHOUSE_SUPERSET_WAREHOUSE_URL`` (a role that may only
    read ``marts``) if set, else the warehouse URL.
    """
    if warehouse.engine == "duckdb":
        required = []
        if bundle is not None:
            required = sorted({str(d.config["table_name"]) for d in bundle.of_kind("datasets")})
        return publish_marts(warehouse, required=required).uri
    return os.environ.get("SHAREHOUSE_SUPERSET_WAREHOUSE_URL") or warehouse.url
