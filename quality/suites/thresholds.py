"""Name the bounds, patterns and notes that several suites share.

Each constant carries its reason, so a suite that uses it does not have to
repeat the argument (conventions section 6: thresholds are named constants).
"""

from __future__ import annotations

import datetime as dt

# Twelve ASCII digits: the division code down to community level
# (source-systems.md section 0). Deliberately stricter than `^\d{12}$`:
# Python's `\d` also accepts full-width digits ("１１０１…", a known issue in
# section 5) and `$` also matches before a trailing newline; either value
# would load and then never join to `dim_grid`. `\Z` is the end of the text
# with Python's `re` semantics (which pandas keeps for GX's pandas engine)
# and in PostgreSQL.
DIVISION_CODE_PATTERN = r"^[0-9]{12}\Z"

DIVISION_CODE_NOTE = (
    "The 12-digit division code places the row on the grid; a malformed code "
    "cannot be attributed to any community, so the row is quarantined for repair. "
    "An empty code is not checked by this expectation (GX skips nulls) and loads."
)

ID_NUMBER_ISSUE_NOTE = (
    "id_number_issue is set by the cleaner when the identity number is missing or "
    "invalid (missing, bad_length, bad_characters, bad_birth_date, "
    "bad_check_character). person_key is an HMAC of the canonical number, so such "
    "a row cannot be linked deterministically yet: it is quarantined until the "
    "department repairs it or entity resolution gives it a surrogate key."
)

# Departments write `1900-01-01` (and `00000000`) as a placeholder for an
# unknown date (source-systems.md section 5), so the bound itself is excluded
# (`strict_min`) and anything earlier is an impossible date for a resident.
EARLIEST_BIRTH_DATE = dt.datetime(1900, 1, 1)


def midnight_today() -> dt.datetime:
    """Return today's date at midnight, the upper bound for past-only dates.

    Dates reach GX as midnight timestamps, so comparing with midnight today
    accepts today itself. The value is taken when a suite is built, which the
    gate does on every run, so the bound never goes stale in a long process.
    """
    return dt.datetime.combine(dt.date.today(), dt.time())

# Quarantine reason for a failed id_number_issue check; the gate replaces
# `{value}` with the row's issue code (see ID_NUMBER_ISSUE_NOTE for the codes).
ID_NUMBER_ISSUE_REASON = "the identity number is not valid ({value})"
