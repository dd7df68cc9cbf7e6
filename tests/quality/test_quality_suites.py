"""Each suite, with one passing and one failing input per expectation.

Conventions section 5: a suite that cannot fail must be caught. The case table
below breaks every expectation of every suite at least once, and
``test_every_expectation_is_broken_by_some_case`` checks that it does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
FLOATING, INCIDENTS = "floating_residents", "incidents"
MARRIAGES, SUBSISTENCE, ORGANIZATIONS = "marriages", "subsistence_cases", "organizations"
RENTALS, MEDIATION, RESETTLEMENT = "rental_registrations", "mediation_cases", "resettlement_cases"
IN_AN_HOUR = dt.datetime.now() + dt.timedelta(days=1, hours=1)
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
    (FLOATING, "critical", {"record_id": None}, (NOT_NULL, "record_id")),
    (FLOATING, "critical", {"id_number_issue": "bad_check_character"}, (IS_NULL, "id_number_issue")),
    (FLOATING, "warning", {"gender_code": "女"}, (IN_SET, "gender_code")),
    (FLOATING, "warning", {"birth_date": dt.date(1900, 1, 1)}, (BETWEEN, "birth_date")),
    (FLOATING, "warning", {"registered_date": None}, (NOT_NULL, "registered_date")),
    (FLOATING, "warning", {"valid_until_date": None}, (NOT_NULL, "valid_until_date")),
    (FLOATING, "warning", {"residence_reason_code": None}, (NOT_NULL, "residence_reason_code")),
    (INCIDENTS, "critical", {"record_id": None}, (NOT_NULL, "record_id")),
    (INCIDENTS, "warning", {"category_code": "07"}, (IN_SET, "category_code")),
    (INCIDENTS, "warning", {"reported_at": None}, (NOT_NULL, "reported_at")),
    (INCIDENTS, "warning", {"reported_at": IN_AN_HOUR}, (BETWEEN, "reported_at")),
    (INCIDENTS, "warning", {"longitude": 30.2}, (BETWEEN, "longitude")),
    (INCIDENTS, "warning", {"latitude": 120.1}, (BETWEEN, "latitude")),
    (INCIDENTS, "warning", {"outcome": "办结"}, (IN_SET, "outcome")),
    (INCIDENTS, "warning", {"involved_invalid_id_count": 1}, (BETWEEN, "involved_invalid_id_count")),
    (MARRIAGES, "critical", {"registration_number": None}, (NOT_NULL, "registration_number")),
    (MARRIAGES, "warning", {"male_id_number": None, "male_id_number_issue": "missing"}, (IS_NULL, "male_id_number_issue")),
    (MARRIAGES, "warning", {"female_id_number_issue": "bad_check_character"}, (IS_NULL, "female_id_number_issue")),
    (MARRIAGES, "warning", {"registration_type_code": None}, (NOT_NULL, "registration_type_code")),
    (MARRIAGES, "warning", {"registration_date": None}, (NOT_NULL, "registration_date")),
    (MARRIAGES, "warning", {"registration_date": TOMORROW}, (BETWEEN, "registration_date")),
    (SUBSISTENCE, "critical", {"case_number": None}, (NOT_NULL, "case_number")),
    (SUBSISTENCE, "warning", {"head_id_number_issue": "bad_length"}, (IS_NULL, "head_id_number_issue")),
    (SUBSISTENCE, "warning", {"member_count": None}, (NOT_NULL, "member_count")),
    (SUBSISTENCE, "warning", {"member_invalid_id_count": 2}, (BETWEEN, "member_invalid_id_count")),
    (SUBSISTENCE, "warning", {"monthly_amount": Decimal("125050.00")}, (BETWEEN, "monthly_amount")),
    (SUBSISTENCE, "warning", {"monthly_amount": Decimal("-1.00")}, (BETWEEN, "monthly_amount")),
    (SUBSISTENCE, "warning", {"status_code": None}, (NOT_NULL, "status_code")),
    (SUBSISTENCE, "warning", {"start_date": None}, (NOT_NULL, "start_date")),
    (ORGANIZATIONS, "critical", {"credit_code": None}, (NOT_NULL, "credit_code")),
    (ORGANIZATIONS, "warning", {"credit_code_issue": "bad_check_character"}, (IS_NULL, "credit_code_issue")),
    (ORGANIZATIONS, "warning", {"org_type": "协会"}, (IN_SET, "org_type")),
    (ORGANIZATIONS, "warning", {"status_code": None}, (NOT_NULL, "status_code")),
    (
        ORGANIZATIONS, "warning", {"legal_representative_id_number_issue": "missing"},
        (IS_NULL, "legal_representative_id_number_issue"),
    ),
    (ORGANIZATIONS, "warning", {"founded_date": TOMORROW}, (BETWEEN, "founded_date")),
    (RENTALS, "critical", {"registration_number": None}, (NOT_NULL, "registration_number")),
    (RENTALS, "warning", {"unit_reference": None}, (NOT_NULL, "unit_reference")),
    (RENTALS, "warning", {"landlord_type": "unknown"}, (IN_SET, "landlord_type")),
    (RENTALS, "warning", {"tenant_count": 0}, (BETWEEN, "tenant_count")),
    (RENTALS, "warning", {"tenant_invalid_id_count": 1}, (BETWEEN, "tenant_invalid_id_count")),
    (RENTALS, "warning", {"tenant_missing_id_count": 1}, (BETWEEN, "tenant_missing_id_count")),
    (RENTALS, "warning", {"monthly_rent": Decimal("35000000.00")}, (BETWEEN, "monthly_rent")),
    (RENTALS, "warning", {"start_date": None}, (NOT_NULL, "start_date")),
    (MEDIATION, "critical", {"case_number": None}, (NOT_NULL, "case_number")),
    (MEDIATION, "warning", {"accepted_date": None}, (NOT_NULL, "accepted_date")),
    (MEDIATION, "warning", {"accepted_date": TOMORROW}, (BETWEEN, "accepted_date")),
    (MEDIATION, "warning", {"dispute_type": "邻里纠纷"}, (IN_SET, "dispute_type")),
    (MEDIATION, "warning", {"result_code": None}, (NOT_NULL, "result_code")),
    (MEDIATION, "warning", {"party_count": 0}, (BETWEEN, "party_count")),
    (MEDIATION, "warning", {"party_invalid_id_count": 1}, (BETWEEN, "party_invalid_id_count")),
    (MEDIATION, "warning", {"agreement_amount": Decimal("-5.00")}, (BETWEEN, "agreement_amount")),
    (RESETTLEMENT, "critical", {"id_number": None, "id_number_issue": "missing"}, (IS_NULL, "id_number_issue")),
    (RESETTLEMENT, "warning", {"release_date": None}, (NOT_NULL, "release_date")),
    (RESETTLEMENT, "warning", {"release_date": TOMORROW}, (BETWEEN, "release_date")),
    (RESETTLEMENT, "warning", {"status_code": None}, (NOT_NULL, "status_code")),
]


def _value_id(value: object) -> str:
    # Dates computed from today would make the test ids differ between test
    # workers (pytest-xdist refuses that): name them by what they are.
    if isinstance(value, (dt.date, dt.datetime)) and value > type(value).today():
        return "future"
    return str(value)


def case_id(case: tuple) -> str:
    dataset, severity, bad, (expectation_type, column) = case
    return f"{dataset}-{severity}-{column}-{'-'.join(_value_id(value) for value in bad.values())}"


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


@pytest.mark.parametrize(
    ("dataset", "party_issue"),
    [
        (MARRIAGES, {"female_id_number": None, "female_id_number_issue": "missing"}),
        (SUBSISTENCE, {"head_id_number_issue": "bad_check_character", "member_invalid_id_count": 1}),
        (RENTALS, {"landlord_type": "unknown", "tenant_invalid_id_count": 1, "tenant_missing_id_count": 1}),
        (MEDIATION, {"party_invalid_id_count": 2}),
        (INCIDENTS, {"involved_invalid_id_count": 1}),
    ],
)
def test_a_party_without_a_valid_id_never_quarantines_a_multi_person_record(dataset: str, party_issue: dict) -> None:
    frame = cleaned_batch(dataset, {}, party_issue)

    result = run_gate(frame, dataset)

    assert result.quarantined.height == 0
    assert result.passed.height == 2
    assert 2 in result.warning_flags["_source_row"].to_list()


@pytest.mark.parametrize("dataset", [FLOATING, RESETTLEMENT])
def test_a_one_person_record_without_a_valid_id_is_quarantined(dataset: str) -> None:
    frame = cleaned_batch(dataset, {}, {"id_number": None, "id_number_issue": "missing"})

    result = run_gate(frame, dataset)

    assert result.quarantined.select("_source_row", "reason").rows() == [
        (2, "the identity number is not valid (missing)")
    ]
