"""Expectation suites for the cleaned frame of ``raw_civil_affairs.marriages``.

The frame is what the civil-affairs cleaner produces from ``/api/v1/marriages``
before loading: lineage columns plus ``registration_number``,
``registration_type_code`` (``marriage``/``divorce``), ``registration_date``
(Date) and, per party, ``male_id_number``/``female_id_number`` (canonical or
null) with ``male_id_number_issue``/``female_id_number_issue``.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import ID_NUMBER_ISSUE_REASON, PARTY_ID_NUMBER_NOTE, midnight_today


def critical() -> gx.ExpectationSuite:
    """Build ``raw.marriages.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.marriages.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="registration_number",
                notes="regNo is the record key (source-systems.md section 6): a "
                "correction of a registration arrives under the same number. The "
                "parties' identity numbers are deliberately not critical: see the "
                "warning suite.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.marriages.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.marriages.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(
                column="male_id_number_issue",
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "the male party's " + ID_NUMBER_ISSUE_REASON.removeprefix("the ")},
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="female_id_number_issue",
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "the female party's " + ID_NUMBER_ISSUE_REASON.removeprefix("the ")},
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="registration_type_code",
                severity="warning",
                notes="regType is 结婚 or 离婚; anything else leaves unknown whether "
                "the couple married or divorced, so fct_civil_event cannot count it.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="registration_date",
                severity="warning",
                notes="Without regDate the event cannot be placed in time.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="registration_date",
                max_value=midnight_today(),
                severity="warning",
                notes="A registration in the future is a typing error.",
            ),
        ],
    )
