"""Parse free-text Chinese addresses into components, and key them for matching.

The same flat is written many ways across departments: with or without the
province/city/district prefix, ``三栋``/``3栋``/``3幢``/``3号楼``/``3#``, the
compact ``3-2-501`` (building-entrance-room), with or without unit or room, in
full-width characters. :func:`parse_address` splits an address into the
administrative prefix, the estate and the unit parts, with unit numbers as
Arabic numerals; :func:`address_match_key` turns the parts into one text key
so the same place written differently compares equal. The key names a flat
in clear text: it is compared in memory (person resolution, quality checks)
and never stored outside the restricted ``identity`` schema, which keeps the
parsed components in ``identity.unit_mentions``.

This is a first, rule-based version: two regex extractions per column, no
gazetteer. It reads the common residential forms; road-and-number addresses
without an estate keep the road text as the estate, and the road number is
not a separate field.
"""

from __future__ import annotations

import polars as pl

from ingest.common.distinct import per_distinct
from ingest.common.text import WHITESPACE_CHARACTERS, named_like, null_if_empty, to_halfwidth

__all__ = [
    "ADDRESS_FIELDS",
    "ADDRESS_TYPE",
    "ESTATE_SUFFIXES",
    "PREFIX_FIELDS",
    "address_match_key",
    "address_province",
    "parse_address",
    "parse_address_prefix",
]

#: The fields of the struct :func:`parse_address` returns, in order.
ADDRESS_FIELDS = (
    "province",
    "city",
    "district",
    "street",
    "community",
    "estate",
    "building",
    "entrance",
    "floor",
    "room",
)

#: The dtype :func:`parse_address` returns.
ADDRESS_TYPE = pl.Struct({name: pl.String for name in ADDRESS_FIELDS})

#: Words that end an estate (residential compound) name.
ESTATE_SUFFIXES = ("小区", "花园", "苑", "家园", "公寓", "新村", "大厦")

# Administrative prefixes, each optional, in their fixed order. Every name
# excludes digits and the level characters so a group cannot run into the next
# level. The character before a district's 区 may not be 小/园/社/校/景/厂/
# 街/片, because 小区, 园区, 社区... end estate and community names, not
# districts; a village's 村 may not follow 新, because 新村 ends estates.
_NAME = r"[^省市区县\d]"
_PROVINCE = rf"{_NAME}{{2,7}}?(?:省|自治区)"
#: The prefix fields, in order.
PREFIX_FIELDS = ADDRESS_FIELDS[:5]
# The pattern stops at the prefix; the rest of the address is the text after
# it. Matching ``(?P<rest>.*)$`` as well made the regex engine capture over the
# whole address: twice the time, for the same groups (every part is optional,
# so the prefix it takes never depends on what follows).
_PREFIX_PATTERN = (
    r"^(?P<prefix>"
    rf"(?P<province>{_PROVINCE})?"
    rf"(?P<city>{_NAME}{{2,8}}?(?:市|自治州|地区|盟))?"
    rf"(?P<district>{_NAME}{{1,7}}?[^省市区县\d小园社校景厂街片](?:区|县|旗|市))?"
    rf"(?P<street>{_NAME}{{2,8}}?(?:街道|镇|乡))?"
    rf"(?P<community>{_NAME}{{1,8}}?(?:社区|[^新省市区县\d]村))?"
    r")"
)

_CHINESE_DIGITS = "零〇一二两三四五六七八九十"
_NUMBER = rf"[0-9{_CHINESE_DIGITS}]+"
_BUILDING_NUMBER = rf"[0-9A-Za-z{_CHINESE_DIGITS}]+"
# The unit part at the end of the address: either the compact 3-2-501 form, or
# building / entrance / floor / room, each optional. The place before it is
# lazy, so the unit part is the longest tail that parses.
_UNIT_PATTERN = (
    r"^(?P<place>.*?)(?:"
    r"(?P<compact_building>[0-9A-Za-z]+)-(?P<compact_entrance>\d+)-(?P<compact_room>\d+)(?:室|号)?"
    rf"|(?:(?P<building>{_BUILDING_NUMBER})(?:栋|幢|号楼|#楼|#|座))?"
    rf"(?:(?P<entrance>{_NUMBER})(?:单元|-))?"
    rf"(?:(?P<floor>{_NUMBER})(?:层|楼))?"
    rf"(?:(?P<room>{_NUMBER})(?P<room_suffix>室|号|户)?)?"
    r")$"
)
_ESTATE_PATTERN = rf"([^0-9路街巷弄号]+(?:{'|'.join(ESTATE_SUFFIXES)})(?:[0-9]+期)?)"

_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-"}

# Chinese numerals are converted only inside the extracted unit numbers, never
# across the whole address: place names are full of them (十里堡, 三里屯,
# 一品小区), and a global replacement would rewrite the estate's name.
_DIGIT_BY_DIGIT = {
    "零": "0", "〇": "0", "一": "1", "二": "2", "两": "2", "三": "3",
    "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}  # fmt: skip
_DIGIT_NAMES = "一二三四五六七八九"


def _numbers_with_ten() -> dict[str, str]:
    """Spell 10-99 the way they are written with 十 (十, 十一, 二十, 二十一...)."""
    table = {}
    for value in range(10, 100):
        tens, ones = divmod(value, 10)
        ones_text = _DIGIT_NAMES[ones - 1] if ones else ""
        table[("" if tens == 1 else _DIGIT_NAMES[tens - 1]) + "十" + ones_text] = str(value)
        if tens == 1:
            table["一十" + ones_text] = str(value)
    return table


_NUMBERS_WITH_TEN = _numbers_with_ten()
_PHASES = {f"{name}期": f"{value}期" for value, name in enumerate(_DIGIT_NAMES, start=1)} | {"十期": "10期"}


def _to_arabic(token: pl.Expr) -> pl.Expr:
    """Write a unit number in Arabic numerals, upper-case, without leading zeros.

    ``token`` is read three times, so pass a ``pl.field``.
    """
    # Tokens with 十 are counted numbers (二十一 = 21) and are looked up whole;
    # tokens without are read digit by digit (五〇一 = 501), as rooms are.
    with_ten = token.replace_strict(_NUMBERS_WITH_TEN, default=token, return_dtype=pl.String)
    digit_by_digit = token.str.replace_many(_DIGIT_BY_DIGIT)
    arabic = pl.when(token.str.contains("十", literal=True)).then(with_ten).otherwise(digit_by_digit)
    return null_if_empty(arabic.str.to_uppercase().str.replace(r"^0+(\d)", "${1}"))


def _clean(expr: pl.Expr) -> pl.Expr:
    """Convert to half-width, drop all whitespace and unify dashes."""
    return to_halfwidth(expr).str.replace_all(WHITESPACE_CHARACTERS, "").str.replace_many(_DASHES)


def parse_address(expr: pl.Expr) -> pl.Expr:
    """Split free-text addresses into administrative, estate and unit parts.

    Reads optional ``XX省``, ``XX市``, ``XX区/县``, ``XX街道/镇/乡`` and
    ``XX社区/村`` prefixes; an estate ending in one of
    :data:`ESTATE_SUFFIXES`; a building (``3栋``, ``3幢``, ``3号楼``, ``3#``,
    ``A座``, ``三栋``), an entrance (``2单元``), a floor (``5层``/``5楼``) and a
    room (``501室``, ``501``), or the compact ``3-2-501``. A bare number is
    only taken as a room when a building, entrance or floor precedes it, or it
    ends in 室/户, so a road number (``88号``) is not read as a room.

    Args:
        expr: The address as delivered (String).

    Returns:
        A Struct expression with the String fields of :data:`ADDRESS_FIELDS`,
        keeping the input column's name. Building, entrance, floor and room are
        Arabic numerals without leading zeros (letters upper-cased); the floor
        comes from the room (``501`` -> ``5``, ``1203`` -> ``12``) when not
        written. The estate is the text before the unit part when no estate
        suffix is found. Parts not present are null.
    """
    # Addresses repeat (a household, a building's flats share a prefix and
    # often the whole text): each distinct one is parsed once.
    return per_distinct(_parse_address, expr, return_dtype=ADDRESS_TYPE)


def _parse_address(expr: pl.Expr) -> pl.Expr:
    """Build the expression :func:`parse_address` evaluates per distinct address."""
    units = pl.field("units")
    has_units = pl.field("has_units")
    place = pl.field("place")
    room = pl.field("room_arabic")

    def kept(name: str) -> pl.Expr:
        return pl.when(has_units).then(pl.field(name))

    result = (
        _prefix_parts(expr)
        .struct.with_fields(units=pl.field("rest").str.extract_groups(_UNIT_PATTERN))
        .struct.with_fields(
            building_text=pl.coalesce(units.struct.field("compact_building"), units.struct.field("building")),
            entrance_text=pl.coalesce(units.struct.field("compact_entrance"), units.struct.field("entrance")),
            floor_text=units.struct.field("floor"),
            room_text=pl.coalesce(units.struct.field("compact_room"), units.struct.field("room")),
        )
        .struct.with_fields(
            # A lone number is a room only with 室/户; otherwise the tail
            # belongs to the place (a road number) and no unit part is kept.
            has_units=pl.field("building_text").is_not_null()
            | pl.field("entrance_text").is_not_null()
            | pl.field("floor_text").is_not_null()
            | (pl.field("room_text").is_not_null() & units.struct.field("room_suffix").is_in(["室", "户"])),
        )
        .struct.with_fields(
            place=null_if_empty(pl.when(has_units).then(units.struct.field("place")).otherwise(pl.field("rest")))
            .str.replace_many(_PHASES),
            building_kept=kept("building_text"),
            entrance_kept=kept("entrance_text"),
            floor_kept=kept("floor_text"),
            room_kept=kept("room_text"),
        )
        .struct.with_fields(
            estate=pl.coalesce(place.str.extract(_ESTATE_PATTERN), place),
            building=_to_arabic(pl.field("building_kept")),
            entrance=_to_arabic(pl.field("entrance_kept")),
            floor_written=_to_arabic(pl.field("floor_kept")),
            room_arabic=_to_arabic(pl.field("room_kept")),
        )
        .struct.with_fields(
            address=pl.struct(
                province=pl.field("province"),
                city=pl.field("city"),
                district=pl.field("district"),
                street=pl.field("street"),
                community=pl.field("community"),
                estate=pl.field("estate"),
                building=pl.field("building"),
                entrance=pl.field("entrance"),
                floor=pl.coalesce(
                    pl.field("floor_written"),
                    pl.when(room.str.contains(r"^\d{3,}$")).then(
                        room.str.slice(0, room.str.len_chars() - 2).str.replace(r"^0+(\d)", "${1}")
                    ),
                ),
                room=room,
            )
        )
        .struct.field("address")
    )
    return named_like(result, expr)


def _prefix_parts(expr: pl.Expr) -> pl.Expr:
    """Clean an address and split it into the :data:`PREFIX_FIELDS` and the ``rest`` after them."""
    prefix = pl.field("prefix")
    return (
        pl.struct(cleaned=_clean(expr))
        .struct.with_fields(prefix=pl.field("cleaned").str.extract_groups(_PREFIX_PATTERN))
        .struct.with_fields(
            *(prefix.struct.field(name) for name in PREFIX_FIELDS),
            rest=pl.field("cleaned").str.slice(prefix.struct.field("prefix").str.len_chars()),
        )
    )


def parse_address_prefix(expr: pl.Expr) -> pl.Expr:
    """Read only the administrative prefix of addresses: the :data:`PREFIX_FIELDS` of :func:`parse_address`.

    For a source that delivers the estate and unit parts in their own
    columns (the housing register), the prefix is all parsing has to add;
    it costs about a third of the whole parse.

    Args:
        expr: The address as delivered (String).

    Returns:
        A Struct expression with the String fields of :data:`PREFIX_FIELDS`,
        each equal to the same field of :func:`parse_address`; it keeps the
        input column's name.
    """
    return per_distinct(
        lambda addresses: _prefix_parts(addresses)
        .struct.with_fields(administrative=pl.struct(*(pl.field(name) for name in PREFIX_FIELDS)))
        .struct.field("administrative"),
        expr,
        return_dtype=pl.Struct({name: pl.String for name in PREFIX_FIELDS}),
    )


def address_province(expr: pl.Expr) -> pl.Expr:
    """Return the province an address names: the ``province`` of :func:`parse_address`, read alone.

    Every later part of the prefix pattern is optional and the rest of the
    address matches anything, so the province the full pattern takes is the
    first that this one finds; reading only it costs one short anchored match
    instead of the whole parse (a floating resident's address of origin is
    kept for its province only, and those addresses hardly repeat).

    Args:
        expr: The address as delivered (String).

    Returns:
        A String expression, null when no province is written; it keeps the
        input column's name.
    """
    return named_like(_clean(expr).str.extract(rf"^({_PROVINCE})", 1), expr)


def address_match_key(struct_expr: pl.Expr) -> pl.Expr:
    """Build the text key ``estate|building|entrance|room`` of parsed addresses.

    The administrative prefix is left out on purpose, since it is what
    departments most often omit; a trailing ``小区`` after another estate
    suffix (``阳光花园小区``) is dropped for the same reason. Missing parts are
    empty between the bars.

    Args:
        struct_expr: Output of :func:`parse_address`.

    Returns:
        A String expression named ``address_match_key``; null when estate,
        building, entrance and room are all missing.
    """
    other_suffixes = "|".join(suffix for suffix in ESTATE_SUFFIXES if suffix != "小区")
    parts = [
        pl.field("estate").str.replace(rf"({other_suffixes})小区$", "${1}"),
        pl.field("building"),
        pl.field("entrance"),
        pl.field("room"),
    ]
    key = pl.concat_str([part.fill_null("") for part in parts], separator="|")
    return (
        struct_expr.struct.with_fields(
            address_match_key=pl.when(pl.all_horizontal(part.is_null() for part in parts)).then(None).otherwise(key)
        )
        .struct.field("address_match_key")
    )
