"""Expectation suites for the cleaned frame of ``raw_police.floating_residents``.

The frame is what the police cleaner produces for the floating-population
table (LDRK) before loading: lineage columns plus ``record_id``,
``id_number`` (canonical or null), ``id_number_issue``, ``gender_code``,
``birth_date`` (Date), ``residence_reason_code``, ``registered_date`` and
``valid_until_date`` (Date).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import (
    EARLIEST_BIRTH_DATE,
    ID_NUMBER_ISSUE_NOTE,
    ID_NUMBER_ISSUE_REASON,
    midnight_today,
)

# GB/T 2261.1 codes (source-systems.md section 0).
GENDER_CODES = ["1", "2", "0", "9"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.floating_residents.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.floating_residents.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="record_id",
                notes="record_id (LDRK.ID) is the record key: without it a row can be "
                "neither traced back to the police system nor replaced by a later update.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="id_number_issue",
                notes=ID_NUMBER_ISSUE_NOTE
                + " A residence-permit record exists for one person: the same rule as "
                "for household-registered residents.",
                meta={"reason": ID_NUMBER_ISSUE_REASON},
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.floating_residents.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.floating_residents.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(
                column="gender_code",
                value_set=GENDER_CODES,
                severity="warning",
                notes="GB/T 2261.1 codes; the cleaner maps 男/女 and falls back on the "
                "identity number. Another value only makes the gender unknown.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="birth_date",
                min_value=EARLIEST_BIRTH_DATE,
                max_value=midnight_today(),
                strict_min=True,
                severity="warning",
                notes="1900-01-01 is a placeholder and future dates are typing errors "
                "(source-systems.md section 5); only the age band suffers.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="registered_date",
                severity="warning",
                notes="Without DJRQ the arrival month is unknown, but the person holds "
                "a permit, so the row loads.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="valid_until_date",
                severity="warning",
                notes="Without YXQZ nobody can tell when the permit lapses; the person "
                "is counted as floating until a later update says otherwise.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="residence_reason_code",
                severity="warning",
                notes="JZSY is one of 务工/经商/求学/投亲/其他; an empty or other value "
                "leaves the reason unknown in the population figures.",
            ),
        ],
    )
