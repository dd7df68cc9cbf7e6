"""dbt assets: staging views, intermediate models and marts, built and tested together."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.resources import DBT_PROJECT, keep_partial_parse
from orchestration.defs.dbt.translator import SharehouseTranslator
from sharehouse import settings

# Unit tests check the models' logic on fixed rows, not the delivered data: CI
# runs every one on both engines (tests/dbt builds the project with them), and
# dbt's own advice is to leave them out of production builds, where they cost
# about 3 s a run for nothing new.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


@dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=SharehouseTranslator())
def sharehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build and test every selected dbt model on the current warehouse.

    The dbt target follows the warehouse: DuckDB runs ``dev`` (``ci`` under CI),
    PostgreSQL runs ``prod``; the profile reads the connection from the
    environment that :mod:`sharehouse.settings` derives from the warehouse URL.
    """
    target = settings.warehouse().dbt_target(settings.current())
    invocation = dbt.cli([*BUILD_ARGS, "--target", target], context=context)
    yield from invocation.stream()
    keep_partial_parse(invocation.target_path)
