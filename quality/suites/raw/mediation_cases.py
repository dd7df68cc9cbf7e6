"""Expectation suites for the cleaned frame of ``raw_justice.mediation_cases``.

The frame is what the justice cleaner produces from the 人民调解 sheet before
loading: lineage columns plus ``case_number``, ``accepted_date`` (Date),
``dispute_type``, ``result_code`` (``success``/``failure``/``in_progress``),
``party_count``, ``party_invalid_id_count`` and ``agreement_amount``
(Decimal yuan).
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from quality.suites.thresholds import PARTY_ID_NUMBER_NOTE, midnight_today

# 纠纷类型 as the roster writes them (source-systems.md section 4).
DISPUTE_TYPES = ["婚姻家庭", "邻里", "物业", "劳动", "土地", "损害赔偿", "其他"]


def critical() -> gx.ExpectationSuite:
    """Build ``raw.mediation_cases.critical``: rows failing it are quarantined."""
    return gx.ExpectationSuite(
        name="raw.mediation_cases.critical",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="case_number",
                notes="案件编号 identifies the case across monthly rosters (a case "
                "accepted in March is closed on the May roster); a row without it is "
                "no case, for example a total row that reached the gate. The parties' "
                "identity numbers are 'often missing' by contract and never critical.",
            ),
        ],
    )


def warning() -> gx.ExpectationSuite:
    """Build ``raw.mediation_cases.warning``: rows failing it load and are flagged."""
    return gx.ExpectationSuite(
        name="raw.mediation_cases.warning",
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(
                column="accepted_date",
                severity="warning",
                notes="Without 受理日期 the case is missing from the month it was "
                "received in mart_justice_monthly.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="accepted_date",
                max_value=midnight_today(),
                severity="warning",
                notes="A case accepted in the future is a typing error.",
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="dispute_type",
                value_set=DISPUTE_TYPES,
                severity="warning",
                notes="The seven dispute types; another value is counted as unknown.",
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="result_code",
                severity="warning",
                notes="调解结果 is 调解成功/调解不成/调解中; another value leaves the "
                "case out of the success rate.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="party_count",
                min_value=1,
                severity="warning",
                notes="A mediation has parties; none readable in 当事人 is a data-entry gap.",
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="party_invalid_id_count",
                max_value=0,
                severity="warning",
                notes="Only numbers that are present but invalid count here (missing "
                "ones are normal for this roster). " + PARTY_ID_NUMBER_NOTE,
                meta={"reason": "{value} party identity number(s) are not valid"},
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="agreement_amount",
                min_value=0,
                severity="warning",
                notes="协议金额 is an amount agreed in yuan; a negative one is a typing error.",
            ),
        ],
    )
