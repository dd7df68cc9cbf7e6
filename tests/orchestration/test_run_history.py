"""Dagster's SQLite run history under DAGSTER_HOME commits without waiting for the disk."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from orchestration import run_history


def _synchronous(url: str) -> int:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sa.text("PRAGMA journal_mode=WAL"))
        connection.execute(sa.text("CREATE TABLE IF NOT EXISTS events (n INTEGER)"))
        connection.execute(sa.text("INSERT INTO events VALUES (1)"))
        connection.commit()
        value = connection.execute(sa.text("PRAGMA synchronous")).scalar_one()
    engine.dispose()
    return value


def test_databases_under_the_home_relax_syncs_and_others_keep_the_default(tmp_path: Path) -> None:
    home, elsewhere = tmp_path / "dagster", tmp_path / "elsewhere"
    home.mkdir()
    elsewhere.mkdir()
    run_history.relax_syncs(home)
    try:
        # Two connections, as Dagster opens one per event; the first creates
        # the file and switches it to WAL.
        for _event in range(2):
            assert _synchronous(f"sqlite:///{home / 'runs.db'}") == 1  # NORMAL
            assert _synchronous(f"sqlite:///{elsewhere / 'other.db'}") == 2  # FULL, SQLite's default
        # Dagster's connections closed, but the kept one is still open: no
        # checkpoint on close, so the write-ahead log is still there.
        assert (home / "runs.db-wal").exists()
        assert not (elsewhere / "other.db-wal").exists()
    finally:
        run_history.close_keepers()
    assert not (home / "runs.db-wal").exists()
