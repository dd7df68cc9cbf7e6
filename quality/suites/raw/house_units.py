"""Expectation suites for the cleaned frame of ``raw_housing.house_units``.

The frame is what the housing cleaner produces from the 房屋基础信息 CSV files
before loading: lineage columns plus ``unit_code``, ``division_code``,
``floor_area`` (m², Float64), ``use_code`` and the other address and owner
columns.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import DIVISION_CODE_NOTE, DIVISION_CODE_PATTERN

# Plausible floor area of one house unit, in m². Below 5 m² is a unit error
# (a value in some other unit or a dropped digit); above 2000 m² is a whole
# building or an extra digit. Outliers still load, flagged, because the unit
# itself exists; only the group-rental signal in mart_housing_grid, which
# divides by the area, needs to know.
MIN_FLOOR_AREA = 5.0
MAX_FLOOR_AREA = 2000.0

# 房屋用途 mapped by the cleaner: 住宅, 商业, 办公, 其他.
USE_CODES = ["residential", "commercial", "office", "other"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.house_units.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.house_units.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="unit_code",
                notes="房屋编码 is the unit's key. It is not checked for uniqueness "
                "here on purpose: the same record twice in one batch is a known "
                "duplicate that the cleaner resolves before the gate, and a "
                "uniqueness expectation would quarantine every copy instead.",
            ),
            gxe.ExpectColumnValuesToMatchRegex(
                column="division_code", regex=DIVISION_CODE_PATTERN, notes=DIVISION_CODE_NOTE
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.house_units.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.house_units.warning",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(
                column="floor_area",
                min_value=MIN_FLOOR_AREA,
                max_value=MAX_FLOOR_AREA,
                severity="warning",
                notes="Plausible area of one unit in m² (5 to 2000). Outliers are "
                "unit or typing errors; the unit still exists, so the row loads.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="use_code",
                value_set=USE_CODES,
                severity="warning",
                notes="房屋用途 is 住宅/商业/办公/其他; an unmapped value makes the "
                "use unknown in mart_housing_grid but the unit still loads.",
            ),
        ],
    )
