"""Each suite, with one passing and one failing input per expectation.

Conventions section 5: a suite that cannot fail must be caught. The case table
below breaks every expectation of every suite at least once, and
``test_every_expectation_is_broken_by_some_case`` checks that it does.
"""

from __future__ import annotations

import datetime as dt

import pytest
from quality_batches import DATASETS, cleaned_batch

from quality.gate import load_suites, run_gate

TOMORROW = dt.date.today() + dt.timedelta(days=1)

NOT_NULL = "expect_column_values_to_not_be_null"
IS_NULL = "expect_column_values_to_be_null"
REGEX = "expect_column_values_to_match_regex"
IN_SET = "expect_column_values_to_be_in_set"
BETWEEN = "expect_column_values_to_be_between"


def rule(dataset: str, severity: str, expectation_type: str, column: str) -> str:
    return f"raw.{dataset}.{severity}:{expectation_type}({column})"


RESIDENTS, DEATHS = "household_residents", "deaths"
UNITS, CORRECTIONS = "house_units", "community_corrections"
ID_ISSUES = ["missing", "bad_length", "bad_characters", "bad_birth_date", "bad_check_character"]

# (dataset, severity, what the bad row differs in, (expectation type, column) it breaks)
CASES = [
    (RESIDENTS, "critical", {"record_id": None}, (NOT_NULL, "record_id")),
    *(
        (RESIDENTS, "critical", {"id_number_issue": issue}, (IS_NULL, "id_number_issue"))
        for issue in ID_ISSUES
    ),
    (RESIDENTS, "critical", {"division_code": "11010500100"}, (REGEX, "division_code")),
    (RESIDENTS, "critical", {"division_code": "１１０１０５００１００１"}, (REGEX, "division_code")),
    (RESIDENTS, "critical", {"division_code": "11010500100A"}, (REGEX, "division_code")),
    (RESIDENTS, "critical", {"division_code": "110105001001\n"}, (REGEX, "division_code")),
    (RESIDENTS, "warning", {"gender_code": "男"}, (IN_SET, "gender_code")),
    (RESIDENTS, "warning", {"birth_date": None}, (NOT_NULL, "birth_date")),
    (RESIDENTS, "warning", {"birth_date": dt.date(1900, 1, 1)}, (BETWEEN, "birth_date")),
    (RESIDENTS, "warning", {"birth_date": dt.date(1019, 5, 4)}, (BETWEEN, "birth_date")),
    (RESIDENTS, "warning", {"birth_date": TOMORROW}, (BETWEEN, "birth_date")),
    (RESIDENTS, "warning", {"birth_date": dt.date(2919, 5, 4)}, (BETWEEN, "birth_date")),
    (RESIDENTS, "warning", {"registered_date": None}, (NOT_NULL, "registered_date")),
    (DEATHS, "critical", {"record_number": None}, (NOT_NULL, "record_number")),
    (DEATHS, "critical", {"id_number_issue": "bad_check_character"}, (IS_NULL, "id_number_issue")),
    (DEATHS, "critical", {"death_date": None}, (NOT_NULL, "death_date")),
    (DEATHS, "warning", {"death_date": TOMORROW}, (BETWEEN, "death_date")),
    (UNITS, "critical", {"unit_code": None}, (NOT_NULL, "unit_code")),
    (UNITS, "critical", {"division_code": "1101050010"}, (REGEX, "division_code")),
    (UNITS, "warning", {"floor_area": 3.0}, (BETWEEN, "floor_area")),
    (UNITS, "warning", {"floor_area": 8950.0}, (BETWEEN, "floor_area")),
    (UNITS, "warning", {"use_code": "住宅"}, (IN_SET, "use_code")),
    (CORRECTIONS, "critical", {"id_number_issue": "missing"}, (IS_NULL, "id_number_issue")),
    (CORRECTIONS, "critical", {"serial_number": None, "name": "合计"}, (NOT_NULL, "serial_number")),
    (CORRECTIONS, "warning", {"start_date": None}, (NOT_NULL, "start_date")),
    (CORRECTIONS, "warning", {"correction_type": "监外执行"}, (IN_SET, "correction_type")),
]


def case_id(case: tuple) -> str:
    dataset, severity, bad, (expectation_type, column) = case
    return f"{dataset}-{severity}-{column}-{'-'.join(str(value) for value in bad.values())}"


@pytest.mark.parametrize("dataset", DATASETS)
def test_clean_batch_passes_every_suite_and_quarantines_nothing(dataset: str) -> None:
    frame = cleaned_batch(dataset, rows=5)

    result = run_gate(frame, dataset)

    assert result.quarantined.height == 0
    assert result.passed.equals(frame)
    assert result.warning_flags.height == 0
    assert result.critical_success is True
    assert all(outcome.success for outcome in result.expectation_results)
    assert result.pass_rate() == 1.0


@pytest.mark.parametrize("case", [case for case in CASES if case[1] == "critical"], ids=case_id)
def test_critical_suite_quarantines_only_the_bad_row_with_its_rule(case: tuple) -> None:
    dataset, severity, bad, (expectation_type, column) = case
    frame = cleaned_batch(dataset, {}, bad, {})

    result = run_gate(frame, dataset)

    assert result.quarantined["_source_row"].to_list() == [2]
    assert result.quarantined["rule"].to_list() == [
        rule(dataset, severity, expectation_type, column)
    ]
    assert result.passed["_source_row"].to_list() == [1, 3]
    assert result.critical_success is True


@pytest.mark.parametrize("case", [case for case in CASES if case[1] == "warning"], ids=case_id)
def test_warning_suite_flags_the_bad_row_and_still_loads_it(case: tuple) -> None:
    dataset, severity, bad, (expectation_type, column) = case
    frame = cleaned_batch(dataset, {}, bad, {})

    result = run_gate(frame, dataset)

    assert result.quarantined.height == 0
    assert result.passed.equals(frame)
    assert result.warning_flags.select("_source_row", "rule").rows() == [
        (2, rule(dataset, severity, expectation_type, column))
    ]


def test_every_expectation_is_broken_by_some_case() -> None:
    broken = {(dataset, severity, expected) for dataset, severity, _, expected in CASES}
    for dataset in DATASETS:
        for severity, suite in load_suites(dataset).items():
            for expectation in suite.expectations:
                key = (dataset, severity, (expectation.expectation_type, expectation.column))
                assert key in broken, f"no failing input for {suite.name}: {key[2]}"


def test_household_residents_critical_quarantines_rows_without_valid_id(batch) -> None:
    frame = batch(
        "household_residents",
        {},
        {"id_number": None, "id_number_issue": "missing"},
        {"id_number": "11010519491231002", "id_number_issue": "bad_length"},
        {"id_number": "11010519491231003X", "id_number_issue": "bad_check_character"},
    )

    result = run_gate(frame, "household_residents")

    assert result.passed["_source_row"].to_list() == [1]
    assert result.quarantined.select("_source_row", "reason").rows() == [
        (2, "the identity number is not valid (missing)"),
        (3, "the identity number is not valid (bad_length)"),
        (4, "the identity number is not valid (bad_check_character)"),
    ]


def test_household_residents_warning_accepts_a_birth_date_of_today(batch) -> None:
    frame = batch("household_residents", {"birth_date": dt.date.today()})

    result = run_gate(frame, "household_residents")

    assert result.warning_flags.height == 0


def test_house_units_critical_leaves_duplicate_unit_codes_to_the_cleaner(batch) -> None:
    # Deduplication happens before the gate; a batch-level uniqueness check
    # here would quarantine both copies of a row delivered twice.
    frame = batch("house_units", {}, {})

    result = run_gate(frame, "house_units")

    assert result.passed.height == 2


def test_division_code_regex_lets_an_empty_code_load(batch) -> None:
    # GX's regex expectations skip nulls; the suites note this on purpose
    # (see DIVISION_CODE_NOTE) rather than quarantining rows without a code.
    frame = batch("house_units", {"division_code": None})

    result = run_gate(frame, "house_units")

    assert result.passed.height == 1
