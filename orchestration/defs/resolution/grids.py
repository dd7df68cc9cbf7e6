"""The city's reference data: divisions down to grids and the grid register.

Loaded from the folder the sources file's optional ``[reference]`` table
names (``ingest/reference/README.md``). Without it the tables exist empty and
unit mentions get no grid.
"""

import dagster as dg

from ingest.common.warehouse import connect
from ingest.reference.load import ReferenceDataError, ensure_reference_tables, load_reference
from orchestration.defs.ingest.resources import SourcesResource, WarehouseResource


@dg.multi_asset(
    name="reference_divisions",
    specs=[
        dg.AssetSpec(
            ["reference", "divisions"],
            group_name="reference",
            kinds={"polars"},
            description=(
                "The city's divisions (统计用区划代码) down to grids: code, name, level (city, district, street, "
                "community, grid), parent_code. Grain: one row per division or grid. Source: the city's grid "
                "office (reference/divisions.csv), replaced whole on each run. Public (L1)."
            ),
        ),
        dg.AssetSpec(
            ["reference", "grid_buildings"],
            group_name="reference",
            kinds={"polars"},
            description=(
                "The grid register: which buildings (community, estate, building) form each grid. Grain: one "
                "row per building. Source: reference/grid_register.csv, replaced whole on each run."
            ),
        ),
    ],
)
def reference_divisions(context: dg.AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource):
    """Load the divisions and the grid register (all or nothing)."""
    folder = sources.load().reference
    with connect(warehouse.target()) as connection:
        if folder is None:
            context.log.warning("the sources file has no [reference] table: grids stay unknown")
            ensure_reference_tables(connection)
            metadata = {"divisions": dg.MetadataValue.int(0), "grid_buildings": dg.MetadataValue.int(0)}
        else:
            try:
                counts = load_reference(connection, folder.folder)
            except ReferenceDataError as error:
                raise dg.Failure(description=f"reference data refused: {error}") from error
            metadata = {
                "divisions": dg.MetadataValue.int(counts.divisions),
                "grids": dg.MetadataValue.int(counts.grids),
                "grid_buildings": dg.MetadataValue.int(counts.grid_buildings),
            }
    yield dg.MaterializeResult(asset_key=["reference", "divisions"], metadata=metadata)
    yield dg.MaterializeResult(asset_key=["reference", "grid_buildings"], metadata=metadata)
