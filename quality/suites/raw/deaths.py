"""Expectation suites for the cleaned frame of ``raw_civil_affairs.deaths``.

The frame is what the civil-affairs cleaner produces from ``/api/v1/deaths``
before loading: lineage columns plus ``record_number``, ``id_number``
(canonical or null), ``id_number_issue``, ``death_date`` (Date) and
``updated_at`` (Datetime).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import (
    ID_NUMBER_ISSUE_NOTE,
    ID_NUMBER_ISSUE_REASON,
    midnight_today,
)


def critical() -> gx.ExpectationSuite:
    """Build ``raw.deaths.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.deaths.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="record_number",
                notes="recordNo is the record key (source-systems.md section 6); "
                "corrections of a death registration arrive under the same number.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="id_number_issue",
                meta={"reason": ID_NUMBER_ISSUE_REASON},
                notes=ID_NUMBER_ISSUE_NOTE
                + " For a death this matters doubly: the record exists to mark a "
                "person deceased, which is impossible without knowing who.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="death_date",
                notes="A death without a date cannot be placed in time: the person's "
                "status history and the monthly population figures would be wrong.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.deaths.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.deaths.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(
                column="death_date",
                max_value=midnight_today(),
                severity="warning",
                notes="A death date in the future is a typing error (source-systems.md "
                "section 5); the death itself is still registered, so the row loads "
                "flagged. 'today' is taken when the suite is built.",
            ),
        ],
    )
