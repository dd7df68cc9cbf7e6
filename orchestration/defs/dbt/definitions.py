"""Dagster definitions of the dbt concern."""

import dagster as dg

from orchestration.defs.dbt.assets import sharehouse_dbt_models
from orchestration.defs.dbt.resources import dbt_resource

defs = dg.Definitions(assets=[sharehouse_dbt_models], resources={"dbt": dbt_resource})
