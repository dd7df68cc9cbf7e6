"""Dashboard assets: one per Superset dashboard under ``dashboards/``, downstream of the marts it reads.

The dashboard YAML is the one source of truth: each asset's upstream marts are
the tables of the datasets its charts and filters read, resolved through the
bundle's UUID references when the definitions load (an inconsistent bundle
fails the load). Materializing a dashboard asset

1. checks the dashboard against the warehouse: every dataset's table exists
   with the columns the dataset declares, and every calculated column,
   metric and chart SQL compiles on this engine;
2. on DuckDB, publishes the analytics marts to the read-only file Superset
   reads (``dashboards/warehouse.py`` says why Superset never opens the
   pipeline's file);
3. if ``SHAREHOUSE_SUPERSET_URL`` names a running Superset, re-imports the
   dashboard there. Without it nothing else happens, so the job runs
   without Superset (tests, CI, machines that only build the warehouse).
"""

import dagster as dg

from dashboards import bundle as dashboard_bundle
from dashboards import client as superset_client
from dashboards import warehouse as dashboard_warehouse
from sharehouse import settings


def _dashboard_asset(dashboard: dashboard_bundle.Dashboard) -> dg.AssetsDefinition:
    marts = ", ".join(f"{schema}.{table}" for schema, table in dashboard.marts)

    @dg.asset(
        key=dg.AssetKey(["dashboards", dashboard.slug]),
        group_name="dashboards",
        deps=[dg.AssetKey([schema, table]) for schema, table in dashboard.marts],
        kinds={"superset"},
        description=(
            f"Superset dashboard 「{dashboard.title}」 (slug `{dashboard.slug}`, {len(dashboard.charts)} charts) "
            f"over {marts}, defined in dashboards/{dashboard.asset.path}. Refreshed after the marts it reads: "
            "checked against the warehouse, marts published for Superset, re-imported into "
            "SHAREHOUSE_SUPERSET_URL when set."
        ),
        metadata={
            "title": dashboard.title,
            "charts": [chart.config["slice_name"] for chart in dashboard.charts],
            "bundle_file": f"dashboards/{dashboard.asset.path}",
        },
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        warehouse = settings.warehouse()
        with dashboard_warehouse.reader(warehouse) as reader:
            problems = dashboard_warehouse.check_dashboard(dashboard, reader)
        if problems:
            raise dg.Failure(
                description=f"dashboard {dashboard.slug} does not fit the warehouse:\n  " + "\n  ".join(problems),
                metadata={"problems": "\n".join(problems)},
            )
        metadata: dict[str, dg.RawMetadataValue] = {"marts": marts, "charts": len(dashboard.charts)}
        if warehouse.engine == "duckdb":
            published = dashboard_warehouse.publish_marts(warehouse, required=[table for _, table in dashboard.marts])
            metadata["published_marts"] = dg.MetadataValue.path(str(published.path))
            marts_uri = published.uri
        else:
            marts_uri = dashboard_warehouse.marts_uri(warehouse)
        url = superset_client.superset_url()
        if url:
            bundle_zip, passwords = dashboard_bundle.load().zip_bytes(marts_uri, only=dashboard)
            superset_client.import_bundle(url, bundle_zip, passwords)
            metadata["superset"] = dg.MetadataValue.url(f"{url}/superset/dashboard/{dashboard.slug}/")
            context.log.info(f"re-imported {dashboard.slug} into {url}")
        else:
            metadata["superset"] = "not re-imported: SHAREHOUSE_SUPERSET_URL is not set"
        return dg.MaterializeResult(metadata=metadata)

    return _asset


DASHBOARD_ASSETS = [_dashboard_asset(dashboard) for dashboard in dashboard_bundle.load().dashboards()]
