"""The dbt project and CLI resource, with a manifest that is always current."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from sharehouse import settings

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
# dbt is installed beside this interpreter by uv; PATH may not include the venv
# (e.g. when the job runs from `python -m` or a test runner).
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))


def _newest_source_change(project_dir: Path) -> float:
    """Return the newest modification time of any file dbt parses."""
    watched = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds", "snapshots"):
        watched.extend(path for path in (project_dir / folder).rglob("*") if path.is_file())
    return max((path.stat().st_mtime for path in watched if path.exists()), default=0.0)


def ensure_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is missing or older than the project files.

    Dagster builds the dbt assets from the manifest when the definitions load,
    so a fresh clone (or an edited model) must be parsed first. Parsing needs
    no warehouse connection.
    """
    if MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_change(settings.DBT_PROJECT_DIR):
        return MANIFEST
    command = [
        DBT_EXECUTABLE, "parse", "--quiet",
        "--project-dir", str(settings.DBT_PROJECT_DIR),
        "--profiles-dir", str(settings.DBT_PROJECT_DIR),
        "--target", "dev",
    ]
    completed = subprocess.run(command, capture_output=True, text=True, env={**os.environ}, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{completed.stdout}\n{completed.stderr}")
    return MANIFEST


ensure_manifest()

DBT_PROJECT = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)

dbt_resource = DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE)
