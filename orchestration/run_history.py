"""Cheaper writes to Dagster's SQLite run history for runs started from the command line.

Dagster's SQLite storage creates an engine, opens a connection, commits and
closes it for every event it stores. In WAL mode with SQLite's default
``synchronous=FULL`` each commit waits for an fsync of the log, and each close
of what is then the last connection checkpoints the log into the database,
another fsync. A pipeline run stores about 1,400 events (a dbt test result is
three), which cost 14 s on an idle disk and about a minute on a busy one, more
than ingesting a 100,000-person city.

For the databases under ``DAGSTER_HOME`` this module sets
``synchronous=NORMAL`` on every connection (in WAL mode commits no longer wait
for the disk; a power cut may lose the last events but never corrupts the
file, SQLite's documented guarantee) and keeps one idle connection open to each
file for the life of the process, so closing Dagster's connections does not
checkpoint every time; SQLite still checkpoints every 1,000 pages, and when the
process exits. That part uses only SQLAlchemy's pool events and ``sqlite3``,
not Dagster's internals, and ``dagster dev`` keeps Dagster's own settings.

Even without waiting for the disk, each stored event cost about 7 ms of CPU,
most of it spent building a SQLAlchemy engine for the one statement and
compiling that statement afresh (SQLAlchemy caches compiled statements per
engine). :func:`instance` opens the run's Dagster instance with
:class:`PooledSqliteEventLogStorage`, which keeps one engine per database file
for the life of the run; it stores the same rows in the same files, so
``dagster dev`` (with Dagster's own storage) reads them as before. This part
does override a private Dagster method (``_connect``);
``tests/orchestration/test_run_history.py`` runs a job through it and reads
the run back with Dagster's own storage, so an upgrade that changes either
side fails there.
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster._core.instance.ref import InstanceRef
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import Pool

_lock = threading.Lock()
_homes: set[str] = set()
_keepers: dict[str, sqlite3.Connection] = {}


def relax_syncs(dagster_home: Path) -> None:
    """Apply the settings above to every SQLite database under ``dagster_home`` from now on."""
    with _lock:
        if not _homes:
            event.listen(Pool, "connect", _on_connect)
            atexit.register(close_keepers)
        _homes.add(str(Path(dagster_home).resolve()))


def close_keepers() -> None:
    """Close the kept connections (the last close checkpoints each file)."""
    with _lock:
        for connection in _keepers.values():
            connection.close()
        _keepers.clear()


def _on_connect(dbapi_connection, _connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    path = _main_file(dbapi_connection)
    if path is None or not any(path.startswith(home + "/") for home in _homes):
        return
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    with _lock:
        keeper = _keepers.get(path)
        if keeper is None:
            keeper = _keepers[path] = sqlite3.connect(path, check_same_thread=False)
        # SQLite opens a file lazily, and a new file is switched to WAL only
        # after its first connection: a read now makes the kept connection a
        # user of the write-ahead log, which is what stops the checkpoint.
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()


def _main_file(connection: sqlite3.Connection) -> str | None:
    """Return the file of a connection's main database ('' for an in-memory one)."""
    for _seq, name, file in connection.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log (one file per run plus an index) that keeps its engines.

    Dagster's :meth:`SqliteEventLogStorage._connect` builds an engine with no
    pool for every connection, so every event pays for an engine, a SQLite
    connection and a statement compilation. This one builds an engine once
    per file and lets SQLAlchemy's pool keep the connection, under the same
    lock, in the same transaction per use. Meant for a process that runs one
    job and exits (``sharehouse run``), not for a long-lived server, which
    would keep one engine for every run it ever read.
    """

    def __init__(self, base_dir: str, inst_data: Any = None) -> None:
        self._engines: dict[str, Engine] = {}
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Any) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Any]:
        with self._db_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                self._engines[shard] = engine
            with engine.connect() as connection, connection.begin():
                yield connection

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()


def instance(dagster_home: Path) -> dg.DagsterInstance:
    """Return the Dagster instance of ``dagster_home`` for one run from the command line.

    Its event log is :class:`PooledSqliteEventLogStorage` over Dagster's
    default folder (``history/runs``), unless ``dagster.yaml`` chooses a
    storage of its own, which is then used as configured. Use it as a context
    manager, so its engines are closed after the run.
    """
    home = str(Path(dagster_home).resolve())
    ref = InstanceRef.from_dir(home)
    events = ref.event_storage_data
    if events is None or (events.module_name, events.class_name) != ("dagster._core.storage.event_log", "SqliteEventLogStorage"):
        return dg.DagsterInstance.from_ref(ref)
    pooled = {
        "module": __name__,
        "class": PooledSqliteEventLogStorage.__name__,
        "config": {"base_dir": yaml.safe_load(events.config_yaml)["base_dir"]},
    }
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(home, overrides={"event_log_storage": pooled}))
