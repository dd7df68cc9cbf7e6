"""Injection of the contract's known data issues (section 5) into delivered values.

Each issue is a small function from a clean value to a damaged one, listed in
a table per field kind (identity numbers, names, dates, phones, credit codes;
addresses are rendered from a unit's parts by `addresses.AddressBook`) with
its eligibility test and whether the pipeline can repair it. Record and
batch issues (duplicates, corrections, drift, broken files) live in
`simulator.batches` and the deliveries; the injector only draws them.

A delivery asks a `NoiseInjector` for noisy copies of a column and gets
back, per value, the issue injected (for the ground truth).

Rates come from `NoiseRates`; for one value the issues of its kind are tried
in table order and the first one drawn wins, so a value has at most one issue
of its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from pypinyin import lazy_pinyin

from simulator.addresses import CANONICAL, AddressBook, AddressForm
from simulator.config import NoiseRates
from simulator.credit_codes import ALPHABET as CREDIT_ALPHABET
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


# Excel's day 0 (serial 1 is 1900-01-01, with the 1900 leap-year bug).
EXCEL_EPOCH = date(1899, 12, 30)
# Serials the pipeline accepts as dates (ingest.common.dates.EXCEL_SERIAL_RANGE):
# 1954-10-03 to 2119-01-10; older dates are not written as serials.
_EXCEL_SERIAL_RANGE = (20000, 80000)


def excel_serial(value: str) -> int:
    """Return the Excel serial number of a ``YYYY-MM-DD`` date."""
    return (date(*_date_parts(value)) - EXCEL_EPOCH).days


def _serial_eligible(value: str) -> bool:
    return _EXCEL_SERIAL_RANGE[0] <= excel_serial(value) <= _EXCEL_SERIAL_RANGE[1]


def _placeholder(_: str, rng: np.random.Generator) -> str:
    return ("00000000", "1900-01-01")[int(rng.integers(2))]


def _impossible(value: str, rng: np.random.Generator) -> str:
    year, month, day = _date_parts(value)
    style = int(rng.integers(3))
    if style == 0:
        return f"{year}-02-{int(rng.integers(30, 32))}"
    if style == 1:
        return f"{year}-{month:02d}-{int(rng.integers(32, 40))}"
    return f"{year}-{int(rng.integers(13, 20))}-{day:02d}"


DATE_ISSUES: tuple[Issue, ...] = (
    Issue("date_slashes", _always, lambda v, _: "{}/{}/{}".format(*_date_parts(v))),
    Issue("date_compact", _always, lambda v, _: v.replace("-", "")),
    Issue("date_chinese", _always, lambda v, _: "{}年{}月{}日".format(*_date_parts(v))),
    Issue("date_excel_serial", _serial_eligible, lambda v, _: str(excel_serial(v))),
    Issue("date_placeholder", _always, _placeholder, unrecoverable=True),
    Issue("date_impossible", _always, _impossible, unrecoverable=True),
)


def _plus86(value: str, rng: np.random.Generator) -> str:
    return ("+86" + value, "+86 " + value, "0086" + value, "86-" + value)[int(rng.integers(4))]


def _phone_separators(value: str, rng: np.random.Generator) -> str:
    separator = (" ", "-")[int(rng.integers(2))]
    return separator.join((value[:3], value[3:7], value[7:]))


def _phone_typo(value: str, rng: np.random.Generator) -> str:
    position = int(rng.integers(1, len(value)))
    return value[:position] + value[position + 1 :]


PHONE_ISSUES: tuple[Issue, ...] = (
    Issue("phone_plus86", _always, _plus86),
    Issue("phone_separators", _always, _phone_separators),
    Issue("phone_typo_10", _always, _phone_typo, unrecoverable=True),
)


def _mistype_credit_code(value: str, rng: np.random.Generator) -> str:
    # One substituted character always breaks the MOD 31 check (every weight
    # is coprime to 31).
    position = int(rng.integers(2, 17))
    wrong = CREDIT_ALPHABET[(CREDIT_ALPHABET.index(value[position]) + int(rng.integers(1, 31))) % 31]
    return value[:position] + wrong + value[position + 1 :]


CREDIT_CODE_ISSUES: tuple[Issue, ...] = (
    Issue("credit_code_lowercase", lambda v: any(c.isalpha() for c in v), lambda v, _: v.lower()),
    Issue("credit_code_mistyped", _always, _mistype_credit_code, unrecoverable=True),
)

ADDRESS_ISSUES = (
    "address_no_prefix",
    "address_chinese_numerals",
    "address_building_word",
    "address_dash_form",
    "address_missing_room",
    "address_fullwidth",
)


class NoiseInjector:
    """Damages delivered columns at the configured rates.

    Args:
        rates: Issue rates of the run's noise level.
        rng: The delivery's own noise stream.
        charset: Encoding the delivery is written in; look-alike characters
            it cannot hold are not used (GBK has no bullet ``•``).
        today: The delivery date; a "future date" is later than this.
    """

    def __init__(
        self, rates: NoiseRates, rng: np.random.Generator, charset: str = "utf-8", today: date | None = None
    ) -> None:
        self._rates = rates
        self._rng = rng
        self._today = today or date(2100, 1, 1)
        dots = tuple(d for d in _DOT_VARIANTS if _encodable(d, charset))
        self._name_issues: tuple[Issue, ...] = (
            Issue("name_dot_variant", lambda v: MIDDLE_DOT in v, lambda v, r: self._swap_dot(v, r, dots)),
            Issue("name_rare_char", _has_rare_character, _rare_character),
            Issue("name_outer_spaces", _always, _outer_spaces),
            Issue("name_inner_space", lambda v: len(v) == 2, _inner_space),
            Issue("name_fullwidth_space", _always, _fullwidth_space),
        )
        self._date_issues = (*DATE_ISSUES, Issue("date_future", _always, self._future, unrecoverable=True))

    @property
    def rates(self) -> NoiseRates:
        """The rates this injector applies."""
        return self._rates

    @property
    def rng(self) -> np.random.Generator:
        """The injector's random stream (for record and batch issues)."""
        return self._rng

    def identity_numbers(self, values: Sequence[str]) -> FieldNoise:
        """Return noisy identity numbers (input: canonical 18-character)."""
        return self._inject(values, IDENTITY_NUMBER_ISSUES)

    def names(self, values: Sequence[str]) -> FieldNoise:
        """Return noisy personal names."""
        return self._inject(values, self._name_issues)

    def dates(self, values: Sequence[str], future_ok: bool = False) -> FieldNoise:
        """Return dates in alternative forms (input: ``YYYY-MM-DD`` or empty).

        Args:
            values: Canonical dates.
            future_ok: The field normally holds future dates (a permit's
                valid-until date, a lease's end), so a "future date" would be
                no issue there and is not injected.
        """
        issues = self._date_issues[:-1] if future_ok else self._date_issues
        return self._inject(values, issues)

    def phones(self, values: Sequence[str], landlines: Sequence[str] | None = None) -> FieldNoise:
        """Return noisy mobile numbers (input: 11 digits or empty).

        Args:
            values: Canonical mobile numbers.
            landlines: The household's landline per value (``025-8xxxxxxx``),
                given instead of the mobile number at the ``phone_landline``
                rate; empty where the household has none.
        """
        noisy = self._inject(values, PHONE_ISSUES)
        if landlines is None:
            return noisy
        draws = self._rng.random(len(values))
        for i in np.flatnonzero(draws < self._rates.phone_landline).tolist():
            if values[i] and landlines[i] and not noisy.issues[i]:
                noisy.values[i] = _landline_form(landlines[i], self._rng)
                noisy.issues[i] = "phone_landline"
        return noisy

    def credit_codes(self, values: Sequence[str]) -> FieldNoise:
        """Return noisy unified social credit codes."""
        return self._inject(values, CREDIT_CODE_ISSUES)

    def addresses(self, units: Sequence[int], book: AddressBook) -> FieldNoise:
        """Return unit addresses, most in the register's form, some written otherwise.

        Args:
            units: Unit index per value.
            book: Renders the addresses.

        Returns:
            Values, issue names, and `unrecoverable` where the address no
            longer names exactly one unit (entrance or room left out).
        """
        count = len(units)
        values = [""] * count
        issues = [""] * count
        unrecoverable = np.zeros(count, dtype=bool)
        draws = self._rng.random((len(ADDRESS_ISSUES), count))
        rates = np.array([getattr(self._rates, name) for name in ADDRESS_ISSUES])[:, None]
        hit = draws < rates
        first = np.where(hit.any(axis=0), hit.argmax(axis=0), -1)
        for i, unit in enumerate(units):
            form = CANONICAL
            kind = int(first[i])
            if kind >= 0:
                form = self._address_form(ADDRESS_ISSUES[kind], book.is_office(int(unit)))
            values[i] = book.render(int(unit), form)
            if form is not CANONICAL:
                issues[i] = ADDRESS_ISSUES[kind]
                unrecoverable[i] = not book.identifies_unit(int(unit), form)
        return FieldNoise(values=values, issues=issues, unrecoverable=unrecoverable)

    def _address_form(self, issue: str, office: bool) -> AddressForm:
        rng = self._rng
        if issue == "address_no_prefix":
            return AddressForm(prefix_levels_dropped=int(rng.integers(1, 5)))
        if issue == "address_fullwidth":
            return AddressForm(fullwidth=True)
        if issue == "address_missing_room":
            if office or rng.random() < 0.5:
                return AddressForm(drop_room=True)
            return AddressForm(drop_entrance=True)
        if office:
            # Offices have no building or entrance numbers to write otherwise.
            return CANONICAL
        if issue == "address_chinese_numerals":
            return AddressForm(chinese_numerals=True)
        if issue == "address_building_word":
            return AddressForm(building_word=("幢", "号楼")[int(rng.integers(2))])
        return AddressForm(dash=True, prefix_levels_dropped=int(rng.integers(0, 5)))

    def mask(self, count: int, rate: float) -> np.ndarray:
        """Return a mask of `count` records hit by a record issue of `rate`."""
        return self._rng.random(count) < rate

    def duplicates(self, count: int) -> np.ndarray:
        """Return a mask of rows delivered twice within the same batch."""
        return self.mask(count, self._rates.duplicate_row)

    def pick_batches(self, count: int, rate: float, at_least_one: bool = True) -> np.ndarray:
        """Return a mask of `count` batches hit by a batch issue of `rate`.

        With `at_least_one`, a non-zero rate hits at least one batch, so that
        a small demo city shows the issue too.
        """
        hit = self._rng.random(count) < rate
        if at_least_one and rate > 0 and count and not hit.any():
            hit[int(self._rng.integers(count))] = True
        return hit

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

    def _future(self, value: str, _: np.random.Generator) -> str:
        # A mistyped year (2026 keyed as 2062, 2036...): always later than
        # the delivery, so the pipeline can tell it is wrong.
        year, month, day = _date_parts(value)
        future_year = self._today.year + 1 + (year * 7 + month + day) % 40
        return f"{future_year}-{month:02d}-{min(day, 28) if month == 2 else day:02d}"

    @staticmethod
    def _swap_dot(value: str, rng: np.random.Generator, dots: tuple[str, ...]) -> str:
        return value.replace(MIDDLE_DOT, dots[int(rng.integers(len(dots)))])


def _landline_form(landline: str, rng: np.random.Generator) -> str:
    area, number = landline.split("-")
    style = int(rng.integers(3))
    if style == 0:
        return landline
    if style == 1:
        return f"({area}){number}"
    return area + number


def _encodable(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def combine_issues(*columns: Sequence[str]) -> list[str]:
    """Join the per-row issues of several columns as ``a;b`` (empty if none)."""
    return [";".join(issue for issue in row if issue) for row in zip(*columns, strict=True)]
