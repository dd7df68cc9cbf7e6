"""dbt assets: staging views, intermediate models and marts, built and tested together."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.defs.dbt.resources import DBT_PROJECT, keep_partial_parse
from orchestration.defs.dbt.translator import SharehouseTranslator
from sharehouse import settings


@dbt_assets(manifest=DBT_PROJECT.manifest_path, dagster_dbt_translator=SharehouseTranslator())
def sharehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Build and test every selected dbt model on the current warehouse.

    The dbt target follows the warehouse: DuckDB runs ``dev`` (``ci`` under CI),
    PostgreSQL runs ``prod``; the profile reads the connection from the
    environment that :mod:`sharehouse.settings` derives from the warehouse URL.
    """
    target = settings.warehouse().dbt_target(settings.current())
    invocation = dbt.cli(["build", "--target", target], context=context)
    yield from invocation.stream()
    keep_partial_parse(invocation.target_path)
