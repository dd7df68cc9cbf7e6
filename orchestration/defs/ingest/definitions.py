"""Dagster definitions of the ingest concern."""

import dagster as dg

from orchestration.defs.ingest.assets import INGEST_ASSETS
from orchestration.defs.ingest.resources import SourcesResource, WarehouseResource

defs = dg.Definitions(
    assets=INGEST_ASSETS,
    resources={"sources": SourcesResource(), "warehouse": WarehouseResource()},
)
