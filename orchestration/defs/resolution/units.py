"""House-unit resolution as a Dagster asset (``resolution/units.py`` does the work)."""

import dagster as dg

from ingest.common.warehouse import connect
from ingest.registry import DEPARTMENTS
from orchestration.defs.ingest.resources import WarehouseResource
from resolution.units import resolve_unit_mentions
from sharehouse import settings

#: Every clean table: mentions are written while they load, so resolution waits for all.
CLEAN_KEYS = [
    dg.AssetKey([dataset.clean_schema, dataset.source_entity])
    for department in DEPARTMENTS
    for dataset in department.datasets
]


@dg.asset(
    key=["identity", "unit_mentions"],
    group_name="identity",
    deps=[*CLEAN_KEYS, dg.AssetKey(["reference", "grid_buildings"])],
    kinds={"polars"},
)
def unit_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Every house-unit mention, linked to a house unit and placed on a grid.

    Grain: one row per unit a loaded record mentions (record key, role,
    position): the register's own rows (unit), rentals (rented_unit),
    persons' registered and current addresses (registered_at, lives_at),
    incidents' and disputes' places (occurred_at) and organizations' offices
    (located_at). unit_key is the keyed hash of the unit
    code, given or found by matching the parsed address against the house-unit
    register; evidence says which (rule:unit_code, rule:address_components,
    unresolved). Restricted (L3: addresses). Rebuilt whole after each ingest.
    """
    with connect(warehouse.target()) as connection:
        counts = resolve_unit_mentions(connection, settings.person_key_secret())
    context.log.info("unit mentions: %s", counts)
    return dg.MaterializeResult(metadata={name: dg.MetadataValue.int(value) for name, value in counts.items()})
