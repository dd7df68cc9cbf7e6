"""Fixtures that build the dbt project against small, real-looking warehouses.

Each engine gets a fresh warehouse loaded from ``fixtures/clean_sources.sql``
(the clean_* tables the ingest pipeline writes, plus empty ops, quarantine and
identity tables), then one ``dbt build`` per test session. dbt's target/ and
logs/ go to a temporary directory, so parallel runs and the developer's own
``dbt_project/target`` never clash.

A second pair of warehouses (``shared_model_warehouse``) adds
``fixtures/shared_model.sql``: reference divisions and the identity mention
tables as entity resolution leaves them, for the dimensions, bridges and facts
of the shared model. The first pair keeps those tables absent, so it proves
the project still builds before resolution has run.

The DuckDB warehouse is always built. The PostgreSQL one needs the server on
127.0.0.1:5432 with trust auth for user ``postgres`` (or the admin URL in
``SHAREHOUSE_TEST_PG_URL``, as for the rest of the suite): each session creates
a uniquely named database and drops it afterwards. Tests that use it carry the
``postgres`` marker (deselect with ``-m "not postgres"``); as in
``tests/conftest.py``, an unreachable server skips them on a developer machine
and fails them under CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import duckdb
import psycopg2
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
FIXTURE_SQL = Path(__file__).parent / "fixtures" / "clean_sources.sql"
SHARED_MODEL_SQL = Path(__file__).parent / "fixtures" / "shared_model.sql"

POSTGRES_ADMIN_URL = os.environ.get("SHAREHOUSE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# How long one `dbt build` took on each engine, printed after the test run.
_BUILD_SECONDS: dict[str, float] = {}

Row = dict[str, Any]


@dataclass(frozen=True)
class BuiltWarehouse:
    """A warehouse loaded with the fixture and built by ``dbt build``."""

    engine: str
    build: subprocess.CompletedProcess[str]
    build_seconds: float
    query: Callable[..., list[Row]]
    #: dbt's target directory of the build (manifest, compiled SQL).
    target_dir: Path | None = None
    #: The DuckDB file (DuckDB warehouses only).
    database_path: Path | None = None

    @property
    def build_log(self) -> str:
        """Return dbt's console output, for assertion messages."""
        return self.build.stdout + self.build.stderr


def dbt_executable() -> str:
    """Return the dbt command of the virtual environment running the tests."""
    candidate = Path(sys.executable).with_name("dbt")
    if candidate.exists():
        return str(candidate)
    return str(REPO_ROOT / ".venv" / "bin" / "dbt")


def run_dbt_build(target: str, env_overrides: dict[str, str], work_dir: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``dbt build`` for ``target`` and return the process and its duration in seconds."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "SHAREHOUSE_"))}
    env.update(
        {
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_USE_COLORS": "false",
            **env_overrides,
        }
    )
    command = [
        dbt_executable(),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target",
        target,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    return completed, time.perf_counter() - started


def fixture_sql() -> str:
    """Return the DDL and rows of the clean source tables."""
    return FIXTURE_SQL.read_text(encoding="utf-8")


def _build_duckdb(work_dir: Path, scripts: list[str], timing_name: str) -> BuiltWarehouse:
    """Load ``scripts`` into a new DuckDB file in ``work_dir`` and build the project on it (target ``ci``)."""
    database_path = work_dir / "warehouse.duckdb"
    with duckdb.connect(str(database_path)) as connection:
        for script in scripts:
            connection.execute(script)

    build, seconds = run_dbt_build("ci", {"SHAREHOUSE_DUCKDB_PATH": str(database_path)}, work_dir)
    _BUILD_SECONDS[timing_name] = seconds

    def query(sql: str, parameters: tuple[Any, ...] = ()) -> list[Row]:
        # Tests write psycopg2-style %s placeholders; DuckDB wants ?.
        with duckdb.connect(str(database_path), read_only=True) as connection:
            cursor = connection.execute(sql.replace("%s", "?"), list(parameters))
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    return BuiltWarehouse("duckdb", build, seconds, query, work_dir / "target", database_path)


@pytest.fixture(scope="session")
def duckdb_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """Build the project on a temporary DuckDB file (target ``ci``)."""
    return _build_duckdb(tmp_path_factory.mktemp("dbt_duckdb"), [fixture_sql()], "duckdb")


@pytest.fixture(scope="session")
def shared_model_duckdb_warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    """Build the project on a DuckDB file holding the clean fixture plus reference and mention tables."""
    scripts = [fixture_sql(), SHARED_MODEL_SQL.read_text(encoding="utf-8")]
    return _build_duckdb(tmp_path_factory.mktemp("dbt_duckdb_shared_model"), scripts, "duckdb (shared model)")


def _postgres_settings(database: str) -> dict[str, str]:
    """Return the profile's PostgreSQL environment variables for ``database`` on the test server."""
    admin = urlparse(POSTGRES_ADMIN_URL)
    return {
        "SHAREHOUSE_PG_HOST": admin.hostname or "127.0.0.1",
        "SHAREHOUSE_PG_PORT": str(admin.port or 5432),
        "SHAREHOUSE_PG_USER": unquote(admin.username or "postgres"),
        "SHAREHOUSE_PG_PASSWORD": unquote(admin.password or ""),
        "SHAREHOUSE_PG_DATABASE": database,
    }


def _postgres_connect(database: str) -> psycopg2.extensions.connection:
    settings = _postgres_settings(database)
    return psycopg2.connect(
        host=settings["SHAREHOUSE_PG_HOST"],
        port=int(settings["SHAREHOUSE_PG_PORT"]),
        user=settings["SHAREHOUSE_PG_USER"],
        password=settings["SHAREHOUSE_PG_PASSWORD"],
        dbname=database,
        connect_timeout=3,
    )


def _build_postgres(
    tmp_path_factory: pytest.TempPathFactory, scripts: list[str], timing_name: str
) -> Iterator[BuiltWarehouse]:
    """Load ``scripts`` into a fresh PostgreSQL database, build the project on it (target ``prod``), drop it after."""
    admin_database = urlparse(POSTGRES_ADMIN_URL).path.lstrip("/") or "postgres"
    try:
        admin = _postgres_connect(admin_database)
    except psycopg2.OperationalError as error:
        if UNDER_CI:
            raise
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} ({error}); CI runs these tests")
    admin.autocommit = True
    database = f"sharehouse_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'create database "{database}" encoding \'UTF8\' template template0')
        loader = _postgres_connect(database)
        try:
            with loader, loader.cursor() as cursor:
                for script in scripts:
                    cursor.execute(script)
        finally:
            loader.close()

        work_dir = tmp_path_factory.mktemp("dbt_postgres")
        build, seconds = run_dbt_build("prod", _postgres_settings(database), work_dir)
        _BUILD_SECONDS[timing_name] = seconds

        def query(sql: str, parameters: tuple[Any, ...] = ()) -> list[Row]:
            connection = _postgres_connect(database)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql, parameters)
                    names = [column[0] for column in cursor.description]
                    return [dict(zip(names, row)) for row in cursor.fetchall()]
            finally:
                connection.close()

        yield BuiltWarehouse("postgres", build, seconds, query, work_dir / "target")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{database}" with (force)')
        admin.close()


@pytest.fixture(scope="session")
def postgres_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """Build the project on a fresh PostgreSQL database (target ``prod``), dropped afterwards."""
    yield from _build_postgres(tmp_path_factory, [fixture_sql()], "postgres")


@pytest.fixture(scope="session")
def shared_model_postgres_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltWarehouse]:
    """Build the project on PostgreSQL with the clean fixture plus reference and mention tables."""
    scripts = [fixture_sql(), SHARED_MODEL_SQL.read_text(encoding="utf-8")]
    yield from _build_postgres(tmp_path_factory, scripts, "postgres (shared model)")


@pytest.fixture(
    scope="session",
    params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def warehouse(request: pytest.FixtureRequest) -> BuiltWarehouse:
    """Return the warehouse of each engine in turn (DuckDB, then PostgreSQL), built or not."""
    return request.getfixturevalue(f"{request.param}_warehouse")


@pytest.fixture
def built_warehouse(warehouse: BuiltWarehouse) -> BuiltWarehouse:
    """Return the warehouse, failing fast with dbt's output if the build failed."""
    if warehouse.build.returncode != 0:
        pytest.fail(f"dbt build failed on {warehouse.engine}:\n{warehouse.build_log[-4000:]}", pytrace=False)
    return warehouse


@pytest.fixture(
    scope="session",
    params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def shared_model_warehouse(request: pytest.FixtureRequest) -> BuiltWarehouse:
    """Return the shared-model warehouse of each engine in turn, failing fast if its build failed."""
    warehouse = request.getfixturevalue(f"shared_model_{request.param}_warehouse")
    if warehouse.build.returncode != 0:
        pytest.fail(f"dbt build failed on {warehouse.engine}:\n{warehouse.build_log[-4000:]}", pytrace=False)
    return warehouse


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print how long ``dbt build`` took on each engine."""
    if _BUILD_SECONDS:
        terminalreporter.write_sep("-", "dbt build timings")
        for engine, seconds in _BUILD_SECONDS.items():
            terminalreporter.write_line(f"dbt build on {engine}: {seconds:.1f} s")
