"""Helpers shared by the ingest tests (imported as ``ingest_deliveries``).

Test folders have no ``__init__.py``, so helpers live in a module whose name
no other test folder uses (as ``tests/quality/quality_batches.py`` does).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from ingest import sources as sources_file
from ingest.common.batches import BatchOutcome, ensure_tables
from ingest.common.warehouse import connect
from ingest.registry import DEPARTMENTS, load_dataset
from sharehouse.settings import Warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
ALL_ENTITIES = FIXTURES / "all_entities"
BROKEN = FIXTURES / "broken"
SECRET = b"ingest-test-secret"
EXTRACTED_AT = datetime(2026, 4, 30, 2, 0)


def department(slug: str):
    """Return the registry entry of a department."""
    return next(entry for entry in DEPARTMENTS if entry.slug == slug)


def dataset(entity: str):
    """Return the dataset of a source entity, whichever department delivers it."""
    return next(item for entry in DEPARTMENTS for item in entry.datasets if item.source_entity == entity)


def load_entity(
    sources_path: Path, target: Warehouse, entity: str, *, extracted_at: datetime = EXTRACTED_AT, **run_options
) -> list[BatchOutcome]:
    """Load one source entity's new deliveries, as its ingest asset does; return the outcomes."""
    item = dataset(entity)
    entry = department(item.source_system)
    if not run_options:
        return load_dataset(
            sources_file.load(sources_path), target, entry, item, secret=SECRET, extracted_at=extracted_at
        ) or []
    # Options a pipeline takes beyond the registry's (an injected retry policy).
    source = getattr(sources_file.load(sources_path), entry.slug)
    with connect(target) as connection:
        outcomes = entry.run(connection, source, item, secret=SECRET, extracted_at=extracted_at, **run_options)
        ensure_tables(connection, item, secret=SECRET)
        return outcomes


def load_everything(sources_path: Path, target: Warehouse, *, extracted_at: datetime = EXTRACTED_AT) -> dict[str, list[BatchOutcome]]:
    """Load every dataset of every department once; return the outcomes by entity."""
    sources = sources_file.load(sources_path)
    outcomes = {}
    for entry in DEPARTMENTS:
        for item in entry.datasets:
            loaded = load_dataset(sources, target, entry, item, secret=SECRET, extracted_at=extracted_at)
            outcomes[item.source_entity] = loaded or []
    return outcomes


def query(target: Warehouse, sql: str, params: dict | None = None):
    """Run one query on the warehouse and return a polars frame."""
    with connect(target) as connection:
        return connection.query(sql, params)


def scalar(target: Warehouse, sql: str, params: dict | None = None):
    """Run one query on the warehouse and return its single value."""
    with connect(target) as connection:
        return connection.scalar(sql, params)



def build_staging(target: Warehouse, work_dir: Path, *models: str) -> None:
    """Run ``dbt run`` for some staging models against the warehouse (fails the test with dbt's output)."""
    dbt = Path(sys.executable).with_name("dbt")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DBT_", "SHAREHOUSE_"))}
    env.update({"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_USE_COLORS": "false", **target.dbt_env()})
    project = REPO_ROOT / "dbt_project"
    completed = subprocess.run(
        [
            str(dbt), "run", "--project-dir", str(project), "--profiles-dir", str(project),
            "--target", target.dbt_target("ci"), "--target-path", str(work_dir / "target"),
            "--log-path", str(work_dir / "logs"), "--select", *models,
        ],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
