"""Expectation suites for the cleaned frame of ``raw_justice.resettlement_cases``.

The frame is what the justice cleaner produces from the 安置帮教 sheet before
loading: lineage columns plus ``id_number`` (canonical or null),
``id_number_issue``, ``release_date`` (Date) and ``status_code``
(``active``/``released``).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import ID_NUMBER_ISSUE_NOTE, ID_NUMBER_ISSUE_REASON, midnight_today


def critical() -> gx.ExpectationSuite:
    """Build ``raw.resettlement_cases.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.resettlement_cases.critical",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(
                column="id_number_issue",
                notes=ID_NUMBER_ISSUE_NOTE
                + " A resettlement row is about one released person and nothing else; "
                "the roster has no record number, so the person and release date are "
                "what identifies the case across months.",
                meta={"reason": ID_NUMBER_ISSUE_REASON},
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.resettlement_cases.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.resettlement_cases.warning",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="release_date",
                severity="warning",
                notes="Without 释放日期 the support period cannot be placed in time and "
                "two releases of one person are told apart only by the roster.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="release_date",
                max_value=midnight_today(),
                severity="warning",
                notes="A release in the future is a typing error.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="status_code",
                severity="warning",
                notes="帮教状态 is 在帮 or 已解除; another value leaves unknown whether "
                "support continues.",
            ),
        ],
    )
