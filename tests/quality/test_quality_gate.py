"""The gate's contract: how it splits, names, counts, flags and refuses."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from quality_batches import DATASETS, cleaned_batch

from quality import gate
from quality.gate import BatchRefused, check_batch, load_suites, run_gate

HOUSEHOLD_CRITICAL = "raw.household_residents.critical"


def test_run_gate_keeps_row_order_and_columns_of_passed_rows(batch) -> None:
    frame = batch("household_residents", {}, {"record_id": None}, {}, {"record_id": None}, {})

    result = run_gate(frame, "household_residents")

    assert result.passed.columns == frame.columns
    assert result.passed.schema == frame.schema
    assert result.passed["_source_row"].to_list() == [1, 3, 5]


def test_run_gate_quarantines_original_values_with_rule_and_reason(batch) -> None:
    frame = batch("household_residents", {}, {"division_code": "1101050010", "name": "李 四"})

    result = run_gate(frame, "household_residents")

    assert result.quarantined.columns == [*frame.columns, "rule", "reason"]
    row = result.quarantined.row(0, named=True)
    assert row["name"] == "李 四"
    assert row["division_code"] == "1101050010"
    assert row["rule"] == (
        f"{HOUSEHOLD_CRITICAL}:expect_column_values_to_match_regex(division_code)"
    )
    assert row["reason"] == r"division_code '1101050010' does not match ^[0-9]{12}\Z"


def test_run_gate_quarantines_a_row_failing_several_rules_once_with_the_first_rule(batch) -> None:
    frame = batch(
        "household_residents",
        {"record_id": None, "id_number_issue": "missing", "division_code": "x"},
        {"id_number_issue": "bad_characters", "division_code": "x"},
    )

    result = run_gate(frame, "household_residents")

    assert result.quarantined.select("_source_row", "rule", "reason").rows() == [
        (
            1,
            f"{HOUSEHOLD_CRITICAL}:expect_column_values_to_not_be_null(record_id)",
            "record_id is empty",
        ),
        (
            2,
            f"{HOUSEHOLD_CRITICAL}:expect_column_values_to_be_null(id_number_issue)",
            "the identity number is not valid (bad_characters)",
        ),
    ]
    assert result.passed.height == 0
    assert result.pass_rate() == 0.0


def test_run_gate_splits_by_position_when_source_rows_repeat_across_files() -> None:
    # One batch can hold several delivered files, each numbering rows from 1.
    first_file, second_file = "房屋基础信息_增量_20261101.csv", "房屋基础信息_增量_20261102.csv"
    first = cleaned_batch("house_units", {}, {"unit_code": None}, source=first_file)
    second = cleaned_batch("house_units", {}, {}, source=second_file)
    frame = pl.concat([first, second])

    result = run_gate(frame, "house_units")

    assert result.quarantined.select("_source", "_source_row").rows() == [(first_file, 2)]
    assert result.passed.height == 3


def test_run_gate_reports_every_expectation_of_both_suites(batch) -> None:
    in_a_month = dt.date.today() + dt.timedelta(days=30)
    frame = batch("deaths", {}, {"death_date": None}, {"death_date": in_a_month})

    result = run_gate(frame, "deaths")

    outcomes = {(o.suite, o.expectation_type, o.column): o for o in result.expectation_results}
    assert len(outcomes) == len(result.expectation_results) == 4
    death_date_missing = outcomes[
        ("raw.deaths.critical", "expect_column_values_to_not_be_null", "death_date")
    ]
    assert (death_date_missing.success, death_date_missing.unexpected_count) == (False, 1)
    assert death_date_missing.element_count == 3
    assert "cannot be placed in time" in death_date_missing.note
    in_future = outcomes[("raw.deaths.warning", "expect_column_values_to_be_between", "death_date")]
    # Warning expectations see only the rows that load.
    assert (in_future.success, in_future.unexpected_count, in_future.element_count) == (False, 1, 2)
    assert result.critical_success is True
    assert result.warning_flags.rows() == [
        (
            "delivery.csv",
            3,
            "raw.deaths.warning:expect_column_values_to_be_between(death_date)",
            f"death_date {in_a_month} is not on or before {dt.date.today()}",
        )
    ]


def test_run_gate_lists_one_warning_flag_per_broken_warning_expectation(batch) -> None:
    frame = batch("household_residents", {"gender_code": "男", "birth_date": None}, {})

    result = run_gate(frame, "household_residents")

    assert result.warning_flags.columns == ["_source", "_source_row", "rule", "reason"]
    assert result.warning_flags.select("_source_row", "reason").rows() == [
        (1, "gender_code '男' is not one of 1, 2, 0, 9"),
        (1, "birth_date is empty"),
    ]
    assert result.passed.height == 2


def test_run_gate_judges_an_empty_frame_without_failing(batch) -> None:
    frame = batch("deaths").clear()

    result = run_gate(frame, "deaths")

    assert result.passed.height == result.quarantined.height == 0
    assert result.pass_rate() == 1.0


def test_run_gate_refuses_a_frame_without_a_checked_column(batch) -> None:
    frame = batch("house_units").drop("use_code")

    with pytest.raises(BatchRefused, match=r"house_units: unknown schema.*use_code"):
        run_gate(frame, "house_units")


def test_run_gate_refuses_a_batch_when_gx_cannot_evaluate_an_expectation(batch) -> None:
    # A death date left as text cannot be compared with a date: the cleaner's
    # contract is broken, so no row can be judged.
    frame = batch("deaths").with_columns(pl.col("death_date").cast(pl.String))

    with pytest.raises(BatchRefused, match=r"deaths: raw.deaths.warning could not evaluate"):
        run_gate(frame, "deaths")


def test_run_gate_rejects_a_dataset_without_suites(batch) -> None:
    with pytest.raises(LookupError, match="quality/suites/raw/hospital_visits.py does not exist"):
        run_gate(batch("deaths"), "hospital_visits")


def test_run_gate_keeps_sampled_gx_results_naming_source_rows(batch) -> None:
    frame = batch("deaths", *({"death_date": None} for _ in range(30)))

    result = run_gate(frame, "deaths")

    critical = result.validation_results["raw.deaths.critical"]
    missing_date = critical.results[2].result
    assert missing_date["unexpected_count"] == 30
    assert [row["_source_row"] for row in missing_date["unexpected_index_list"][:3]] == [1, 2, 3]
    assert missing_date["unexpected_index_column_names"] == ["_source_row"]
    assert len(missing_date["unexpected_index_list"]) == gate.SAMPLED_FAILURES
    assert set(result.validation_results) == {"raw.deaths.critical", "raw.deaths.warning"}


def test_run_gate_reuses_one_gx_context_per_process(batch) -> None:
    run_gate(batch("deaths"), "deaths")
    first = gate._gx_batch_definition()
    run_gate(batch("house_units"), "house_units")

    assert gate._gx_batch_definition() is first


@pytest.mark.parametrize("dataset", DATASETS)
def test_suites_are_named_by_layer_dataset_and_severity_and_carry_notes(dataset: str) -> None:
    suites = load_suites(dataset)

    assert {severity: suite.name for severity, suite in suites.items()} == {
        "critical": f"raw.{dataset}.critical",
        "warning": f"raw.{dataset}.warning",
    }
    for suite in suites.values():
        assert suite.expectations, f"{suite.name} is empty"
        for expectation in suite.expectations:
            assert expectation.notes, f"{suite.name}: {expectation.expectation_type} has no note"


def test_warning_suites_carry_gx_warning_severity() -> None:
    for dataset in DATASETS:
        suites = load_suites(dataset)
        assert {e.severity.value for e in suites["critical"].expectations} == {"critical"}
        assert {e.severity.value for e in suites["warning"].expectations} == {"warning"}


def test_check_batch_refuses_an_empty_delivery(batch) -> None:
    empty = batch("household_residents").clear()

    with pytest.raises(BatchRefused, match="household_residents: empty delivery"):
        check_batch(empty, "household_residents", expected_columns=["record_id"])


def test_check_batch_refuses_a_batch_missing_expected_columns(batch) -> None:
    # A renamed header (身份证号 -> 公民身份号码) leaves the column unmapped.
    frame = batch("community_corrections").drop("id_number")

    expected = r"community_corrections: unknown schema.*lacks expected column\(s\) id_number"
    with pytest.raises(BatchRefused, match=expected):
        check_batch(frame, "community_corrections", expected_columns=["serial_number", "id_number"])


def test_check_batch_accepts_a_batch_with_rows_and_expected_columns(batch) -> None:
    frame = batch("community_corrections")

    check_batch(frame, "community_corrections", expected_columns=["serial_number", "id_number"])


@pytest.mark.parametrize(
    ("dataset", "bad", "reason"),
    [
        ("house_units", {"floor_area": 3.0}, "floor_area 3.0 is not between 5.0 and 2000.0"),
        (
            "house_units",
            {"use_code": "住宅"},
            "use_code '住宅' is not one of residential, commercial, office, other",
        ),
        (
            "household_residents",
            {"birth_date": dt.date(1900, 1, 1)},
            f"birth_date 1900-01-01 is not after 1900-01-01 and on or before {dt.date.today()}",
        ),
        ("community_corrections", {"start_date": None}, "start_date is empty"),
    ],
)
def test_warning_flags_explain_the_broken_expectation_in_a_sentence(
    batch, dataset: str, bad: dict, reason: str
) -> None:
    result = run_gate(batch(dataset, bad), dataset)

    assert result.warning_flags["reason"].to_list() == [reason]
