"""Name dbt assets the way every other layer names them: ``[schema, table]``.

Sources keep their dbt source name as the schema, so ``clean_police`` models'
upstreams are exactly the ingest assets' keys; models use their configured
schema (``staging``, ``intermediate``, ``marts``), which is also their group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings


class SharehouseTranslator(DagsterDbtTranslator):
    """Map dbt resources to ``[schema, name]`` asset keys grouped by schema."""

    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Return ``[source_name, table]`` for sources and ``[schema, model]`` for models."""
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Return the schema, so Dagster groups match warehouse schemas."""
        return dbt_resource_props.get("schema")
