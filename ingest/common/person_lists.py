"""Read the fields that name several persons at once into aligned lists.

A rental names its tenants as ``;``-separated identity numbers beside
``;``-separated names, a mediation case writes its parties as
``张三(110101199001011234)、李四(13800001111)``, a subsistence case carries a
JSON list of members and a police incident lists the identity numbers of the
persons involved. Entity resolution needs each person as one mention with its
1-based position (source-systems.md section 6), so every helper here returns
list columns whose elements line up: element *i* of the id list, the name list
and the phone list are the same person. ``ingest.common.batches`` explodes
them into ``identity.person_mentions``.

Everything is a polars expression (``list.eval`` over the element
normalizers), except the JSON fallback for a malformed value.
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

from ingest.common.identity import id_number_issue, normalize_id_number
from ingest.common.names import normalize_person_name
from ingest.common.phones import normalize_phone
from ingest.common.text import WHITESPACE_CHARACTERS, to_halfwidth

__all__ = [
    "aligned",
    "count_invalid_ids",
    "count_missing_ids",
    "json_list",
    "normalize_id_list",
    "normalize_name_list",
    "parse_parties",
    "split_list",
]

_EMPTY_TEXT_LIST = pl.List(pl.Utf8)


def split_list(expr: pl.Expr, separators: str = ";") -> pl.Expr:
    """Split delimited text into a list, keeping each element's position.

    Full-width separators count (``；`` is ``;`` after half-width conversion).
    Separators at the end are dropped, so ``a;b;`` is two elements. An empty
    element at the start (``;a;b``: the first tenant has no number) or inside
    (``a;;c``) stays as null, so the elements after it keep their place
    beside a parallel list (the names). Null or empty text is an empty list.

    Args:
        expr: The delivered text.
        separators: Every character that separates elements.
    """
    separator_class = "[" + "".join(re.escape(character) for character in separators) + "]"
    first = separators[0]
    ends = rf"^(?:{WHITESPACE_CHARACTERS})+|(?:{separator_class}|{WHITESPACE_CHARACTERS})+$"
    text = to_halfwidth(expr).str.replace_all(separator_class, first).str.replace_all(ends, "").replace("", None)
    elements = text.str.split(first).list.eval(pl.element().str.strip_chars().replace("", None))
    return elements.fill_null(pl.lit([], dtype=_EMPTY_TEXT_LIST))


def aligned(expr: pl.Expr, length: pl.Expr) -> pl.Expr:
    """Pad a list with nulls (or cut it) to ``length`` elements."""
    return expr.list.gather(pl.int_ranges(0, length), null_on_oob=True)


def normalize_id_list(expr: pl.Expr) -> pl.Expr:
    """Normalize every identity number of a list (see ``normalize_id_number``)."""
    return expr.list.eval(normalize_id_number(pl.element()))


def normalize_name_list(expr: pl.Expr) -> pl.Expr:
    """Normalize every name of a list (see ``normalize_person_name``)."""
    return expr.list.eval(normalize_person_name(pl.element()))


def count_invalid_ids(normalized: pl.Expr) -> pl.Expr:
    """Count the identity numbers of a list that are present but fail a check."""
    return normalized.list.eval(
        (pl.element().is_not_null() & id_number_issue(pl.element()).is_not_null()).cast(pl.Int64)
    ).list.sum().fill_null(0)


def count_missing_ids(normalized: pl.Expr) -> pl.Expr:
    """Count the elements of a list that have no identity number."""
    return normalized.list.eval(pl.element().is_null().cast(pl.Int64)).list.sum().fill_null(0)


# 当事人: a party is a name, optionally followed by an identity number or a
# phone in parentheses; parties are joined by 、 (some clerks type ， or ;).
_PARTY_SEPARATORS = "、,;"
_PARTY = r"^(?P<name>[^()]*?)\s*(?:\((?P<contact>[^()]*)\)?)?\s*$"


def parse_parties(expr: pl.Expr) -> pl.Expr:
    """Parse ``张三(110101199001011234)、李四(13800001111)`` into aligned party lists.

    Returns:
        A struct with ``names``, ``id_numbers`` and ``phones``: lists of the
        same length, one element per party in delivered order.
        A party with a phone has a null identity number and the reverse; a
        contact that is not a certain phone is taken as an identity number, so
        a mistyped one is reported as invalid rather than dropped.
    """
    entries = (
        split_list(expr.str.replace_all("（", "(").str.replace_all("）", ")"), _PARTY_SEPARATORS)
        .list.eval(pl.element().filter(pl.element().is_not_null()))
    )
    names = entries.list.eval(normalize_person_name(pl.element().str.extract(_PARTY, 1)))
    contacts = entries.list.eval(
        pl.element().str.extract(_PARTY, 2).str.replace_all(WHITESPACE_CHARACTERS, "").replace("", None)
    )
    phones = contacts.list.eval(normalize_phone(pl.element()))
    id_numbers = contacts.list.eval(
        pl.when(normalize_phone(pl.element()).is_null()).then(normalize_id_number(pl.element()))
    )
    return pl.struct(names=names, id_numbers=id_numbers, phones=phones)


def json_list(expr: pl.Expr, fields: tuple[str, ...]) -> pl.Expr:
    """Decode a JSON list of objects (``[{"idNo": ..., "name": ...}, ...]``) delivered as text.

    Field values are read as text. A value that is not a JSON list of objects
    (malformed, or text such as ``张三,李四``) becomes null, so the cleaner can
    flag it; an object's missing fields are null.

    Args:
        expr: The delivered JSON text.
        fields: The object fields to keep, in order.
    """
    dtype = pl.List(pl.Struct({name: pl.Utf8 for name in fields}))

    def decode(values: pl.Series) -> pl.Series:
        looks_like_list = values.str.contains(r"^\s*\[")
        candidates = values.zip_with(looks_like_list.fill_null(False), pl.Series([None] * len(values), dtype=pl.Utf8))
        try:
            return candidates.str.json_decode(dtype)
        except pl.exceptions.PolarsError:
            # One malformed value fails the vectorized decoder for the whole
            # column; decode value by value instead (rare, so the cost is fine).
            return pl.Series(values.name, [_loads(value, fields) for value in candidates.to_list()], dtype=dtype)

    return expr.map_batches(decode, return_dtype=dtype)


def _loads(value: str | None, fields: tuple[str, ...]) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None
    if not isinstance(decoded, list) or not all(isinstance(item, dict) for item in decoded):
        return None
    return [{name: None if item.get(name) is None else str(item.get(name)) for name in fields} for item in decoded]
