"""Render gate results as Great Expectations data docs (static HTML).

The gate validates on a fast in-memory context and keeps GX's results in
``GateResult.validation_results``. This module writes those results into a
file-backed GX project under ``docs_dir`` and lets GX build its own data docs
site there, so the pages are GX's, not a re-implementation.

This module is plain Python and never imports Dagster.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from quality.gate import GateResult

# The data docs site GX configures by default in a file project.
_SITE_NAME = "local_site"
# How many validation results the site's index lists, newest first (a
# nightly run adds two per dataset: about ten nights). GX reads every listed
# result to build the index, so an unbounded list would make each night
# slower than the one before. Older pages stay on disk.
INDEX_LIMIT = 240


def build_data_docs(
    results: Iterable[tuple[str, GateResult]] | Mapping[str, GateResult] | GateResult,
    docs_dir: Path | str,
    *,
    build_index: bool = True,
) -> Path:
    """Write GX data docs for gate results and return the site's index.html.

    Args:
        results: Gate results, each with a run name (a batch id, for example)
            as pairs or a mapping; a single result is named after its dataset.
            Each result contributes its critical and its warning validation.
        docs_dir: Folder of the GX project that holds the docs (GX puts it
            in ``docs_dir/gx``); created if missing. Runs stored by earlier
            calls stay listed in the site.
        build_index: Also rebuild the site's index. A pipeline run renders
            each dataset's pages as it goes and the index once at the end
            (:func:`build_data_docs_index`): each index build reads up to
            :data:`INDEX_LIMIT` stored results.

    Returns:
        Path of the site's ``index.html``.
    """
    context = _site_context(docs_dir)
    run_time = dt.datetime.now(dt.timezone.utc)
    # The pages this call adds; earlier runs' pages are already on disk.
    # Rebuilding the whole site instead would make every pipeline run slower
    # than the last (each run adds a validation page per dataset).
    written: list[ExpectationSuiteIdentifier | ValidationResultIdentifier] = []

    for run_name, gate_result in _named(results):
        for suite in gate_result.suites:
            # Stored so the site has a page per suite listing every
            # expectation with its note, beside the validation pages.
            context.suites.add_or_update(_copy(suite))
            written.append(ExpectationSuiteIdentifier(name=suite.name))
        for suite_name, validation in gate_result.validation_results.items():
            run_id = RunIdentifier(run_name=run_name, run_time=run_time)
            # A shallow copy with its own meta: the run id belongs to this
            # docs build, not to the gate result.
            stored = copy.copy(validation)
            stored.meta = {**validation.meta, "run_id": run_id, "validation_time": run_time}
            identifier = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
                run_id=run_id,
                batch_identifier=f"{gate_result.layer}.{gate_result.dataset}",
            )
            context.validation_results_store.store_validation_results(
                suite_validation_result=stored, suite_validation_result_identifier=identifier,
            )
            written.append(identifier)

    # The index, when built, is rebuilt in full, so it still lists every stored run.
    context.build_data_docs(site_names=[_SITE_NAME], resource_identifiers=written, build_index=build_index)
    return data_docs_index(docs_dir)


def build_data_docs_index(docs_dir: Path | str) -> Path:
    """Rebuild only the site's index.html (listing the stored results) and return its path.

    GX renders every page when it is given no resources, so it is given one
    that names nothing stored: the sections render nothing, the index lists
    the newest :data:`INDEX_LIMIT` results.
    """
    context = _site_context(docs_dir)
    nothing = ExpectationSuiteIdentifier(name="sharehouse.index_only")
    context.build_data_docs(site_names=[_SITE_NAME], resource_identifiers=[nothing])
    return data_docs_index(docs_dir)


def _site_context(docs_dir: Path | str):
    """Return the file-backed GX project under ``docs_dir`` (created if missing), its index limited."""
    Path(docs_dir).mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(docs_dir))
    _limit_index(context)
    return context


def _limit_index(context) -> None:
    """Make the site's index list only the newest :data:`INDEX_LIMIT` validation results."""
    site = context.list_data_docs_sites()[_SITE_NAME]
    index_builder = site.get("site_index_builder") or {"class_name": "DefaultSiteIndexBuilder"}
    if index_builder.get("validation_results_limit") != INDEX_LIMIT:
        context.update_data_docs_site(
            _SITE_NAME, {**site, "site_index_builder": {**index_builder, "validation_results_limit": INDEX_LIMIT}}
        )


def data_docs_index(docs_dir: Path | str) -> Path:
    """Return where :func:`build_data_docs` puts the site's index.html (GX's file-project layout)."""
    return Path(docs_dir) / "gx" / "uncommitted" / "data_docs" / _SITE_NAME / "index.html"


def _named(
    results: Iterable[tuple[str, GateResult]] | Mapping[str, GateResult] | GateResult,
) -> list[tuple[str, GateResult]]:
    if isinstance(results, GateResult):
        return [(results.dataset, results)]
    if isinstance(results, Mapping):
        return list(results.items())
    return list(results)


def _copy(suite: gx.ExpectationSuite) -> gx.ExpectationSuite:
    """Copy a suite so that storing it does not bind the gate's object to this context."""
    return gx.ExpectationSuite(
        name=suite.name,
        expectations=[expectation.configuration for expectation in suite.expectations],
        meta=suite.meta,
        notes=suite.notes,
    )
