"""The person-resolution asset: every person mention gets a person key and the evidence for it."""

import dagster as dg

from ingest.common.warehouse import connect
from ingest.registry import DEPARTMENTS
from orchestration.defs.ingest.resources import WarehouseResource
from resolution.persons import resolve_persons

#: The clean assets whose loads append person mentions (ingest writes them
#: with the clean table, in the same asset).
PERSON_MENTION_SOURCES = [
    dg.AssetKey([dataset.clean_schema, dataset.source_entity])
    for department in DEPARTMENTS
    for dataset in department.datasets
    if dataset.mentions
]


@dg.asset(
    key=["identity", "person_mentions"],
    group_name="identity",
    deps=PERSON_MENTION_SOURCES,
    kinds={"polars"},
)
def person_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Every appearance of a person in a loaded record, resolved to one person key (restricted, L3).

    Grain: one row per record, role and position (source-systems.md section
    6). Source: the ingest loads append the mentions with their cleaned
    identity number, name and phone; this asset keys those without a valid
    number, by probabilistic linkage to the keyed persons and to each other
    (resolution/persons.py), writing ``person_key`` and evidence
    (``rule:id_number``, ``match:p=...``, ``new:unmatched``) and keeping
    surrogate keys stable in ``identity.person_surrogates`` with merges and
    splits in ``identity.person_key_history``. Cadence: after every ingest run.
    """
    with connect(warehouse.target()) as connection:
        summary = resolve_persons(connection, progress=context.log.info)
    return dg.MaterializeResult(
        metadata={
            "mentions": dg.MetadataValue.int(summary.mentions),
            "resolved_deterministically": dg.MetadataValue.int(summary.deterministic),
            "linked_probabilistically": dg.MetadataValue.int(summary.linked_to_keyed + summary.linked_to_unkeyed),
            "linked_to_keyed_persons": dg.MetadataValue.int(summary.linked_to_keyed),
            "unmatched": dg.MetadataValue.int(summary.unmatched),
            "new_surrogates": dg.MetadataValue.int(summary.new_surrogates),
            "merges": dg.MetadataValue.int(summary.merges),
            "splits": dg.MetadataValue.int(summary.splits),
            "seconds": dg.MetadataValue.float(round(summary.seconds, 2)),
        }
    )
