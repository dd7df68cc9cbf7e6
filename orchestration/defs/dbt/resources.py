"""The dbt project and CLI resource, with a manifest that is always current."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    # Parse into a target folder of this process's own, then move the manifest
    # into place in one step: another process loading the definitions at the
    # same time (a second test worker, the Dagster UI) reads the old manifest
    # or the new one, never a half-written file.
    with tempfile.TemporaryDirectory(dir=MANIFEST.parent, prefix="parse-") as target:
        command = [
            DBT_EXECUTABLE, "parse", "--quiet",
            "--project-dir", str(settings.DBT_PROJECT_DIR),
            "--profiles-dir", str(settings.DBT_PROJECT_DIR),
            "--target", "dev",
            "--target-path", target,
        ]
        completed = subprocess.run(command, capture_output=True, text=True, env={**os.environ}, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"dbt parse failed:\n{completed.stdout}\n{completed.stderr}")
        os.replace(Path(target) / "manifest.json", MANIFEST)
    return MANIFEST


ensure_manifest()

DBT_PROJECT = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)

dbt_resource = DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE)
