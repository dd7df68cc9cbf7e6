"""Write polars frames to the warehouse and read them back, on DuckDB or PostgreSQL.

The ingest layer needs a handful of operations (append a frame, replace one
batch, read a table, run a DDL file) on two engines. They live here once so
department packages never touch a database driver. Bulk loads use each
engine's fast path: DuckDB scans the Arrow buffer directly, PostgreSQL gets
``COPY FROM STDIN``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import psycopg2

from sharehouse.settings import Warehouse

SQL_DIR = Path(__file__).parent / "sql"

_PLACEHOLDER = re.compile(r":([a-z_][a-z0-9_]*)")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


# PostgreSQL type OIDs (pg_type) of the columns ingest and resolution read.
_PG_TYPES = {
    16: pl.Boolean, 20: pl.Int64, 21: pl.Int64, 23: pl.Int64, 25: pl.Utf8, 1043: pl.Utf8,
    700: pl.Float64, 701: pl.Float64, 1082: pl.Date, 1114: pl.Datetime("us"),
}


def _sql_type(dtype: pl.DataType) -> str:
    """Map a polars dtype to a column type both engines accept."""
    if dtype == pl.Utf8:
        return "varchar"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype.is_integer():
        return "bigint"
    if dtype.is_float():
        return "double precision"
    if isinstance(dtype, pl.Decimal):
        # Money (rent, allowances, agreement amounts) stays exact.
        return f"numeric({dtype.precision or 38},{dtype.scale or 0})"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "timestamp"
    if dtype == pl.Null:
        return "varchar"
    raise TypeError(f"no warehouse column type for polars dtype {dtype}")


def _quote(identifier: str) -> str:
    if not _IDENTIFIER.match(identifier):
        raise ValueError(f"not a safe SQL identifier: {identifier!r}")
    return identifier


class WarehouseConnection:
    """An open connection to the warehouse with the operations ingest needs."""

    def __init__(self, warehouse: Warehouse):
        self.warehouse = warehouse
        self.engine = warehouse.engine
        if self.engine == "duckdb":
            warehouse.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
            self._duck = duckdb.connect(str(warehouse.duckdb_path))
            self._pg = None
        else:
            self._duck = None
            self._pg = psycopg2.connect(warehouse.url)
            self._pg.autocommit = False

    def close(self) -> None:
        """Commit and close."""
        if self._duck is not None:
            self._duck.close()
        if self._pg is not None:
            self._pg.commit()
            self._pg.close()

    def commit(self) -> None:
        """Commit pending writes (PostgreSQL; DuckDB autocommits each statement)."""
        if self._pg is not None:
            self._pg.commit()

    # -- statements -----------------------------------------------------------------

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> None:
        """Run one statement with ``:name`` placeholders."""
        if self._duck is not None:
            self._duck.execute(_PLACEHOLDER.sub(r"$\1", sql), params or {})
        else:
            with self._pg.cursor() as cursor:
                cursor.execute(_PLACEHOLDER.sub(r"%(\1)s", sql), params or {})

    def run_file(self, name: str) -> None:
        """Run every statement of a DDL file in ``ingest/common/sql/``."""
        text = (SQL_DIR / name).read_text(encoding="utf-8")
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
        for statement in text.split(";"):
            if statement.strip():
                self.execute(statement)
        self.commit()

    def query(self, sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
        """Run a query and return its rows as a polars frame."""
        if self._duck is not None:
            return pl.from_arrow(self._duck.sql(_PLACEHOLDER.sub(r"$\1", sql), params=params or None).to_arrow_table())
        with self._pg.cursor() as cursor:
            cursor.execute(_PLACEHOLDER.sub(r"%(\1)s", sql), params or {})
            columns = [description[0] for description in cursor.description]
            types = [_PG_TYPES.get(description[1], pl.Utf8) for description in cursor.description]
            rows = cursor.fetchall()
        frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
        # Values alone cannot type a column with no rows or only nulls; the
        # column's PostgreSQL type can (DuckDB's Arrow result is typed anyway).
        return frame.with_columns(
            pl.col(name).cast(dtype) for name, dtype in zip(columns, types, strict=True) if frame.schema[name] == pl.Null
        )

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """Run a query and return its first column of the first row."""
        frame = self.query(sql, params)
        return frame.item(0, 0) if frame.height else None

    def table_exists(self, schema: str, table: str) -> bool:
        """Say whether ``schema.table`` exists."""
        return bool(
            self.scalar(
                "select count(*) from information_schema.tables "
                "where table_schema = :schema and table_name = :table",
                {"schema": schema, "table": table},
            )
        )

    # -- frames ---------------------------------------------------------------------

    def ensure_table(self, schema: str, table: str, frame: pl.DataFrame) -> None:
        """Create ``schema.table`` shaped like ``frame`` if missing; add columns it lacks."""
        schema, table = _quote(schema), _quote(table)
        self.execute(f"create schema if not exists {schema}")
        if not self.table_exists(schema, table):
            columns = ", ".join(f"{_quote(name)} {_sql_type(dtype)}" for name, dtype in frame.schema.items())
            self.execute(f"create table {schema}.{table} ({columns})")
            return
        existing = set(
            self.query(
                "select column_name from information_schema.columns "
                "where table_schema = :schema and table_name = :table",
                {"schema": schema, "table": table},
            )["column_name"].to_list()
        )
        for name, dtype in frame.schema.items():
            if name not in existing:
                self.execute(f"alter table {schema}.{table} add column {_quote(name)} {_sql_type(dtype)}")

    def append(self, schema: str, table: str, frame: pl.DataFrame) -> int:
        """Append ``frame`` to ``schema.table`` (created if missing); return rows written."""
        self.ensure_table(schema, table, frame)
        if frame.is_empty():
            return 0
        columns = ", ".join(_quote(name) for name in frame.columns)
        if self._duck is not None:
            # Polars' own string layout (Arrow string views) is handed over as
            # it is: DuckDB reads it, and converting a million-row frame to
            # classic Arrow strings first cost 0.1 to 0.5 s of CPU per 700,000 rows.
            arrow = frame.to_arrow(compat_level=pl.CompatLevel.newest())
            self._duck.register("_sharehouse_append", arrow)
            try:
                self._duck.execute(
                    f"insert into {schema}.{table} ({columns}) select {columns} from _sharehouse_append"
                )
            finally:
                self._duck.unregister("_sharehouse_append")
        else:
            buffer = io.BytesIO()
            # Quoting every text value keeps empty strings apart from NULLs, which
            # COPY reads as the unquoted empty field.
            frame.write_csv(buffer, include_header=False, quote_style="non_numeric", null_value="")
            buffer.seek(0)
            with self._pg.cursor() as cursor:
                cursor.copy_expert(
                    f"copy {schema}.{table} ({columns}) from stdin with (format csv)", buffer
                )
        return frame.height

    def delete_batches(
        self,
        schema: str,
        table: str,
        batch_ids: list[str],
        column: str = "_batch_id",
        where: dict[str, str] | None = None,
    ) -> None:
        """Delete the rows of these batches (optionally only where ``where`` columns match)."""
        if not batch_ids or not self.table_exists(schema, table):
            return
        conditions = [f"{_quote(name)} = :where_{name}" for name in (where or {})]
        params = {f"where_{name}": value for name, value in (where or {}).items()}
        # Bound in chunks: one statement per batch would cost a round trip
        # each, and one statement for thousands of ids would hit parameter limits.
        for start in range(0, len(batch_ids), 500):
            chunk = batch_ids[start : start + 500]
            placeholders = ", ".join(f":batch_{i}" for i in range(len(chunk)))
            self.execute(
                f"delete from {_quote(schema)}.{_quote(table)} where "
                + " and ".join([f"{_quote(column)} in ({placeholders})", *conditions]),
                {**params, **{f"batch_{i}": batch_id for i, batch_id in enumerate(chunk)}},
            )

    def read_table(self, schema: str, table: str) -> pl.DataFrame:
        """Read a whole table."""
        return self.query(f"select * from {_quote(schema)}.{_quote(table)}")


@contextmanager
def connect(warehouse: Warehouse) -> Iterator[WarehouseConnection]:
    """Open the warehouse, make sure the ingest-owned tables exist, and close it afterwards."""
    connection = WarehouseConnection(warehouse)
    try:
        for ddl in ("ops.sql", "quarantine.sql", "identity.sql"):
            connection.run_file(ddl)
        _upgrade_person_mentions(connection)
        _drop_retired_columns(connection)
        yield connection
        connection.commit()
    except BaseException:
        if connection._pg is not None:
            connection._pg.rollback()
        raise
    finally:
        connection.close()


def _upgrade_person_mentions(connection: WarehouseConnection) -> None:
    """Bring an older ``identity.person_mentions`` to the current shape, only if it needs it.

    Checked first rather than altered unconditionally: on PostgreSQL any
    ``alter table`` takes an exclusive lock, which would make every ingest
    asset wait for the others' loads to commit.
    """
    columns = connection.query(
        "select column_name, is_nullable from information_schema.columns "
        "where table_schema = 'identity' and table_name = 'person_mentions'"
    )
    nullable = dict(zip(columns["column_name"].to_list(), columns["is_nullable"].to_list()))
    changed = False
    if "phone" not in nullable:
        connection.execute("alter table identity.person_mentions add column phone varchar")
        changed = True
    if nullable.get("person_key") == "NO":
        connection.execute("alter table identity.person_mentions alter column person_key drop not null")
        changed = True
    if changed:
        connection.commit()


#: Clean columns ingest once wrote and no longer does, by table: the address
#: match keys (``estate|building|entrance|room``) were exact addresses beside
#: pseudonymous records. The parsed address lives in identity.unit_mentions.
RETIRED_CLEAN_COLUMNS = {
    ("clean_police", "floating_residents"): ("current_address_match_key",),
    ("clean_police", "incidents"): ("location_match_key",),
    ("clean_civil_affairs", "subsistence_cases"): ("address_match_key",),
    ("clean_civil_affairs", "organizations"): ("address_match_key",),
    ("clean_housing", "rental_registrations"): ("address_match_key",),
    ("clean_justice", "mediation_cases"): ("location_match_key",),
    ("clean_justice", "resettlement_cases"): ("current_address_match_key", "registered_address_match_key"),
}


def _drop_retired_columns(connection: WarehouseConnection) -> None:
    """Drop :data:`RETIRED_CLEAN_COLUMNS` from an older warehouse, only where they are still there.

    Checked first, as in :func:`_upgrade_person_mentions`, so that a current
    warehouse takes no lock. On PostgreSQL the staging views that still
    select such a column are dropped with it (``cascade``); the dbt run after
    ingest rebuilds them.
    """
    names = sorted({column for columns in RETIRED_CLEAN_COLUMNS.values() for column in columns})
    found = connection.query(
        "select table_schema, table_name, column_name from information_schema.columns where column_name in ("
        + ", ".join(f":name_{i}" for i in range(len(names))) + ")",
        {f"name_{i}": name for i, name in enumerate(names)},
    )
    retired = [
        (schema, table, column) for schema, table, column in found.rows()
        if column in RETIRED_CLEAN_COLUMNS.get((schema, table), ())
    ]
    cascade = " cascade" if connection.engine == "postgres" else ""
    for schema, table, column in retired:
        connection.execute(
            f"alter table {_quote(schema)}.{_quote(table)} drop column if exists {_quote(column)}{cascade}"
        )
    if retired:
        connection.commit()
