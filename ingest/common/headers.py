"""Map delivered headers to warehouse column names, dropping out-of-scope fields.

Departments rename headers from one delivery to the next (``身份证号`` vs
``公民身份号码`` vs ``证件号码``), add columns and reorder them. Each
department's ``source.yaml`` lists, per warehouse column, every header alias
seen so far; this module applies that table once for all departments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

OUT_OF_SCOPE_FILE = Path(__file__).with_name("out_of_scope.yaml")


@cache
def out_of_scope_headers() -> dict[str, str]:
    """Return every out-of-scope header alias (normalized) mapped to its category."""
    table = yaml.safe_load(OUT_OF_SCOPE_FILE.read_text(encoding="utf-8"))
    return {_normal(alias): category for category, aliases in table.items() for alias in aliases}


def _normal(header: str) -> str:
    return "".join(str(header).split()).lstrip("\ufeff").lower()


@dataclass(frozen=True)
class HeaderMapping:
    """How one delivery's headers map to warehouse columns."""

    rename: dict[str, str]
    """Delivered header -> warehouse column, for every recognised header."""
    dropped: list[str] = field(default_factory=list)
    """Out-of-scope headers, dropped and never written."""
    extra: list[str] = field(default_factory=list)
    """Headers neither recognised nor out of scope: kept in the raw ``_extra`` column."""
    missing: list[str] = field(default_factory=list)
    """Warehouse columns no delivered header maps to."""


def map_headers(headers: list[str], aliases: dict[str, list[str]]) -> HeaderMapping:
    """Map delivered headers to warehouse columns using the alias table of a source.yaml.

    Args:
        headers: the headers as delivered, in delivered order.
        aliases: warehouse column -> the delivered headers that mean it.
    """
    lookup = {_normal(alias): column for column, names in aliases.items() for alias in names}
    forbidden = out_of_scope_headers()
    rename: dict[str, str] = {}
    dropped: list[str] = []
    extra: list[str] = []
    for header in headers:
        key = _normal(header)
        if key in lookup and lookup[key] not in rename.values():
            rename[header] = lookup[key]
        elif key in forbidden:
            dropped.append(header)
        else:
            extra.append(header)
    missing = [column for column in aliases if column not in rename.values()]
    return HeaderMapping(rename=rename, dropped=dropped, extra=extra, missing=missing)
