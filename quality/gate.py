"""Split a cleaned batch into rows that load and rows that go to quarantine.

The gate runs a dataset's two Great Expectations suites
(``quality/suites/<layer>/<dataset>.py``, conventions section 5):

* ``<layer>.<dataset>.critical`` blocks: every row that breaks one of its
  expectations is quarantined with the rule and a reason; a batch that cannot
  be judged at all (empty, columns missing) is refused with ``BatchRefused``.
* ``<layer>.<dataset>.warning`` loads and flags: the rows that pass the
  critical suite are checked again and each broken warning expectation is
  reported per row in ``GateResult.warning_flags``.

GX runs on pandas through one ephemeral context created on first use and
reused for the life of the process (importing GX costs about 4 s, once; the
context itself about 10 ms, but registering its data source twice fails).
Measured on a 1,000,000-row household register (tests/quality/bench_gate.py):

* only the columns the suites read are converted to pandas: GX fingerprints
  the whole frame it is given, and validating the critical suite on all
  columns took 2.3 s against 1.1 s on the checked ones;
* dates are handed over as ``datetime64[ns]``: GX's vectorised range check
  takes only that unit, and the warning suite took 4.0 s with the
  ``datetime64[ms]`` that polars produces against 0.8 s;
* failing rows are located by their position (the default pandas index)
  rather than with ``unexpected_index_column_names=["_source_row"]``, because
  ``_source_row`` restarts at 1 in every file of a batch that spans several
  files, and GX builds the named-column list in a Python loop per failing row.

This module is plain Python and never imports Dagster.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import numpy as np
import polars as pl
from great_expectations.core import (
    ExpectationSuiteValidationResult,
    ExpectationValidationResult,
)
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

SEVERITIES = ("critical", "warning")

# Lineage columns that identify a delivered row (architecture.md); they are
# carried into the warning flags so a flag can be traced to its file and row.
ROW_IDENTITY_COLUMNS = ("_source", "_source_row")

# COMPLETE is the only format that lists *every* failing row; the query string
# GX would also build for pandas is a copy of that list, so it is switched off.
_COMPLETE = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
# The re-check of the passed rows needs only the verdict.
_BOOLEAN_ONLY = {"result_format": "BOOLEAN_ONLY"}

# Failing rows kept per expectation in `GateResult.validation_results`; 20 is
# GX's own default `partial_unexpected_count`.
SAMPLED_FAILURES = 20

_SUITE_MODULE = "quality.suites.{layer}.{dataset}"
_NAME_PART = re.compile(r"^[a-z][a-z0-9_]*$")


class BatchRefused(Exception):
    """A whole batch cannot be judged row by row and must not load.

    Raised for a broken delivery (no rows, a schema the suites do not know),
    for an expectation GX could not evaluate, and for a failed critical
    expectation that has no per-row result (a table-level one). The message
    always names the dataset.
    """


@dataclass(frozen=True)
class ExpectationOutcome:
    """Summarize how one expectation of one suite fared on one batch.

    Attributes:
        suite: Suite name, e.g. ``raw.deaths.critical``.
        rule: Readable id of the expectation, as written to quarantine.
        expectation_type: GX type, e.g. ``expect_column_values_to_not_be_null``.
        column: The column checked, or None for a table-level expectation.
        success: GX's verdict for this expectation on the rows it saw.
        unexpected_count: Rows that broke the expectation.
        element_count: Rows the expectation saw: the whole batch for critical
            expectations, the passed rows for warning expectations.
        note: The expectation's note (why it exists), if any.
    """

    suite: str
    rule: str
    expectation_type: str
    column: str | None
    success: bool
    unexpected_count: int
    element_count: int
    note: str | None


@dataclass
class GateResult:
    """Hold what the gate decided for one batch.

    Attributes:
        passed: Rows that passed every critical expectation, original columns
            and order.
        quarantined: Rows that failed, original columns plus ``rule`` (the
            first failed critical expectation in suite order) and ``reason``
            (a sentence). A row appears once however many rules it broke.
        critical_success: The critical suite's verdict on ``passed`` alone
            (run again when rows were quarantined; otherwise the first run's
            verdict, as the rows are the same). Anything but True means the
            split is wrong, and is what the blocking asset check reports.
        expectation_results: One outcome per expectation of both suites.
        warning_flags: One row per (passed row, broken warning expectation):
            ``_source`` (when the frame has it), ``_source_row``, ``rule``,
            ``reason``. Flagged rows are in ``passed`` and load.
        dataset: Dataset name, e.g. ``household_residents``.
        layer: Layer of the suites, e.g. ``raw``.
        validation_results: GX's own results by suite name (critical on the
            whole batch, warning on the passed rows), kept so that
            ``quality.docs.build_data_docs`` can render them afterwards. The
            per-row lists are cut to the first ``SAMPLED_FAILURES`` failures
            and name rows by ``_source_row``, as in GX's SUMMARY format: the
            full lists of a million-row batch belong neither in memory nor in
            an HTML page, and the split has already used them.
        suites: The suites as run, for the same purpose.
        timings: Seconds spent per step, for tuning.
    """

    passed: pl.DataFrame
    quarantined: pl.DataFrame
    critical_success: bool
    expectation_results: list[ExpectationOutcome]
    warning_flags: pl.DataFrame
    dataset: str = ""
    layer: str = "raw"
    validation_results: dict[str, ExpectationSuiteValidationResult] = field(
        default_factory=dict, repr=False
    )
    suites: list[gx.ExpectationSuite] = field(default_factory=list, repr=False)
    timings: dict[str, float] = field(default_factory=dict)

    def pass_rate(self) -> float:
        """Return the share of the batch's rows that passed the critical suite.

        An empty batch has nothing that failed, so its rate is 1.0.
        """
        total = self.passed.height + self.quarantined.height
        return 1.0 if total == 0 else self.passed.height / total


def check_batch(frame: pl.DataFrame, dataset: str, *, expected_columns: Sequence[str]) -> None:
    """Refuse a batch that is broken as a whole, before any row is judged.

    Args:
        frame: The batch as extracted or cleaned.
        dataset: Dataset name, used in the message.
        expected_columns: Columns the batch must have.

    Raises:
        BatchRefused: The batch has no rows (an empty delivery) or lacks some
            expected columns (an unknown schema, e.g. a renamed header).
    """
    if frame.height == 0:
        raise BatchRefused(f"{dataset}: empty delivery, the batch has no rows")
    missing = _missing(frame, expected_columns)
    if missing:
        raise BatchRefused(_unknown_schema_message(frame, dataset, missing))


def _missing(frame: pl.DataFrame, columns: Sequence[str]) -> list[str]:
    return [column for column in columns if column not in frame.columns]


def _unknown_schema_message(frame: pl.DataFrame, dataset: str, missing: list[str]) -> str:
    return (
        f"{dataset}: unknown schema, the batch lacks expected column(s) "
        f"{', '.join(missing)} (it has: {', '.join(frame.columns)})"
    )


def load_suites(dataset: str, *, layer: str = "raw") -> dict[str, gx.ExpectationSuite]:
    """Build a dataset's critical and warning suites from their Python module.

    Args:
        dataset: Dataset name; the module is ``quality/suites/<layer>/<dataset>.py``.
        layer: Layer folder under ``quality/suites``.

    Returns:
        The suites keyed by severity (``critical``, ``warning``).

    Raises:
        LookupError: There is no suite module for the dataset.
        ValueError: A suite's name is not ``<layer>.<dataset>.<severity>``.
    """
    if not (_NAME_PART.match(layer) and _NAME_PART.match(dataset)):
        raise LookupError(f"no quality suites for {layer}.{dataset}: not a valid name")
    module_name = _SUITE_MODULE.format(layer=layer, dataset=dataset)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is not None and module_name.startswith(error.name):
            raise LookupError(
                f"no quality suites for {layer}.{dataset}: "
                f"quality/suites/{layer}/{dataset}.py does not exist"
            ) from error
        raise
    suites = {}
    for severity in SEVERITIES:
        suite = getattr(module, severity)()
        expected_name = f"{layer}.{dataset}.{severity}"
        # One name end to end (conventions section 2): the name is what
        # quarantine rows, data docs and asset checks refer to.
        if suite.name != expected_name:
            raise ValueError(
                f"{module_name}.{severity}() builds {suite.name!r}, not {expected_name!r}"
            )
        suites[severity] = suite
    return suites


def run_gate(frame: pl.DataFrame, dataset: str, *, layer: str = "raw") -> GateResult:
    """Validate a cleaned batch with its suites and split it into loaded and quarantined rows.

    Args:
        frame: The cleaned batch: lineage columns (at least ``_source_row``)
            plus the columns the dataset's suites check.
        dataset: Dataset name, e.g. ``household_residents``.
        layer: Layer whose suites apply.

    Returns:
        The split, the per-expectation outcomes and the warning flags.

    Raises:
        BatchRefused: The frame lacks a column the suites or the lineage need,
            GX could not evaluate an expectation, or a critical expectation
            without per-row results failed.
        LookupError: There are no suites for the dataset.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    suites = load_suites(dataset, layer=layer)
    critical, warning = suites["critical"], suites["warning"]
    columns = _columns_checked(critical, warning)
    missing = _missing(frame, ["_source_row", *columns])
    if missing:
        # Checked here as well as in check_batch: GX would otherwise report a
        # missing column as an exception per expectation, not as a schema.
        raise BatchRefused(_unknown_schema_message(frame, dataset, missing))
    timings["load_suites"] = time.perf_counter() - started

    started = time.perf_counter()
    pandas_frame = _to_pandas(frame, columns)
    timings["to_pandas"] = time.perf_counter() - started

    started = time.perf_counter()
    critical_result = _validate(pandas_frame, critical, _COMPLETE)
    timings["validate_critical"] = time.perf_counter() - started
    _refuse_unjudgeable(critical_result, dataset, blocking=True)

    started = time.perf_counter()
    critical_rules = [_rule(critical.name, result) for result in critical_result.results]
    first_failure = _first_failure(critical_result, frame.height)
    failed = first_failure >= 0
    passed = frame.filter(pl.Series(~failed))
    quarantined = _with_rule_and_reason(
        frame.filter(pl.Series(failed)),
        first_failure[failed],
        critical_result,
        critical_rules,
    )
    timings["split"] = time.perf_counter() - started

    started = time.perf_counter()
    if quarantined.height == 0:
        # Same rows as the run above, so its verdict stands; skipping the
        # second pass saves a full validation on clean batches.
        critical_success = bool(critical_result.success)
        passed_pandas = pandas_frame
    else:
        passed_pandas = pandas_frame[~failed].reset_index(drop=True)
        critical_success = bool(_validate(passed_pandas, critical, _BOOLEAN_ONLY).success)
    timings["recheck_critical"] = time.perf_counter() - started

    started = time.perf_counter()
    warning_result = _validate(passed_pandas, warning, _COMPLETE)
    timings["validate_warning"] = time.perf_counter() - started
    _refuse_unjudgeable(warning_result, dataset, blocking=False)

    started = time.perf_counter()
    warning_rules = [_rule(warning.name, result) for result in warning_result.results]
    warning_flags = _warning_flags(passed, warning_result, warning_rules)
    outcomes = [
        _outcome(critical.name, rule, result)
        for rule, result in zip(critical_rules, critical_result.results)
    ] + [
        _outcome(warning.name, rule, result)
        for rule, result in zip(warning_rules, warning_result.results)
    ]
    timings["flags"] = time.perf_counter() - started

    return GateResult(
        passed=passed,
        quarantined=quarantined,
        critical_success=critical_success,
        expectation_results=outcomes,
        warning_flags=warning_flags,
        dataset=dataset,
        layer=layer,
        validation_results={
            critical.name: _sampled(critical_result, frame["_source_row"]),
            warning.name: _sampled(warning_result, passed["_source_row"]),
        },
        suites=[critical, warning],
        timings=timings,
    )


# --- GX plumbing -------------------------------------------------------------

_context_lock = threading.Lock()
_batch_definition: Any = None


def _gx_batch_definition() -> Any:
    """Return the whole-dataframe batch definition of the process's ephemeral context.

    Created on first use and then reused, under a lock so that threads of one
    process do not register the data source twice.
    """
    global _batch_definition
    with _context_lock:
        if _batch_definition is None:
            context = gx.get_context(
                mode="ephemeral",
                project_config=DataContextConfig(
                    store_backend_defaults=InMemoryStoreBackendDefaults(),
                    analytics_enabled=False,
                    # tqdm bars would spam the orchestrator's logs per batch.
                    progress_bars=ProgressBarsConfig(globally=False),
                ),
            )
            asset = context.data_sources.add_pandas("sharehouse_gate").add_dataframe_asset("batch")
            _batch_definition = asset.add_batch_definition_whole_dataframe("whole_batch")
        return _batch_definition


def _validate(
    pandas_frame: Any, suite: gx.ExpectationSuite, result_format: dict[str, Any]
) -> ExpectationSuiteValidationResult:
    batch = _gx_batch_definition().get_batch(batch_parameters={"dataframe": pandas_frame})
    return batch.validate(suite, result_format=result_format)


def _columns_checked(*suites: gx.ExpectationSuite) -> list[str]:
    columns: list[str] = []
    for suite in suites:
        for expectation in suite.expectations:
            for key in ("column", "column_A", "column_B"):
                column = getattr(expectation, key, None)
                if isinstance(column, str) and column not in columns:
                    columns.append(column)
            for column in getattr(expectation, "column_list", None) or []:
                if column not in columns:
                    columns.append(column)
    return columns


def _to_pandas(frame: pl.DataFrame, columns: Sequence[str]) -> Any:
    """Convert the checked columns to pandas in the form GX compares fastest.

    Dates become nanosecond timestamps because GX's vectorised range check
    only takes ``datetime64[ns]`` columns (any other unit falls back to one
    Python call per value). Nanoseconds cover 1677 to 2262 only, so values
    beyond (a mistyped year such as 1019 or 2919) are clipped to 1678-01-01 and
    2261-12-31 first: compared with any bound between those dates they give
    the same answer, and the quarantined or flagged row keeps its real value.
    """
    low, high = dt.datetime(1678, 1, 1), dt.datetime(2261, 12, 31)
    casts = []
    for column in columns:
        dtype = frame.schema[column]
        if dtype == pl.Date or (isinstance(dtype, pl.Datetime) and dtype.time_zone is None):
            casts.append(
                pl.col(column).cast(pl.Datetime("us")).clip(low, high).cast(pl.Datetime("ns"))
            )
    return frame.select(columns).with_columns(casts).to_pandas()


def _refuse_unjudgeable(
    result: ExpectationSuiteValidationResult, dataset: str, *, blocking: bool
) -> None:
    """Refuse the batch when its rows cannot be judged one by one.

    That is when GX could not evaluate an expectation (without this check it
    would look like a failure with no failing rows, and every row would load
    unjudged), or, for a blocking suite, when an expectation without per-row
    results (a table-level one, such as a row count) fails.
    """
    for outcome in result.results:
        config = outcome.expectation_config
        expectation = f"{config.type}({config.kwargs.get('column') or ''})"
        message = _exception_message(outcome.exception_info)
        if message is not None:
            raise BatchRefused(
                f"{dataset}: {result.suite_name} could not evaluate {expectation}: {message}"
            )
        per_row = "unexpected_index_list" in (outcome.result or {})
        if blocking and not outcome.success and not per_row:
            raise BatchRefused(
                f"{dataset}: {result.suite_name} fails {expectation} for the batch as a whole"
            )


def _exception_message(exception_info: Any) -> str | None:
    """Return the first exception message in GX's exception_info, if any.

    GX puts ``raised_exception`` at the top level when the expectation itself
    failed, and one such dict per metric when a metric failed to compute.
    """
    if not isinstance(exception_info, dict):
        return None
    candidates = [exception_info, *exception_info.values()]
    for info in candidates:
        if isinstance(info, dict) and info.get("raised_exception"):
            return str(info.get("exception_message") or "unknown error")
    return None


def _sampled(
    suite_result: ExpectationSuiteValidationResult, source_rows: pl.Series
) -> ExpectationSuiteValidationResult:
    """Copy a COMPLETE result with its row lists cut to a sample named by ``_source_row``."""
    results = []
    for result in suite_result.results:
        details = dict(result.result or {})
        positions = _failing_positions(result)[:SAMPLED_FAILURES]
        if "unexpected_index_list" in details:
            column = result.expectation_config.kwargs.get("column")
            values = (details.get("unexpected_list") or [])[:SAMPLED_FAILURES]
            rows = source_rows.gather(positions).to_list() if positions.size else []
            details["unexpected_index_list"] = [
                {column: value, "_source_row": row} for value, row in zip(values, rows)
            ]
            details["partial_unexpected_index_list"] = details["unexpected_index_list"]
            details["unexpected_list"] = values
            details["unexpected_index_column_names"] = ["_source_row"]
        results.append(
            ExpectationValidationResult(
                success=result.success,
                expectation_config=result.expectation_config,
                result=details,
                meta=result.meta,
                exception_info=result.exception_info,
            )
        )
    return ExpectationSuiteValidationResult(
        success=suite_result.success,
        results=results,
        suite_name=suite_result.suite_name,
        suite_parameters=suite_result.suite_parameters,
        statistics=suite_result.statistics,
        meta=suite_result.meta,
        batch_id=suite_result.batch_id,
    )


# --- rules, reasons, flags ---------------------------------------------------


def _rule(suite_name: str, result: Any) -> str:
    """Name an expectation readably, e.g. ``raw.deaths.critical:expect_..._null(death_date)``."""
    config = result.expectation_config
    return f"{suite_name}:{config.type}({config.kwargs.get('column') or ''})"


def _failing_positions(result: Any) -> np.ndarray:
    positions = (result.result or {}).get("unexpected_index_list") or []
    return np.asarray(positions, dtype=np.int64)


def _first_failure(suite_result: ExpectationSuiteValidationResult, height: int) -> np.ndarray:
    """Return, per row, the index of the first critical expectation it broke, or -1."""
    first = np.full(height, -1, dtype=np.int64)
    for index, result in enumerate(suite_result.results):
        positions = _failing_positions(result)
        if positions.size:
            untouched = positions[first[positions] < 0]
            first[untouched] = index
    return first


def _with_rule_and_reason(
    failed_rows: pl.DataFrame,
    rule_index: np.ndarray,
    suite_result: ExpectationSuiteValidationResult,
    rules: list[str],
) -> pl.DataFrame:
    rule_index_series = pl.Series("__rule_index", rule_index, dtype=pl.Int64)
    reason = pl.lit(None, dtype=pl.String)
    for index, result in enumerate(suite_result.results):
        reason = (
            pl.when(pl.col("__rule_index") == index)
            .then(_reason(result.expectation_config))
            .otherwise(reason)
        )
    rule = pl.Series("rule", [rules[i] for i in rule_index], dtype=pl.String)
    return (
        failed_rows.with_columns(rule_index_series, rule)
        .with_columns(reason.alias("reason"))
        .drop("__rule_index")
    )


def _warning_flags(
    passed: pl.DataFrame, suite_result: ExpectationSuiteValidationResult, rules: list[str]
) -> pl.DataFrame:
    identity = [column for column in ROW_IDENTITY_COLUMNS if column in passed.columns]
    parts = []
    for order, (rule, result) in enumerate(zip(rules, suite_result.results)):
        positions = _failing_positions(result)
        if positions.size:
            parts.append(
                passed[positions].select(
                    pl.Series("__position", positions),
                    *identity,
                    pl.lit(order).alias("__order"),
                    pl.lit(rule).alias("rule"),
                    _reason(result.expectation_config).alias("reason"),
                )
            )
    if not parts:
        return passed.head(0).select(
            *identity,
            pl.lit(None, dtype=pl.String).alias("rule"),
            pl.lit(None, dtype=pl.String).alias("reason"),
        )
    return pl.concat(parts).sort("__position", "__order").drop("__position", "__order")


def _outcome(suite_name: str, rule: str, result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    notes = config.notes
    note = " ".join(notes) if isinstance(notes, list) else notes
    return ExpectationOutcome(
        suite=suite_name,
        rule=rule,
        expectation_type=config.type,
        column=config.kwargs.get("column"),
        success=bool(result.success),
        unexpected_count=int(details.get("unexpected_count") or 0),
        element_count=int(details.get("element_count") or 0),
        note=note,
    )


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(item) for item in value)
    return str(value)


def _range_text(kwargs: dict[str, Any]) -> str:
    """Say which values a between-expectation accepts, in words that suit dates or numbers."""
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    temporal = isinstance(low, dt.date) or isinstance(high, dt.date)
    if temporal:
        above = "after" if kwargs.get("strict_min") else "on or after"
        below = "before" if kwargs.get("strict_max") else "on or before"
    else:
        above = "greater than" if kwargs.get("strict_min") else "at least"
        below = "less than" if kwargs.get("strict_max") else "at most"
    if low is not None and high is not None:
        if (above, below) == ("at least", "at most"):
            return f"between {_text(low)} and {_text(high)}"
        return f"{above} {_text(low)} and {below} {_text(high)}"
    if low is not None:
        return f"{above} {_text(low)}"
    return f"{below} {_text(high)}"


# Sentence templates per expectation type; `{value}` is the row's value. A
# suite can override one with `meta={"reason": "..."}` on the expectation.
_REASONS: dict[str, Callable[[str, dict[str, Any]], str]] = {
    "expect_column_values_to_not_be_null": lambda c, k: f"{c} is empty",
    "expect_column_values_to_be_null": lambda c, k: f"{c} is '{{value}}' but must be empty",
    "expect_column_values_to_match_regex": lambda c, k: (
        f"{c} '{{value}}' does not match {k.get('regex')}"
    ),
    "expect_column_values_to_be_in_set": lambda c, k: (
        f"{c} '{{value}}' is not one of {_text(k.get('value_set'))}"
    ),
    "expect_column_values_to_be_between": lambda c, k: (
        f"{c} {{value}} is not {_range_text(k)}"
    ),
}


def _reason(config: Any) -> pl.Expr:
    """Build the per-row reason sentence for a failed expectation as a polars expression."""
    column = config.kwargs.get("column")
    template = (config.meta or {}).get("reason")
    if template is None:
        render = _REASONS.get(config.type)
        template = render(column, config.kwargs) if render else f"{column} fails {config.type}"
    pieces = template.replace("{column}", str(column)).split("{value}")
    if len(pieces) == 1 or column is None:
        return pl.lit(pieces[0].replace("{value}", ""))
    value = pl.col(column).cast(pl.String).fill_null("")
    parts: list[pl.Expr] = [pl.lit(pieces[0])]
    for piece in pieces[1:]:
        parts.extend([value, pl.lit(piece)])
    return pl.concat_str(parts)
