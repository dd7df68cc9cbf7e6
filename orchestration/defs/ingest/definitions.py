"""Dagster definitions of the ingest concern."""

import dagster as dg

from orchestration.defs.ingest.assets import DATA_DOCS_ASSET, INGEST_ASSETS
from orchestration.defs.ingest.resources import SourcesResource, WarehouseResource

defs = dg.Definitions(
    assets=[*INGEST_ASSETS, DATA_DOCS_ASSET],
    resources={"sources": SourcesResource(), "warehouse": WarehouseResource()},
)
