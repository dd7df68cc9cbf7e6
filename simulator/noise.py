"""Injection of the contract's known data issues (section 5) into deliveries.

Each issue is a small function from a clean value to a damaged one, listed in
a table per field kind with its eligibility test and whether the pipeline can
repair it. A delivery asks a `NoiseInjector` for noisy copies of a column and
gets back, per value, the issue injected (for the ground truth).

Rates come from `NoiseRates`; for one value the issues of its kind are tried
in table order and the first one drawn wins, so a value has at most one issue
of its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from pypinyin import lazy_pinyin

from simulator.config import NoiseRates
from simulator.identity_numbers import to_legacy_15
from simulator.names import MIDDLE_DOT, RARE_CHARACTER_HOMOPHONES

_FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
# Middle-dot look-alikes seen in registers: bullet, ASCII and full-width full
# stops, katakana middle dot (from Japanese input methods).
_DOT_VARIANTS = ("•", ".", "．", "・")


@dataclass(frozen=True)
class Issue:
    """One kind of damage to a value.

    Attributes:
        name: Issue name, also the `NoiseRates` field holding its rate.
        eligible: Whether the issue can occur on a value.
        apply: Damages a value, drawing any detail from the generator.
        unrecoverable: True when the pipeline cannot restore the value.
    """

    name: str
    eligible: Callable[[str], bool]
    apply: Callable[[str, np.random.Generator], str]
    unrecoverable: bool = False


@dataclass
class FieldNoise:
    """Noisy copies of one column and what was done to each value.

    Attributes:
        values: The delivered values (empty string for a missing value).
        issues: Issue name per value, empty if untouched.
        unrecoverable: True where the injected issue cannot be repaired.
    """

    values: list[str]
    issues: list[str]
    unrecoverable: np.ndarray


def _always(_: str) -> bool:
    return True


def _spaces_in_identity_number(value: str, rng: np.random.Generator) -> str:
    style = int(rng.integers(3))
    if style == 0:
        return " " + value + " "
    if style == 1:
        # Grouped as printed on forms: address, birth date, sequence + check.
        return f"{value[:6]} {value[6:14]} {value[14:]}"
    return value + "  "


def _mistype_digit(value: str, rng: np.random.Generator) -> str:
    position = int(rng.integers(17))
    wrong = (int(value[position]) + int(rng.integers(1, 10))) % 10
    return value[:position] + str(wrong) + value[position + 1 :]


def _can_transpose(value: str) -> bool:
    return any(value[i] != value[i + 1] for i in range(16))


def _transpose_digits(value: str, rng: np.random.Generator) -> str:
    # Only swaps of different digits change the number; every such swap
    # breaks the MOD 11-2 check because adjacent weights differ.
    positions = [i for i in range(16) if value[i] != value[i + 1]]
    i = positions[int(rng.integers(len(positions)))]
    return value[:i] + value[i + 1] + value[i] + value[i + 2 :]


IDENTITY_NUMBER_ISSUES: tuple[Issue, ...] = (
    Issue("id_legacy_15", lambda v: v[6:8] == "19", lambda v, _: to_legacy_15(v)),
    Issue("id_lowercase_x", lambda v: v.endswith("X"), lambda v, _: v[:-1] + "x"),
    Issue("id_fullwidth", _always, lambda v, _: v.translate(_FULLWIDTH)),
    Issue("id_spaces", _always, _spaces_in_identity_number),
    Issue("id_mistyped_digit", _always, _mistype_digit, unrecoverable=True),
    Issue("id_transposed_digits", _can_transpose, _transpose_digits, unrecoverable=True),
    Issue("id_missing", _always, lambda v, _: "", unrecoverable=True),
)


def _outer_spaces(value: str, rng: np.random.Generator) -> str:
    return (" " + value + " ", value + " ", " " + value)[int(rng.integers(3))]


def _inner_space(value: str, _: np.random.Generator) -> str:
    # Clerks pad two-character names to align them with three-character ones.
    return value[0] + " " + value[1:]


def _fullwidth_space(value: str, rng: np.random.Generator) -> str:
    return value[0] + "\u3000" + value[1:] if rng.random() < 0.7 else value + "\u3000"


def _rare_character(value: str, rng: np.random.Generator) -> str:
    use_pinyin = rng.random() < 0.3
    return "".join(
        (lazy_pinyin(c)[0] if use_pinyin else RARE_CHARACTER_HOMOPHONES[c]) if c in RARE_CHARACTER_HOMOPHONES else c
        for c in value
    )


def _has_rare_character(value: str) -> bool:
    return any(c in RARE_CHARACTER_HOMOPHONES for c in value)


def _date_parts(value: str) -> tuple[int, int, int]:
    return int(value[:4]), int(value[5:7]), int(value[8:10])


DATE_ISSUES: tuple[Issue, ...] = (
    Issue("date_slashes", _always, lambda v, _: "{}/{}/{}".format(*_date_parts(v))),
    Issue("date_compact", _always, lambda v, _: v.replace("-", "")),
    Issue("date_chinese", _always, lambda v, _: "{}年{}月{}日".format(*_date_parts(v))),
)


class NoiseInjector:
    """Damages delivered columns at the configured rates.

    Args:
        rates: Issue rates of the run's noise level.
        rng: The delivery's own noise stream.
        charset: Encoding the delivery is written in; look-alike characters
            it cannot hold are not used (GBK has no bullet ``•``).
    """

    def __init__(self, rates: NoiseRates, rng: np.random.Generator, charset: str = "utf-8") -> None:
        self._rates = rates
        self._rng = rng
        dots = tuple(d for d in _DOT_VARIANTS if _encodable(d, charset))
        self._name_issues: tuple[Issue, ...] = (
            Issue("name_dot_variant", lambda v: MIDDLE_DOT in v, lambda v, r: self._swap_dot(v, r, dots)),
            Issue("name_rare_char", _has_rare_character, _rare_character),
            Issue("name_outer_spaces", _always, _outer_spaces),
            Issue("name_inner_space", lambda v: len(v) == 2, _inner_space),
            Issue("name_fullwidth_space", _always, _fullwidth_space),
        )

    def identity_numbers(self, values: Sequence[str]) -> FieldNoise:
        """Return noisy identity numbers (input: canonical 18-character)."""
        return self._inject(values, IDENTITY_NUMBER_ISSUES)

    def names(self, values: Sequence[str]) -> FieldNoise:
        """Return noisy personal names."""
        return self._inject(values, self._name_issues)

    def dates(self, values: Sequence[str]) -> FieldNoise:
        """Return dates in alternative forms (input: ``YYYY-MM-DD`` or empty)."""
        return self._inject(values, DATE_ISSUES)

    def duplicates(self, count: int) -> np.ndarray:
        """Return a mask of rows delivered twice within the same batch."""
        return self._rng.random(count) < self._rates.duplicate_row

    def _inject(self, values: Sequence[str], issues: tuple[Issue, ...]) -> FieldNoise:
        count = len(values)
        out = list(values)
        injected = [""] * count
        unrecoverable = np.zeros(count, dtype=bool)
        draws = self._rng.random((len(issues), count))
        done = np.zeros(count, dtype=bool)
        for row, issue in enumerate(issues):
            rate = getattr(self._rates, issue.name)
            for i in np.flatnonzero((draws[row] < rate) & ~done).tolist():
                value = out[i]
                if value and issue.eligible(value):
                    out[i] = issue.apply(value, self._rng)
                    injected[i] = issue.name
                    unrecoverable[i] = issue.unrecoverable
                    done[i] = True
        return FieldNoise(values=out, issues=injected, unrecoverable=unrecoverable)

    @staticmethod
    def _swap_dot(value: str, rng: np.random.Generator, dots: tuple[str, ...]) -> str:
        return value.replace(MIDDLE_DOT, dots[int(rng.integers(len(dots)))])


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def combine_issues(*columns: Sequence[str]) -> list[str]:
    """Join the per-row issues of several columns as ``a;b`` (empty if none)."""
    return [";".join(issue for issue in row if issue) for row in zip(*columns, strict=True)]
