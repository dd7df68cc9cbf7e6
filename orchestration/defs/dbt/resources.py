"""The dbt project and CLI resource, with a manifest that is always current."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from sharehouse import settings

MANIFEST = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
# dbt's parse cache. dagster-dbt copies it from here into each invocation's own
# target folder, so a build re-parses only what changed (about 5 s of CPU less
# per run); dbt itself checks it against the project, profile and target and
# parses in full when it does not match.
PARTIAL_PARSE = MANIFEST.with_name("partial_parse.msgpack")
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
        keep_partial_parse(Path(target))
    return MANIFEST


def keep_partial_parse(target_path: Path) -> None:
    """Keep the parse cache a dbt invocation wrote in ``target_path`` for the next one.

    Moved into place in one step, as the manifest is, for processes that run
    dbt at the same time.
    """
    written = target_path / PARTIAL_PARSE.name
    if not written.is_file():
        return
    with tempfile.NamedTemporaryFile(dir=PARTIAL_PARSE.parent, prefix="partial-parse-", delete=False) as copy:
        pass
    shutil.copyfile(written, copy.name)
    os.replace(copy.name, PARTIAL_PARSE)


class SharehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's CLI resource without two start-up costs this project does not use.

    Before each ``dbt build`` dagster-dbt (0.29) runs ``dbt --version`` in a
    subprocess to learn which engine it drives, and opens a dbt Core adapter
    in the Dagster process (importing dbt, loading the profile and macros),
    which it uses only for ``fetch_row_counts()`` and
    ``fetch_column_metadata()``. Together about 4 s of every run. dbt Core is
    installed beside this interpreter (:data:`DBT_EXECUTABLE`), so its version
    is the package's, and the assets call neither fetch method: a
    ``fetch_*`` call added later would log that it has no adapter and attach
    nothing, so drop :meth:`_initialize_dbt_core_adapter` then.
    ``tests/orchestration/test_dbt_resource.py`` checks both shortcuts still
    match the methods they replace.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


ensure_manifest()

DBT_PROJECT = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)

dbt_resource = SharehouseDbtCliResource(project_dir=DBT_PROJECT, dbt_executable=DBT_EXECUTABLE)
