"""Names dbt turns into relations fit PostgreSQL's 63-character identifiers.

PostgreSQL refuses a longer relation name only when the build runs there, so
a unit test named at length passes on DuckDB and breaks the production build.
"""

from __future__ import annotations

import json

from orchestration.defs.dbt.resources import ensure_manifest

POSTGRES_IDENTIFIER_LIMIT = 63


def test_every_model_and_unit_test_name_fits_a_postgres_identifier() -> None:
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    names = [node["alias"] for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    names += [unit_test["name"] for unit_test in manifest["unit_tests"].values()]

    too_long = [name for name in names if len(name) > POSTGRES_IDENTIFIER_LIMIT]

    assert names
    assert too_long == []
