"""Dagster's SQLite run history under DAGSTER_HOME commits without waiting for the disk."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
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


@dg.asset(check_specs=[dg.AssetCheckSpec("has_rows", asset="numbers")])
def numbers() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={"rows": 3},
        check_results=[dg.AssetCheckResult(check_name="has_rows", passed=False, metadata={"rows": 3})],
    )


def test_a_run_stored_through_kept_engines_reads_the_same_in_dagsters_own_storage(tmp_path: Path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")

    with run_history.instance(home) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, run_history.PooledSqliteEventLogStorage)
        result = dg.materialize([numbers], instance=instance, raise_on_error=False)
        # One engine for the run's file and one for the index, however many events.
        assert sorted(storage._engines) == sorted(["index", result.run_id])
        written = [event.dagster_event_type for event in instance.all_logs(result.run_id) if event.is_dagster_event]
    assert storage._engines == {}
    assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "PIPELINE_SUCCESS"} <= {kind.value for kind in written}

    # What `dagster dev` opens: Dagster's default storage over the same files.
    with dg.DagsterInstance.from_config(str(home)) as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        stored = stock.all_logs(result.run_id)
        assert [event.dagster_event_type for event in stored if event.is_dagster_event] == written
        materialization = stock.get_latest_materialization_event(dg.AssetKey("numbers"))
        assert materialization is not None and materialization.run_id == result.run_id
        check = stock.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("numbers"), "has_rows")]
        )[dg.AssetCheckKey(dg.AssetKey("numbers"), "has_rows")]
        assert check.run_id == result.run_id
        assert check.event.dagster_event.event_specific_data.passed is False


def test_a_home_that_configures_its_own_event_storage_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "event_log_storage:\n"
        "  module: dagster._core.storage.event_log\n"
        "  class: ConsolidatedSqliteEventLogStorage\n"
        f"  config:\n    base_dir: {home / 'events'}\n",
        encoding="utf-8",
    )

    with run_history.instance(home) as instance:
        assert type(instance.event_log_storage).__name__ == "ConsolidatedSqliteEventLogStorage"
