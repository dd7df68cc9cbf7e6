"""Ingest assets: one per department entity, producing its raw and clean tables.

Each asset extracts the entity's new deliveries, writes them as received to
``raw_<slug>.<entity>``, gates them with the entity's critical Great
Expectations suite, quarantines failing rows and writes the rest to
``clean_<slug>.<entity>``. The critical suite is a blocking check on the clean
table: if it fails, nothing downstream (dbt) runs on bad data.
"""

from datetime import datetime, timezone

import dagster as dg

from ingest.common.batches import BatchOutcome, Dataset
from ingest.registry import DEPARTMENTS, Department, load_dataset
from orchestration.defs.ingest.resources import SourcesResource, WarehouseResource
from quality.docs import build_data_docs, build_data_docs_index
from quality.gate import GateResult
from sharehouse import settings

CRITICAL_CHECK = "critical_suite"


def _ingest_asset(department: Department, dataset: Dataset) -> dg.AssetsDefinition:
    raw_key = dg.AssetKey([dataset.raw_schema, dataset.source_entity])
    clean_key = dg.AssetKey([dataset.clean_schema, dataset.source_entity])

    @dg.multi_asset(
        name=f"ingest_{dataset.source_system}__{dataset.source_entity}",
        specs=[
            dg.AssetSpec(
                raw_key,
                group_name=dataset.raw_schema,
                kinds={"polars"},
                description=(
                    f"{department.name} {dataset.source_entity} as delivered: every row as text, with "
                    "lineage columns (_batch_id, _extracted_at, _source, _source_row, _row_hash). "
                    f"Grain: one row per delivered row. Loaded each run from new deliveries."
                ),
                skippable=True,
            ),
            dg.AssetSpec(
                clean_key,
                group_name=dataset.clean_schema,
                deps=[raw_key],
                kinds={"polars", "great_expectations"},
                description=(
                    f"{department.name} {dataset.source_entity}, standardized and pseudonymous, only rows "
                    f"that passed raw.{dataset.source_entity}.critical. Grain: one row per loaded "
                    f"delivered row (key {dataset.record_key} within a batch)."
                ),
                skippable=True,
            ),
        ],
        check_specs=[
            dg.AssetCheckSpec(
                CRITICAL_CHECK,
                asset=clean_key,
                blocking=True,
                description=f"raw.{dataset.source_entity}.critical passes and every delivered row is accounted for",
            )
        ],
        can_subset=False,
    )
    def _asset(context: dg.AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource):
        extracted_at = datetime.now(timezone.utc).replace(tzinfo=None)
        outcomes = load_dataset(
            sources.load(), warehouse.target(), department, dataset,
            secret=settings.person_key_secret(), extracted_at=extracted_at,
        )
        if outcomes is None:
            context.log.info("the sources file has no [%s] table; nothing to load", department.slug)
            outcomes = []
        loaded = [outcome for outcome in outcomes if not outcome.skipped]
        refused = [outcome for outcome in loaded if outcome.status == "refused"]
        for outcome in refused:
            context.log.error("batch %s refused: %s", outcome.batch_id, outcome.message)
        metadata = _metadata(loaded)
        gated = _gate_runs(loaded)
        if gated:
            # This dataset's pages now; the index once after every dataset (DATA_DOCS_ASSET).
            index = build_data_docs(gated, settings.quality_docs_dir(), build_index=False)
            metadata["data_docs"] = dg.MetadataValue.path(str(index))
        yield dg.MaterializeResult(asset_key=raw_key, metadata=metadata)
        yield dg.MaterializeResult(asset_key=clean_key, metadata=metadata)
        gates = [gate for _, gate in gated]
        yield dg.AssetCheckResult(
            asset_key=clean_key,
            check_name=CRITICAL_CHECK,
            passed=all(gate.critical_success for gate in gates),
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                **metadata,
                "refused_batches": dg.MetadataValue.json(
                    [{"batch": outcome.batch_id, "reason": outcome.message} for outcome in refused]
                ),
            },
        )

    return _asset


def _gate_runs(outcomes: list[BatchOutcome]) -> list[tuple[str, GateResult]]:
    """Return each gate run once, named after the batches it judged.

    The batches of one load are gated together, so their outcomes share one
    ``GateResult``; the data docs show it as one run.
    """
    runs: dict[int, tuple[list[str], GateResult]] = {}
    for outcome in outcomes:
        if outcome.gate is not None:
            runs.setdefault(id(outcome.gate), ([], outcome.gate))[0].append(outcome.batch_id)
    return [
        (batch_ids[0] if len(batch_ids) == 1 else f"{batch_ids[0]} .. {batch_ids[-1]} ({len(batch_ids)} batches)", gate)
        for batch_ids, gate in runs.values()
    ]


def _metadata(outcomes: list[BatchOutcome]) -> dict[str, dg.MetadataValue]:
    total = lambda field: sum(getattr(outcome, field) for outcome in outcomes)  # noqa: E731
    return {
        "batches": dg.MetadataValue.int(len(outcomes)),
        "rows_delivered": dg.MetadataValue.int(total("rows_delivered")),
        "rows_loaded": dg.MetadataValue.int(total("rows_loaded")),
        "rows_quarantined": dg.MetadataValue.int(total("rows_quarantined")),
        "rows_duplicate": dg.MetadataValue.int(total("rows_duplicate")),
        "fields_dropped": dg.MetadataValue.int(total("fields_dropped")),
    }


INGEST_ASSETS = [_ingest_asset(department, dataset) for department in DEPARTMENTS for dataset in department.datasets]


@dg.asset(
    key=["quality", "data_docs"],
    deps=[dg.AssetKey([dataset.clean_schema, dataset.source_entity]) for department in DEPARTMENTS for dataset in department.datasets],
    group_name="quality",
    kinds={"great_expectations"},
    description=(
        "The Great Expectations data docs site: every dataset's gate results, newest first. "
        "Each ingest asset renders its own pages; this asset rebuilds the index once they are all written."
    ),
)
def data_docs(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Rebuild the data docs index after every dataset's pages are written."""
    index = build_data_docs_index(settings.quality_docs_dir())
    context.log.info("Great Expectations data docs: %s", index)
    return dg.MaterializeResult(metadata={"data_docs": dg.MetadataValue.path(str(index))})


DATA_DOCS_ASSET = data_docs
