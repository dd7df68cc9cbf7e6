"""Read back what the simulator delivered, the way a pipeline would.

Kept independent of the simulator's writers so that the tests check the
files, not the code that wrote them: files are decoded from bytes, workbooks
opened with openpyxl, headers mapped back to the contract's names through
the department's alias table, and every mention of a person, unit or
organization is taken from the delivered text (contract section 6).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from simulator.credit_codes import is_valid_credit_code
from simulator.deliveries import housing, justice, police
from simulator.identity_numbers import check_character

GBK_BOM = b"\xef\xbb\xbf"


@dataclass
class DeliveredRow:
    """One delivered row: where it is, its key, its values and the mentions in its text.

    Attributes:
        source_system, source: Department and source (table, endpoint path,
            file name or ``file#sheet``).
        row_number: 1-based position in the batch as delivered.
        record_key: The record key (contract section 6).
        values: Contract header -> delivered value.
        mentions: (role, position) -> the delivered identifier text.
    """

    source_system: str
    source: str
    row_number: int
    record_key: str
    values: dict[str, Any]
    mentions: dict[tuple[str, int], str] = field(default_factory=dict)

    # Backward-compatible shortcuts used by older tests.
    @property
    def id_number(self) -> str:
        for role in ("resident", "deceased", "corrections_subject", "owner", "floating_resident"):
            if (role, 1) in self.mentions:
                return self.mentions[(role, 1)]
        return ""


def _reverse(renames: dict[str, tuple[str, ...]], headers: list[str], contract: tuple[str, ...]) -> list[str]:
    """Map delivered headers back to contract headers (unknown ones kept as delivered)."""
    out = []
    for header in headers:
        if header in contract and header not in out:
            out.append(header)
            continue
        original = [c for c, aliases in renames.items() if header in aliases and c in contract and c not in headers]
        out.append(original[0] if original else header)
    return out


def read_all(out_dir: Path) -> list[DeliveredRow]:
    """Read every readable delivered row of every department under `out_dir`."""
    return [
        *read_police(out_dir / "police" / "police.sqlite"),
        *read_civil_affairs(out_dir / "civil_affairs"),
        *read_housing(out_dir / "housing"),
        *read_justice(out_dir / "justice"),
    ]


# -- police ------------------------------------------------------------------------------

_POLICE_CONTRACT = {"HJRK": police.HJRK_COLUMNS, "LDRK": police.LDRK_COLUMNS, "JQ": police.JQ_COLUMNS}


def police_rows(path: Path, table: str) -> list[dict]:
    """Return a police table's rows keyed by contract column codes."""
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute(f"SELECT * FROM {table} ORDER BY ID")
        headers = _reverse(police.RENAMES, [d[0] for d in cursor.description], _POLICE_CONTRACT[table])
        return [dict(zip(headers, row, strict=True)) for row in cursor.fetchall()]
    finally:
        connection.close()


def read_police(path: Path) -> list[DeliveredRow]:
    out = []
    for table in ("HJRK", "LDRK", "JQ"):
        for n, row in enumerate(police_rows(path, table), start=1):
            delivered = DeliveredRow("police", table, n, str(row["ID"]), row)
            if table == "HJRK":
                delivered.mentions[("resident", 1)] = row["GMSFHM"] or ""
                delivered.mentions[("registered_at", 1)] = row["HJDZ"]
            elif table == "LDRK":
                delivered.mentions[("floating_resident", 1)] = row["GMSFHM"] or ""
                delivered.mentions[("lives_at", 1)] = row["XZZ"]
                if row["FWCS"]:
                    delivered.mentions[("employer", 1)] = row["FWCS"]
            else:
                for k, number in enumerate((row["SJRY"] or "").split(";") if row["SJRY"] else [], start=1):
                    delivered.mentions[("involved", k)] = number
            out.append(delivered)
    return out


# -- civil affairs -----------------------------------------------------------------------


def read_civil_affairs(folder: Path) -> list[DeliveredRow]:
    out = []
    endpoints = (
        ("marriages", "regNo"), ("deaths", "recordNo"), ("subsistence", "caseNo"), ("organizations", "creditCode"),
    )
    for name, key in endpoints:
        records = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        for n, record in enumerate(records, start=1):
            row = DeliveredRow("civil_affairs", f"/api/v1/{name}", n, str(record[key]), record)
            if name == "marriages":
                row.mentions[("male_party", 1)] = record["maleIdNo"] or ""
                row.mentions[("female_party", 1)] = record["femaleIdNo"] or ""
            elif name == "deaths":
                row.mentions[("deceased", 1)] = record["idNo"] or ""
            elif name == "subsistence":
                row.mentions[("head", 1)] = record["headIdNo"] or ""
                for k, member in enumerate(record["members"], start=1):
                    row.mentions[("member", k)] = member["idNo"] or ""
                row.mentions[("lives_at", 1)] = record["address"]
            else:
                row.mentions[("organization", 1)] = record["creditCode"]
                row.mentions[("legal_representative", 1)] = record["legalRepIdNo"] or ""
            out.append(row)
    return out


# -- housing -----------------------------------------------------------------------------


def decode_housing(raw: bytes) -> str | None:
    """Decode a housing file as the contract says (GBK, or UTF-8 with a BOM); None if it is neither."""
    try:
        if raw.startswith(GBK_BOM):
            return raw.decode("utf-8-sig")
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return None


def housing_rows(path: Path) -> tuple[list[str], list[dict]] | None:
    """Return a housing file's contract headers and rows; None when it cannot be decoded."""
    text = decode_housing(path.read_bytes())
    if text is None:
        return None
    if not text:
        return [], []
    lines = list(csv.reader(io.StringIO(text, newline="")))
    contract = housing.HOUSE_UNIT_HEADERS if path.name.startswith("房屋") else housing.RENTAL_HEADERS
    headers = _reverse(housing.RENAMES, lines[0], contract)
    return headers, [dict(zip(headers, line, strict=False)) for line in lines[1:]]


def read_housing(folder: Path) -> list[DeliveredRow]:
    out = []
    for path in sorted(folder.glob("*.csv")):
        read = housing_rows(path)
        if read is None:
            continue
        _, rows = read
        for n, row in enumerate(rows, start=1):
            delivered = DeliveredRow("housing", path.name, n, str(n), row)
            if path.name.startswith("房屋"):
                delivered.mentions[("unit", 1)] = row.get("房屋编码", "")
                if "产权人证件号" in row:
                    delivered.mentions[("owner", 1)] = row["产权人证件号"]
            else:
                delivered.mentions[("landlord", 1)] = row.get("出租人证件号", "")
                tenants = row.get("承租人证件号", "")
                for k, number in enumerate(tenants.split(";") if tenants is not None else [], start=1):
                    delivered.mentions[("tenant", k)] = number
                delivered.mentions[("rented_unit", 1)] = row.get("房屋编码") or row.get("房屋坐落", "")
            out.append(delivered)
    return out


# -- justice -----------------------------------------------------------------------------

_JUSTICE_CONTRACT = {
    justice.CORRECTIONS_SHEET: justice.CORRECTIONS_HEADERS,
    justice.MEDIATION_SHEET: justice.MEDIATION_HEADERS,
    justice.RESETTLEMENT_SHEET: justice.RESETTLEMENT_HEADERS,
}


def open_workbook(path: Path):
    """Open a workbook; None when it is empty or cut short."""
    try:
        return openpyxl.load_workbook(path)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return None


def justice_data_rows(path: Path, sheet: str = justice.CORRECTIONS_SHEET) -> list[dict]:
    """Return a roster sheet's rows below the header and above ``合计``, keyed by contract headers."""
    workbook = open_workbook(path)
    if workbook is None:
        return []
    rows = list(workbook[sheet].iter_rows(min_row=2, values_only=True))
    headers = _reverse(justice.RENAMES, [str(h) for h in rows[0]], _JUSTICE_CONTRACT[sheet])
    data = [row for row in rows[1:] if row[0] != justice.TOTAL_LABEL]
    return [dict(zip(headers, row, strict=True)) for row in data]


def parse_parties(text: str) -> list[tuple[str, str]]:
    """Split ``姓名(证件号或电话)、姓名(...)`` into (name, identifier) pairs."""
    parties = []
    for part in text.split("、"):
        if part.endswith(")") and "(" in part:
            name, detail = part[:-1].split("(", 1)
            parties.append((name, detail))
        else:
            parties.append((part, ""))
    return parties


def read_justice(folder: Path) -> list[DeliveredRow]:
    out = []
    for path in sorted(folder.glob("*.xlsx")):
        if open_workbook(path) is None:
            continue
        for sheet in _JUSTICE_CONTRACT:
            for n, row in enumerate(justice_data_rows(path, sheet), start=1):
                delivered = DeliveredRow("justice", f"{path.name}#{sheet}", n, str(n), row)
                if sheet == justice.CORRECTIONS_SHEET:
                    delivered.mentions[("corrections_subject", 1)] = row["身份证号"] or ""
                    delivered.mentions[("lives_at", 1)] = row["居住地址"]
                elif sheet == justice.MEDIATION_SHEET:
                    for k, (_, detail) in enumerate(parse_parties(row["当事人"]), start=1):
                        delivered.mentions[("party", k)] = detail
                else:
                    delivered.mentions[("released_person", 1)] = row["身份证号"] or ""
                    delivered.mentions[("lives_at", 1)] = row["现住址"]
                    # A unit of the city only when the person is registered here.
                    delivered.mentions[("registered_at", 1)] = row["户籍地址"]
                out.append(delivered)
    return out


# -- repairs a pipeline can make -----------------------------------------------------------


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


def normalize_credit_code(value: str) -> str | None:
    """Upper-case a credit code; None when its check character fails."""
    text = value.strip().upper()
    return text if is_valid_credit_code(text) else None
