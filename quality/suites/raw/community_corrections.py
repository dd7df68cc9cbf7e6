"""Expectation suites for the cleaned frame of ``raw_justice.community_corrections``.

The frame is what the justice cleaner produces from the 社区矫正 sheet before
loading: lineage columns plus ``serial_number``, ``id_number`` (canonical or
null), ``id_number_issue``, ``correction_type``, ``start_date`` (Date) and the
other roster columns.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import ID_NUMBER_ISSUE_NOTE, ID_NUMBER_ISSUE_REASON

# 矫正类别 as the roster writes them (source-systems.md section 4).
CORRECTION_TYPES = ["管制", "缓刑", "假释", "暂予监外执行"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.community_corrections.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.community_corrections.critical",
        expectations=[
            gxe.ExpectColumnValuesToBeNull(
                column="id_number_issue",
                notes=ID_NUMBER_ISSUE_NOTE,
                meta={"reason": ID_NUMBER_ISSUE_REASON},
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="serial_number",
                notes="Every roster row has a 序号; a row without one is not a person "
                "but, for example, a 合计 total row (source-systems.md section 4) "
                "that reached the gate.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.community_corrections.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.community_corrections.warning",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="start_date",
                severity="warning",
                notes="Without 矫正起始日期 the episode cannot be counted in a month's "
                "caseload, but the person is under correction, so the row loads.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="correction_type",
                value_set=CORRECTION_TYPES,
                severity="warning",
                notes="The four legal categories of community correction; another "
                "value makes the type unknown in mart_justice_monthly.",
            ),
        ],
    )
