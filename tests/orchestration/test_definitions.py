"""The Dagster definitions load, and their shape is a reviewed snapshot.

A renamed asset, job or schedule changes ``snapshots/definitions.txt``; the
diff shows up in review. Regenerate it with
``SHAREHOUSE_UPDATE_SNAPSHOTS=1 ./dev test tests/orchestration/test_definitions.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def _shape(defs: dg.Definitions) -> str:
    graph = defs.resolve_asset_graph()
    lines = ["# assets (key | group | upstream)"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        upstream = ",".join(sorted(parent.to_user_string() for parent in node.parent_keys))
        lines.append(f"{key.to_user_string()} | {node.group_name} | {upstream}")
    lines.append("# asset checks (asset:check | blocking)")
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        lines.append(f"{check_key.asset_key.to_user_string()}:{check_key.name} | {spec.blocking}")
    lines.append("# jobs")
    lines.extend(sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")))
    lines.append("# schedules (name | cron | job)")
    for schedule in sorted(defs.resolve_schedule_defs() if hasattr(defs, "resolve_schedule_defs") else defs.schedules, key=lambda s: s.name):
        lines.append(f"{schedule.name} | {schedule.cron_schedule} | {schedule.job_name}")
    return "\n".join(lines) + "\n"


def test_definitions_load() -> None:
    from orchestration.definitions import defs

    assert defs.resolve_job_def("sharehouse") is not None


def test_definitions_match_the_reviewed_snapshot() -> None:
    from orchestration.definitions import defs

    shape = _shape(defs)
    if os.environ.get("SHAREHOUSE_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(shape, encoding="utf-8")
    assert shape == SNAPSHOT.read_text(encoding="utf-8")


def test_every_clean_table_has_a_blocking_critical_check() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    clean = {key for key in graph.get_all_asset_keys() if key.path[0].startswith("clean_")}
    blocking = {
        check.asset_key for check in graph.asset_check_keys
        if check.name == "critical_suite" and graph.get_check_spec(check).blocking
    }
    assert clean and clean <= blocking
