"""Read back what the simulator delivered, the way a pipeline would.

Kept independent of the simulator's own writers so that the tests check the
files, not the code that wrote them.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from simulator.identity_numbers import check_character


@dataclass(frozen=True)
class DeliveredRow:
    """One delivered row: its source, 1-based position, key and person fields."""

    source_system: str
    source: str
    row_number: int
    record_key: str
    id_number: str
    name: str


def read_all(out_dir: Path) -> list[DeliveredRow]:
    """Read every delivered row of every department under `out_dir`."""
    return [
        *_police(out_dir / "police" / "police.sqlite"),
        *_deaths(out_dir / "civil_affairs" / "deaths.json"),
        *(row for path in sorted((out_dir / "housing").glob("*.csv")) for row in _housing(path)),
        *(row for path in sorted((out_dir / "justice").glob("*.xlsx")) for row in _justice(path)),
    ]


def _police(path: Path) -> list[DeliveredRow]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT ID, GMSFHM, XM FROM HJRK ORDER BY ID").fetchall()
    finally:
        connection.close()
    return [
        DeliveredRow("police", "HJRK", n, str(key), id_number or "", name or "")
        for n, (key, id_number, name) in enumerate(rows, start=1)
    ]


def _deaths(path: Path) -> list[DeliveredRow]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [
        DeliveredRow("civil_affairs", "/api/v1/deaths", n, r["recordNo"], r["idNo"] or "", r["name"])
        for n, r in enumerate(records, start=1)
    ]


def _housing(path: Path) -> list[DeliveredRow]:
    with path.open(encoding="gbk", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        DeliveredRow("housing", path.name, n, str(n), r["产权人证件号"], r["产权人名称"])
        for n, r in enumerate(rows, start=1)
    ]


def justice_data_rows(path: Path, sheet: str = "社区矫正") -> list[tuple]:
    """Return the data rows of a roster sheet: below the header, above ``合计``."""
    workbook = openpyxl.load_workbook(path)
    rows = list(workbook[sheet].iter_rows(min_row=3, values_only=True))
    return [row for row in rows if row[0] != "合计"]


def _justice(path: Path) -> list[DeliveredRow]:
    return [
        DeliveredRow("justice", path.name, n, str(n), row[2] or "", row[1] or "")
        for n, row in enumerate(justice_data_rows(path), start=1)
    ]


def normalize_identity_number(value: str) -> str | None:
    """Repair what a pipeline can repair; None when the value stays invalid.

    Removes spaces (ASCII and full-width), folds full-width characters,
    upper-cases ``x`` and upgrades 15-digit numbers.
    """
    text = "".join(unicodedata.normalize("NFKC", value).split()).upper()
    if len(text) == 15 and text.isdigit():
        body = text[:6] + "19" + text[6:]
        text = body + check_character(body)
    if len(text) != 18 or not text[:17].isdigit() or check_character(text[:17]) != text[17]:
        return None
    return text
