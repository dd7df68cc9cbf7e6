"""House-unit addresses as the registers write them, and the other ways people do.

The housing register writes ``<province><city><district><street><estate>3栋2单元501室``;
clerks of other departments drop the administrative prefix, write numerals
in Chinese (``三栋``), say ``幢`` or ``号楼`` for building, use the compact
``3-2-501``, leave out the entrance or the room, or type full-width digits
(contract section 5). `AddressBook` renders a unit's address in any of these
forms from its parts, so every variant still names the same unit (or, when
the entrance or room is left out, provably no longer does).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.city import USE_OFFICE, Divisions, Units

_FULLWIDTH_DIGITS = str.maketrans("0123456789-", "０１２３４５６７８９－")
_DIGITS = "零一二三四五六七八九"


def chinese_numeral(number: int) -> str:
    """Write 1-99 in Chinese numerals (``3`` -> ``三``, ``12`` -> ``十二``, ``21`` -> ``二十一``)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class AddressForm:
    """How to write one address.

    Attributes:
        prefix_levels_dropped: 0 keeps province, city, district and street;
            1 drops the province, 2 also the city, 3 also the district,
            4 also the street.
        chinese_numerals: Building and entrance numbers in Chinese.
        building_word: ``栋``, ``幢`` or ``号楼``.
        dash: The compact ``3-2-501`` form.
        drop_entrance: Leave out the entrance (单元).
        drop_room: Leave out the room.
        fullwidth: Full-width digits.
    """

    prefix_levels_dropped: int = 0
    chinese_numerals: bool = False
    building_word: str = "栋"
    dash: bool = False
    drop_entrance: bool = False
    drop_room: bool = False
    fullwidth: bool = False


CANONICAL = AddressForm()


class AddressBook:
    """Renders the addresses of a city's units.

    Args:
        divisions: The division tree.
        units: The housing stock.
    """

    def __init__(self, divisions: Divisions, units: Units) -> None:
        self._units = units
        self._prefix_parts: list[tuple[str, str, str, str]] = []
        for community in range(len(divisions.communities)):
            street = int(divisions.community_street[community])
            district = int(divisions.street_district[street])
            self._prefix_parts.append(
                (
                    divisions.province_name,
                    divisions.city.name,
                    divisions.districts[district].name,
                    divisions.streets[street].name,
                )
            )
        # Entrances per building, to tell whether dropping the entrance still
        # names one unit (it does only in single-entrance buildings).
        self._office = units.use == USE_OFFICE
        key = _estate_ids(units.estate) * 1000 + units.building
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
        maxima = np.maximum.reduceat(units.entrance[order], starts)
        group = np.cumsum(np.r_[True, sorted_key[1:] != sorted_key[:-1]]) - 1
        entrances = np.empty(len(units), dtype=np.int64)
        entrances[order] = maxima[group]
        self._entrances = entrances

    def is_office(self, unit: int) -> bool:
        """Tell whether a unit is in an office block (no building or entrance numbers)."""
        return bool(self._office[unit])

    def single_entrance(self, unit: int) -> bool:
        """Tell whether the unit's building has a single entrance."""
        return int(self._entrances[unit]) == 1

    def prefix(self, unit: int, dropped: int = 0) -> str:
        """Return the administrative prefix of a unit with `dropped` levels left out."""
        parts = self._prefix_parts[int(self._units.community[unit])]
        return "".join(parts[dropped:])

    def render(self, unit: int, form: AddressForm = CANONICAL) -> str:
        """Write a unit's address in `form`."""
        units = self._units
        head = self.prefix(unit, form.prefix_levels_dropped) + units.estate[unit]
        room = units.room[unit]
        if self._office[unit]:
            text = head + ("" if form.drop_room else f"{room}室")
        else:
            building, entrance = int(units.building[unit]), int(units.entrance[unit])
            if form.dash:
                parts = [str(building)]
                if not form.drop_entrance:
                    parts.append(str(entrance))
                if not form.drop_room:
                    parts.append(room)
                text = head + "-".join(parts)
            else:
                number = chinese_numeral(building) if form.chinese_numerals else str(building)
                door = chinese_numeral(entrance) if form.chinese_numerals else str(entrance)
                text = head + number + form.building_word
                if not form.drop_entrance:
                    text += f"{door}单元"
                if not form.drop_room:
                    text += f"{room}室"
        return text.translate(_FULLWIDTH_DIGITS) if form.fullwidth else text

    def identifies_unit(self, unit: int, form: AddressForm) -> bool:
        """Tell whether an address written in `form` still names exactly one unit."""
        if form.drop_room:
            return False
        return not form.drop_entrance or self._office[unit] or self.single_entrance(unit)


def _estate_ids(estates: list[str]) -> np.ndarray:
    index: dict[str, int] = {}
    return np.array([index.setdefault(name, len(index)) for name in estates], dtype=np.int64)
