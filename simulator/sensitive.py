"""Attributes the shared model must never hold, for the out-of-scope-field issue.

Departments sometimes deliver ethnicity, religion, political affiliation or
health details (contract section 5). The pipeline must drop them; the
simulator fills such columns with believable values so that a test can check
none of them reaches the warehouse. Shares follow the 2020 census (ethnicity)
and common survey figures; they matter only as plausible filler.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulator.names import MIDDLE_DOT
from simulator.people import Population

# (name, GB 3304 code, share among persons without a transliterated name)
ETHNICITIES = (
    ("汉族", "01", 0.94), ("回族", "03", 0.02), ("满族", "11", 0.01), ("蒙古族", "02", 0.005),
    ("壮族", "08", 0.005), ("苗族", "06", 0.005), ("土家族", "15", 0.005), ("朝鲜族", "10", 0.01),
)
UYGHUR = ("维吾尔族", "05")
RELIGIONS = (("无", "0", 0.90), ("佛教", "1", 0.05), ("基督教", "3", 0.03), ("道教", "2", 0.01), ("伊斯兰教", "5", 0.01))
# GB/T 4762 political status codes.
POLITICAL = (("群众", "13"), ("中共党员", "01"), ("共青团员", "03"), ("民主党派", "04"))
HEALTH = (("健康", "1", 0.80), ("良好", "2", 0.10), ("一般", "3", 0.05), ("慢性病", "4", 0.04), ("残疾", "6", 0.01))

# Header names per field and delivery style (they match the aliases the
# pipeline drops: ingest/common/out_of_scope.yaml).
CHINESE_HEADERS = ("民族", "宗教信仰", "政治面貌", "健康状况")
POLICE_COLUMNS = ("MZ", "ZJXY", "ZZMM", "JKZK")
JSON_KEYS = ("ethnicity", "religion", "politicalStatus", "healthStatus")


@dataclass
class SensitiveAttributes:
    """Per-person ethnicity, religion, political status and health (indexes into the tables)."""

    ethnicity: np.ndarray
    religion: np.ndarray
    political: np.ndarray
    health: np.ndarray

    @cached_property
    def _ethnicity_table(self) -> tuple[tuple[str, str], ...]:
        return (*((name, code) for name, code, _ in ETHNICITIES), UYGHUR)

    def text(self, field: int, person: int) -> str:
        """Return field 0-3 (ethnicity, religion, political status, health) of a person as words."""
        return self._value(field, person, 0)

    def code(self, field: int, person: int) -> str:
        """Return field 0-3 of a person as the police system's code."""
        return self._value(field, person, 1)

    def _value(self, field: int, person: int, part: int) -> str:
        if person < 0:
            return ""
        if field == 0:
            return self._ethnicity_table[int(self.ethnicity[person])][part]
        if field == 1:
            return RELIGIONS[int(self.religion[person])][part]
        if field == 2:
            return POLITICAL[int(self.political[person])][part]
        return HEALTH[int(self.health[person])][part]


def draw_sensitive(population: Population, ages: np.ndarray, rng: np.random.Generator) -> SensitiveAttributes:
    """Draw the out-of-scope attributes of every person."""
    count = len(population)
    shares = np.array([share for _, _, share in ETHNICITIES])
    ethnicity = rng.choice(len(ETHNICITIES), size=count, p=shares / shares.sum())
    transliterated = np.array([MIDDLE_DOT in name for name in population.name])
    ethnicity[transliterated] = len(ETHNICITIES)
    religion_shares = np.array([share for _, _, share in RELIGIONS])
    religion = rng.choice(len(RELIGIONS), size=count, p=religion_shares / religion_shares.sum())
    religion[transliterated | (ethnicity == 1)] = 4
    draw = rng.random(count)
    political = np.select(
        [(ages >= 14) & (ages <= 28) & (draw < 0.3), (ages >= 18) & (draw > 0.9), (ages >= 18) & (draw > 0.895)],
        [2, 1, 3],
        default=0,
    )
    health_shares = np.array([share for _, _, share in HEALTH])
    health = rng.choice(len(HEALTH), size=count, p=health_shares / health_shares.sum())
    health[(ages >= 65) & (rng.random(count) < 0.2)] = 3
    return SensitiveAttributes(ethnicity=ethnicity, religion=religion, political=political, health=health)
