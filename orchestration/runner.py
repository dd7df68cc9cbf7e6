"""Run the whole pipeline as a Dagster job in this process.

``sharehouse run`` and ``sharehouse demo`` call :func:`run_pipeline`. Runs are
recorded in a persistent Dagster instance (``DAGSTER_HOME``), so ``dagster
dev`` afterwards shows them with their logs, asset checks and metadata.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest import sources as sources_file
from sharehouse import settings


@dataclass
class RunReport:
    """The outcome of one pipeline run."""

    success: bool
    run_id: str
    warehouse: settings.Warehouse
    failures: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    checks_evaluated: int = 0


def configure_environment(sources_path: Path, warehouse: settings.Warehouse) -> None:
    """Export the settings the Dagster resources and the dbt profile read."""
    os.environ["SHAREHOUSE_SOURCES"] = str(sources_path)
    os.environ["SHAREHOUSE_WAREHOUSE_URL"] = warehouse.url
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home())
    os.environ.update(warehouse.dbt_env())


def run_pipeline(sources_path: str | Path, warehouse_url: str | None = None) -> RunReport:
    """Run the ``sharehouse`` job over the deliveries a sources file describes.

    Raises:
        SourcesFileError: the sources file is missing or wrong (before anything runs).
    """
    import dagster as dg

    sources = sources_file.load(sources_path)
    target = settings.warehouse(warehouse_url)
    configure_environment(sources.path, target)
    from orchestration import run_history
    from orchestration.definitions import defs

    run_history.relax_syncs(settings.dagster_home())

    job = defs.resolve_job_def("sharehouse")
    # Keep a command-line run readable: Dagster's DEBUG event stream stays in
    # the run log (visible in the UI); the console gets step starts, results
    # and the pipeline's own progress lines.
    with run_history.instance(settings.dagster_home()) as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    failures = [
        f"{event.step_key}: {event.event_specific_data.error.message.strip()}"
        for event in result.all_events
        if event.is_step_failure and event.event_specific_data and event.event_specific_data.error
    ]
    evaluations = [event.event_specific_data for event in result.all_events if event.event_type_value == "ASSET_CHECK_EVALUATION"]
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    # A check of severity WARN (a dbt test configured `severity: warn`) reports
    # without failing the run, as in `dbt build`.
    failed_checks = [_check_name(evaluation) for evaluation in failed if evaluation.severity != dg.AssetCheckSeverity.WARN]
    warned_checks = [_check_name(evaluation) for evaluation in failed if evaluation.severity == dg.AssetCheckSeverity.WARN]
    return RunReport(
        success=result.success and not failed_checks,
        run_id=result.run_id,
        warehouse=target,
        failures=failures,
        failed_checks=failed_checks,
        warned_checks=warned_checks,
        checks_evaluated=len(evaluations),
    )


def _check_name(evaluation) -> str:
    return f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
