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


def end_of_today() -> dt.datetime:
    """Return the last microsecond of today, the upper bound for past-only timestamps.

    A timestamp later today is not in the future; one tomorrow is. Taken when
    the suite is built, as for :func:`midnight_today`.
    """
    return dt.datetime.combine(dt.date.today(), dt.time.max)


# Note for the per-party identity checks of records that name several persons
# (a marriage's two parties, a rental's landlord and tenants, a subsistence
# household, a mediation's parties, an incident's persons involved).
PARTY_ID_NUMBER_NOTE = (
    "The record names several persons; one of them without a valid identity "
    "number does not make the record unusable (the marriage, tenancy, case or "
    "incident still happened), so the row loads and is flagged. The person is "
    "still written to identity.person_mentions, with person_key null and "
    "evidence 'unresolved', for entity resolution to decide who it is."
)

# WGS-84 bounds of China's territory, generously rounded (source-systems.md
# section 1 gives JD/WD in WGS-84). A coordinate outside them is a typing or
# unit error (degrees x 10^6, swapped axes); the incident still happened.
LONGITUDE_RANGE = (73.0, 136.0)
LATITUDE_RANGE = (3.0, 54.0)

# Money bounds in yuan (Decimal columns). A monthly subsistence allowance of
# one household is a few hundred to a few thousand yuan; 50,000 is far above
# any city's standard times any household size, so a larger value is a
# typing error (an extra digit, fen typed as yuan). A monthly rent above
# 1,000,000 is likewise a typing error for a dwelling.
MAX_MONTHLY_ALLOWANCE = 50_000
MAX_MONTHLY_RENT = 1_000_000
