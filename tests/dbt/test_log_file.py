"""dbt's log file keeps what dbt prints, not every statement it runs (dbt_project.yml flags)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from orchestration.defs.dbt.resources import DBT_EXECUTABLE
from sharehouse import settings


def _parse(tmp_path: Path, env: dict[str, str]) -> str:
    command = [
        DBT_EXECUTABLE, "parse", "--no-partial-parse",
        "--project-dir", str(settings.DBT_PROJECT_DIR), "--profiles-dir", str(settings.DBT_PROJECT_DIR),
        "--target", "dev", "--target-path", str(tmp_path), "--log-path", str(tmp_path),
    ]
    subprocess.run(command, check=True, capture_output=True, env=env)
    return (tmp_path / "dbt.log").read_text(encoding="utf-8")


def test_the_log_file_holds_info_lines_and_debug_comes_back_on_request(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DBT_LOG_LEVEL_FILE"}
    default = _parse(tmp_path / "default", env)
    asked = _parse(tmp_path / "asked", {**env, "DBT_LOG_LEVEL_FILE": "debug"})

    assert "[info ]" in default and "Running with dbt" in default
    assert "[debug]" not in default
    assert "[debug]" in asked
