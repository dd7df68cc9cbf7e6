"""Expectation suites for the cleaned frame of ``raw_police.incidents``.

The frame is what the police cleaner produces for the incident table (JQ)
before loading: lineage columns plus ``record_id``, ``reported_at``
(Datetime), ``category_code``, ``outcome``, ``longitude``/``latitude``
(Float64, null for 0 or empty) and ``involved_invalid_id_count``.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import LATITUDE_RANGE, LONGITUDE_RANGE, PARTY_ID_NUMBER_NOTE, end_of_today

# JQLBDM (source-systems.md section 1): 01 criminal, 02 public order,
# 03 dispute, 04 traffic, 05 fire, 06 help request, 99 other.
CATEGORY_CODES = ["01", "02", "03", "04", "05", "06", "99"]

# CZJG as delivered.
OUTCOMES = ["已处理", "处理中", "移交"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.incidents.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.incidents.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="record_id",
                notes="record_id (JQ.ID) is the record key; nothing else about an "
                "incident makes it unusable: one without a category, time or place "
                "is still an incident, counted as unknown.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.incidents.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.incidents.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(
                column="category_code",
                value_set=CATEGORY_CODES,
                severity="warning",
                notes="The seven JQLBDM codes; another code makes the category unknown "
                "in mart_security_trend_monthly.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="reported_at",
                severity="warning",
                notes="Without BJSJ the incident cannot be placed in a month; it loads "
                "so that it is not lost, and the trend mart leaves it out.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="reported_at",
                max_value=end_of_today(),
                severity="warning",
                notes="A report time in the future is a typing error.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="longitude",
                min_value=LONGITUDE_RANGE[0],
                max_value=LONGITUDE_RANGE[1],
                severity="warning",
                notes="WGS-84 longitude within China; 0 and empty are already null "
                "(not located) and are not checked here.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="latitude",
                min_value=LATITUDE_RANGE[0],
                max_value=LATITUDE_RANGE[1],
                severity="warning",
                notes="WGS-84 latitude within China; a swapped pair of coordinates "
                "shows here.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="outcome",
                value_set=OUTCOMES,
                severity="warning",
                notes="CZJG is 已处理/处理中/移交; another value leaves the outcome unknown.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="involved_invalid_id_count",
                max_value=0,
                severity="warning",
                notes=PARTY_ID_NUMBER_NOTE,
                meta={"reason": "{value} identity number(s) in SJRY are not valid"},
            ),
        ],
    )
