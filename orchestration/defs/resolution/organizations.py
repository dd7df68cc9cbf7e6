"""Organization resolution as a Dagster asset (``resolution/organizations.py`` does the work)."""

import dagster as dg

from ingest.common.warehouse import connect
from orchestration.defs.ingest.resources import WarehouseResource
from orchestration.defs.resolution.units import CLEAN_KEYS
from resolution.organizations import resolve_org_mentions
from sharehouse import settings


@dg.asset(
    key=["identity", "org_mentions"],
    group_name="identity",
    deps=[*CLEAN_KEYS, dg.AssetKey(["reference", "divisions"])],
    kinds={"polars"},
)
def org_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Every organization mention, linked to one organization.

    Grain: one row per organization a loaded record mentions (record key,
    role, position): the civil-affairs registry's rows (organization), house
    owners that are organizations (owner) and floating residents' employers or
    schools (employer). org_key is the keyed hash of a valid credit code, or of
    the one organization known by code whose name fits, or a new key for a
    name no code knows; evidence says which (rule:credit_code, rule:name,
    rule:name_core, rule:name_address, new:name, unresolved). Restricted (L3).
    Rebuilt whole after each ingest.
    """
    with connect(warehouse.target()) as connection:
        counts = resolve_org_mentions(connection, settings.person_key_secret())
    context.log.info("organization mentions: %s", counts)
    return dg.MaterializeResult(metadata={name: dg.MetadataValue.int(value) for name, value in counts.items()})
