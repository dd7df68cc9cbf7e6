"""Expectation suites for the cleaned frame of ``raw_civil_affairs.organizations``.

The frame is what the civil-affairs cleaner produces from
``/api/v1/organizations`` before loading: lineage columns plus
``credit_code`` (normalized), ``credit_code_issue``, ``org_type``,
``status_code`` and ``legal_representative_id_number_issue``.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import ID_NUMBER_ISSUE_REASON, midnight_today

# orgType as delivered (source-systems.md section 2).
ORGANIZATION_TYPES = ["社会团体", "民办非企业单位", "基金会"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.organizations.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.organizations.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="credit_code",
                notes="creditCode is the record key (source-systems.md section 6): "
                "without it a registration can be neither versioned nor linked.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.organizations.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.organizations.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(
                column="credit_code_issue",
                severity="warning",
                notes="A credit code failing its GB 32100 check character is still the "
                "key civil affairs files the record under, so the record loads "
                "(has_valid_credit_code = false); linking it to other sources by code "
                "is unsafe until it is corrected.",
                meta={"reason": "the credit code is not valid ({value})"},
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="org_type",
                value_set=ORGANIZATION_TYPES,
                severity="warning",
                notes="The three kinds of registered social organization; another value "
                "makes the type unknown in dim_organization.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="status_code",
                severity="warning",
                notes="status is 正常/注销/撤销; another value leaves unknown whether "
                "the organization still exists.",
            ),
            gxe.ExpectColumnValuesToBeNull(
                column="legal_representative_id_number_issue",
                severity="warning",
                notes="The record is about the organization, not its representative: "
                "a representative without a valid number stays an unresolved mention "
                "and the organization loads.",
                meta={"reason": "the legal representative's " + ID_NUMBER_ISSUE_REASON.removeprefix("the ")},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="founded_date",
                max_value=midnight_today(),
                severity="warning",
                notes="A founding date in the future is a typing error.",
            ),
        ],
    )
