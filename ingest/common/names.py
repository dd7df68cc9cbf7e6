"""Normalize person and organization names, and key them by pronunciation.

Names arrive with leading, trailing and inner spaces (``张 三``), full-width
spaces and letters, and several look-alike middle dots in transliterated names
(``阿卜杜拉•买买提``). Normalization makes the same written name compare equal;
it does not touch the characters themselves. A rare character replaced by a
homophone or by its pinyin (``王喆`` / ``王哲`` / ``王zhe``) is left for
probabilistic matching, for which :func:`name_pinyin_key` gives a key.
"""

from __future__ import annotations

import re

import polars as pl

from ingest.common.distinct import per_distinct
from ingest.common.text import WHITESPACE_CHARACTERS, contains_fullwidth, named_like, null_if_empty, to_halfwidth

__all__ = [
    "MIDDLE_DOT",
    "name_pinyin_key",
    "name_pinyin_keys",
    "name_repairs",
    "normalize_org_name",
    "normalize_person_name",
]

#: The middle dot the national standard uses in transliterated names (U+00B7).
MIDDLE_DOT = "\u00b7"

# Dots that can only be a middle dot in a name: bullet, katakana middle dot and
# its half-width form, hyphenation point, bullet and dot operators, Greek ano
# teleia, word separator middle dot. All are typed for U+00B7 by mistake.
_DOT_VARIANTS = {
    "\u2022": MIDDLE_DOT,
    "\u30fb": MIDDLE_DOT,
    "\uff65": MIDDLE_DOT,
    "\u2027": MIDDLE_DOT,
    "\u2219": MIDDLE_DOT,
    "\u22c5": MIDDLE_DOT,
    "\u0387": MIDDLE_DOT,
    "\u2e31": MIDDLE_DOT,
}
_WS = WHITESPACE_CHARACTERS
_HAN = r"\p{Han}"


def _unify_dots(halfwidth: pl.Expr) -> pl.Expr:
    """Turn middle-dot variants into U+00B7; a full stop only next to a Han character."""
    # A full stop next to a Han character is a middle dot typed on a Latin
    # keyboard (阿卜杜拉.买买提); between Latin letters it is an initial
    # (J. Smith) and stays.
    return (
        halfwidth.str.replace_many(_DOT_VARIANTS)
        .str.replace_all(rf"({_HAN}){_WS}*\.", f"${{1}}{MIDDLE_DOT}")
        .str.replace_all(rf"\.{_WS}*({_HAN})", f"{MIDDLE_DOT}${{1}}")
    )


def _normalize_spaces(expr: pl.Expr) -> pl.Expr:
    """Strip, drop spaces around middle dots and between Han characters, collapse the rest."""
    tidy = pl.field("tidy")
    # A Han name has no meaningful space, so all of them go in one pass. With
    # Latin letters present, runs collapse to one space and only the gaps
    # between two Han characters go; each regex pass closes every other gap
    # (matches cannot overlap), so three passes close up to seven in a row.
    latin = tidy.str.replace_all(rf"{_WS}+", " ")
    for _ in range(3):
        latin = latin.str.replace_all(rf"({_HAN}) ({_HAN})", "${1}${2}")
    return (
        pl.struct(
            tidy=expr.str.replace_all(rf"{_WS}*{MIDDLE_DOT}{_WS}*", MIDDLE_DOT).str.replace_all(
                rf"^{_WS}+|{_WS}+$", ""
            )
        )
        .struct.with_fields(
            spaced=pl.when(tidy.str.contains(r"[A-Za-z]")).then(latin).otherwise(tidy.str.replace_all(_WS, ""))
        )
        .struct.field("spaced")
    )


def normalize_person_name(expr: pl.Expr) -> pl.Expr:
    """Normalize person names for exact comparison.

    Converts full-width characters, strips, removes spaces between Chinese
    characters (keeping one space between words of a Latin name), removes
    spaces around middle dots and unifies middle-dot variants (``•``, ``・``,
    ``．``, and ``.`` next to a Chinese character) to ``·`` (U+00B7). Empty
    values become null.

    Args:
        expr: The name as delivered (String).

    Returns:
        A String expression with the normalized name, or null; it keeps the
        name of the input column.
    """
    # Names repeat (245,000 distinct among 700,000 registered residents): each
    # distinct name is normalized once, also inside ``list.eval``.
    return per_distinct(
        lambda names: null_if_empty(_normalize_spaces(_unify_dots(to_halfwidth(names)))), expr, return_dtype=pl.String
    )


def name_repairs(expr_raw: pl.Expr) -> pl.Expr:
    """List what :func:`normalize_person_name` changes in each delivered name.

    A full-width space that ends up as the single space of a Latin name counts
    as ``fullwidth`` only; one that is removed counts as both.

    Args:
        expr_raw: The name as delivered.

    Returns:
        A String expression named ``name_repairs`` with comma-separated flags in
        the order ``whitespace``, ``middle_dot``, ``fullwidth``; null when
        nothing changed.
    """
    return per_distinct(_name_repairs, expr_raw, return_dtype=pl.String).alias("name_repairs")


def _name_repairs(expr_raw: pl.Expr) -> pl.Expr:
    """Build the expression :func:`name_repairs` evaluates per distinct name."""
    raw = pl.field("raw")
    halfwidth = pl.field("halfwidth")
    dotted = pl.field("dotted")
    flags = [
        pl.when(pl.field("spaced") != dotted).then(pl.lit("whitespace")),
        pl.when(dotted != halfwidth).then(pl.lit("middle_dot")),
        pl.when(contains_fullwidth(raw)).then(pl.lit("fullwidth")),
    ]
    return (
        pl.struct(raw=expr_raw)
        .struct.with_fields(halfwidth=to_halfwidth(raw))
        .struct.with_fields(dotted=_unify_dots(halfwidth))
        .struct.with_fields(spaced=_normalize_spaces(dotted))
        .struct.with_fields(name_repairs=null_if_empty(pl.concat_str(flags, separator=",", ignore_nulls=True)))
        .struct.field("name_repairs")
    )


_NOT_KEY_CHARACTERS = re.compile(r"[^a-z0-9]")


def name_pinyin_key(name: str) -> str:
    """Spell a name in toneless pinyin, as one lower-case word.

    Homophones and names where a rare character was typed as its pinyin get
    the same key (``王喆``, ``王哲`` and ``王zhe`` all give ``wangzhe``), so the
    key suits blocking and comparison in probabilistic matching, never exact
    linkage.

    Args:
        name: A normalized name.

    Returns:
        The key; Latin letters and digits are kept, lower-cased, and everything
        else (spaces, middle dots) is dropped.
    """
    # Imported here: pypinyin loads its phrase dictionaries on import (~0.5 s).
    from pypinyin import lazy_pinyin

    return _NOT_KEY_CHARACTERS.sub("", "".join(lazy_pinyin(name)).lower())


def name_pinyin_keys(expr: pl.Expr) -> pl.Expr:
    """Apply :func:`name_pinyin_key` to a column, once per distinct name.

    pypinyin is Python, so this is not vectorized; computing each distinct
    name once keeps it affordable since names repeat.

    Args:
        expr: A String expression of normalized names.

    Returns:
        A String expression of keys, keeping the input column's name; null
        where the input is null.
    """

    def keys(names: pl.Series) -> pl.Series:
        distinct = names.drop_nulls().unique()
        mapped = pl.Series([name_pinyin_key(name) for name in distinct.to_list()], dtype=pl.String)
        return names.replace_strict(distinct, mapped, default=None, return_dtype=pl.String)

    return named_like(expr.map_batches(keys, return_dtype=pl.String, is_elementwise=True), expr)


_BRACKETS = {"\ufe59": "(", "\ufe5a": ")", "\u3014": "(", "\u3015": ")"}


def normalize_org_name(expr: pl.Expr) -> pl.Expr:
    """Normalize organization names for exact comparison.

    Converts full-width characters (so ``（）`` become ``()``), maps the small
    and tortoise-shell brackets ``﹙﹚〔〕`` to ``()`` too, and removes every
    space: a Chinese organization name has none that matter. Empty values
    become null.

    Args:
        expr: The organization name as delivered (String).

    Returns:
        A String expression with the normalized name, or null; it keeps the
        name of the input column.
    """
    return named_like(null_if_empty(to_halfwidth(expr).str.replace_many(_BRACKETS).str.replace_all(_WS, "")), expr)
