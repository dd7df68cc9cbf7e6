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
process exits. It uses only SQLAlchemy's pool events and ``sqlite3``, not
Dagster's internals, and ``dagster dev`` keeps Dagster's own settings.
"""

from __future__ import annotations

import atexit
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import event
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
