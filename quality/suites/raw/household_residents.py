"""Expectation suites for the cleaned frame of ``raw_police.household_residents``.

The frame validated here is what the police cleaner produces for the household
register (HJRK) before loading: the raw lineage columns (``_batch_id``,
``_source``, ``_source_row``, ...) plus ``record_id``, ``id_number`` (canonical
or null), ``id_number_issue``, ``gender_code``, ``birth_date`` (Date),
``division_code``, ``registered_date`` (Date) and ``updated_at`` (Datetime).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import (
    DIVISION_CODE_NOTE,
    DIVISION_CODE_PATTERN,
    EARLIEST_BIRTH_DATE,
    ID_NUMBER_ISSUE_NOTE,
    ID_NUMBER_ISSUE_REASON,
    midnight_today,
)

# GB/T 2261.1 codes (source-systems.md section 0): 1 male, 2 female,
# 0 unknown, 9 not stated.
GENDER_CODES = ["1", "2", "0", "9"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.household_residents.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.household_residents.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="record_id",
                notes="record_id (HJRK.ID) is the record key: without it a row can "
                "be neither traced back to the police system nor replaced by a later "
                "update of the same record.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="id_number_issue",
                notes=ID_NUMBER_ISSUE_NOTE,
                meta={"reason": ID_NUMBER_ISSUE_REASON},
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="division_code", regex=DIVISION_CODE_PATTERN, notes=DIVISION_CODE_NOTE
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.household_residents.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.household_residents.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(
                column="gender_code",
                value_set=GENDER_CODES,
                severity="warning",
                notes="GB/T 2261.1 codes; the cleaner maps the words 男/女. Any other "
                "value only makes the gender unknown, so the row loads.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="birth_date",
                severity="warning",
                notes="A missing birth date only costs the age band (the identity "
                "number, which passed the critical suite, also encodes it).",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="birth_date",
                min_value=EARLIEST_BIRTH_DATE,
                max_value=midnight_today(),
                strict_min=True,
                severity="warning",
                notes="1900-01-01 is a known placeholder for an unknown date and "
                "future dates are typing errors (source-systems.md section 5). "
                "'today' is taken when the suite is built, i.e. on every gate run.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="registered_date",
                severity="warning",
                notes="Without DJRQ the registration history starts unknown, but the "
                "resident is still registered, so the row loads.",
            ),
        ],
    )
