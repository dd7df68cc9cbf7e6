"""The one Dagster entry point: ``dagster dev -m orchestration.definitions``.

Each concern (ingest, dbt, quality, dashboards) keeps its own definitions under
``orchestration/defs/<concern>/``; this module only merges them.
"""

import dagster as dg

from orchestration.defs.dashboards.definitions import defs as dashboards_defs
from orchestration.defs.dbt.definitions import defs as dbt_defs
from orchestration.defs.ingest.definitions import defs as ingest_defs
from orchestration.defs.resolution.definitions import defs as resolution_defs
from orchestration.jobs import nightly_schedule, sharehouse_job

defs = dg.Definitions.merge(
    ingest_defs,
    resolution_defs,
    dbt_defs,
    dashboards_defs,
    dg.Definitions(jobs=[sharehouse_job], schedules=[nightly_schedule]),
)
