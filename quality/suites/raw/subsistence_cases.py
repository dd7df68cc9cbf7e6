"""Expectation suites for the cleaned frame of ``raw_civil_affairs.subsistence_cases``.

The frame is what the civil-affairs cleaner produces from
``/api/v1/subsistence`` before loading: lineage columns plus ``case_number``,
``head_id_number_issue``, ``member_count`` (null when ``members`` was
unreadable), ``member_invalid_id_count``, ``monthly_amount``
(Decimal yuan), ``start_date`` (Date) and ``status_code`` (``active``/``stopped``).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import ID_NUMBER_ISSUE_REASON, MAX_MONTHLY_ALLOWANCE, PARTY_ID_NUMBER_NOTE


def critical() -> gx.ExpectationSuite:
    """Build ``raw.subsistence_cases.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.subsistence_cases.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="case_number",
                notes="caseNo is the record key (source-systems.md section 6). The "
                "head's identity number is not critical: a household receives the "
                "allowance whoever heads it (see the warning suite).",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.subsistence_cases.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.subsistence_cases.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(
                column="head_id_number_issue",
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "the household head's " + ID_NUMBER_ISSUE_REASON.removeprefix("the ")},
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="member_count",
                severity="warning",
                notes="members is null only when the API delivered something that is "
                "not a JSON list of members (e.g. names as one string): the household's "
                "members are then unknown, its raw text kept for repair.",
                meta={"reason": "members is not a readable list of members"},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="member_invalid_id_count",
                max_value=0,
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "{value} member identity number(s) are not valid"},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="monthly_amount",
                min_value=0,
                max_value=MAX_MONTHLY_ALLOWANCE,
                severity="warning",
                notes="A household's monthly allowance in yuan; a negative or huge "
                "amount is a typing error (see thresholds.MAX_MONTHLY_ALLOWANCE).",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="status_code",
                severity="warning",
                notes="status is 在保 (active) or 停保 (stopped); another value leaves "
                "unknown whether the household still receives the allowance.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="start_date",
                severity="warning",
                notes="Without startDate the case cannot be counted in a month.",
            ),
        ],
    )
