"""Expectation suites for the cleaned frame of ``raw_housing.rental_registrations``.

The frame is what the housing cleaner produces from the 租赁备案 CSV files
before loading: lineage columns plus ``registration_number``,
``unit_reference`` (unit code, else the address match key), ``landlord_type``,
``tenant_count``, ``tenant_invalid_id_count``, ``tenant_missing_id_count``,
``monthly_rent`` (Decimal yuan) and ``start_date`` (Date).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import MAX_MONTHLY_RENT, PARTY_ID_NUMBER_NOTE


def critical() -> gx.ExpectationSuite:
    """Build ``raw.rental_registrations.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.rental_registrations.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="registration_number",
                notes="备案编号 is the registration's own number: a correction in a "
                "later increment arrives under it and staging keeps the latest. A row "
                "without it cannot be told apart from the registration it corrects. "
                "Landlord and tenant identity numbers are deliberately not critical.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.rental_registrations.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.rental_registrations.warning",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="unit_reference",
                severity="warning",
                notes="The contract allows an empty 房屋编码 when the address identifies "
                "the unit; with neither a code nor a parseable address the tenancy "
                "cannot be placed on a unit, but its persons are still known.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="landlord_type",
                value_set=["person", "organization"],
                severity="warning",
                notes="出租人证件号 is neither a valid identity number nor a valid credit "
                "code. " + PARTY_ID_NUMBER_NOTE,
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="tenant_count",
                min_value=1,
                severity="warning",
                notes="A registered tenancy has at least one tenant; none listed is a "
                "data-entry gap, and the unit's tenant count in dim_house_unit is low.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="tenant_invalid_id_count",
                max_value=0,
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "{value} tenant identity number(s) are not valid"},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="tenant_missing_id_count",
                max_value=0,
                severity="warning",
                notes="Registration requires every tenant's identity document; a tenant "
                "listed by name only is a gap. " + PARTY_ID_NUMBER_NOTE,
                meta={"reason": "{value} tenant(s) have no identity number"},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="monthly_rent",
                min_value=0,
                max_value=MAX_MONTHLY_RENT,
                severity="warning",
                notes="Monthly rent in yuan; see thresholds.MAX_MONTHLY_RENT.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="start_date",
                severity="warning",
                notes="Without 起租日期 the tenancy cannot be placed in time "
                "(bridge_person_unit valid_from).",
            ),
        ],
    )
