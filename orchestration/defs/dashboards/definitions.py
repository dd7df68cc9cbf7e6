"""Dagster definitions of the dashboards concern."""

import dagster as dg

from orchestration.defs.dashboards.assets import DASHBOARD_ASSETS

defs = dg.Definitions(assets=DASHBOARD_ASSETS)
