"""Read file deliveries: CSV drops (GBK or UTF-8 with BOM) and Excel rosters.

A broken file becomes a refused batch with a clear reason (empty, undecodable,
unreadable, no header row), never an exception that stops the other files.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import polars as pl

from ingest.common.batches import DeliveredBatch
from ingest.common.headers import map_headers

# Departments deliver GBK; some months UTF-8 with a byte-order mark
# (source-systems.md section 3). GB18030 is the superset of GBK that Python
# decodes, so a GBK file never fails for a character GBK's successors added.
UTF8_BOM = b"\xef\xbb\xbf"
TOTAL_ROW_MARKERS = ("合计", "总计")


def list_deliveries(folder: Path, pattern: str) -> list[tuple[Path, re.Match[str]]]:
    """Return the files in ``folder`` whose names match ``pattern``, sorted by name."""
    regex = re.compile(pattern)
    found = [(path, regex.fullmatch(path.name)) for path in sorted(folder.iterdir()) if path.is_file()]
    return [(path, match) for path, match in found if match]


def decode(data: bytes) -> tuple[str, str]:
    """Decode a delivered text file; return the text and the encoding detected.

    Raises:
        UnicodeDecodeError: the bytes are neither UTF-8 nor GBK/GB18030.
    """
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gbk"


def read_csv_delivery(path: Path, aliases: dict[str, list[str]], *, batch_id: str | None = None) -> DeliveredBatch:
    """Read one CSV drop into a batch of text columns with warehouse names."""
    batch_id = batch_id or path.name
    data = path.read_bytes()
    if not data.strip():
        return DeliveredBatch(batch_id=batch_id, source=path.name, frame=None, refused=f"{path.name}: the file is empty")
    try:
        text, _ = decode(data)
    except UnicodeDecodeError as error:
        return DeliveredBatch(
            batch_id=batch_id, source=path.name, frame=None,
            refused=f"{path.name}: not decodable as UTF-8 or GBK ({error.reason} at byte {error.start})",
        )
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        return DeliveredBatch(
            batch_id=batch_id, source=path.name, frame=None,
            refused=f"{path.name}: not a readable CSV file ({str(error).splitlines()[0]})",
        )
    return _mapped(frame, aliases, batch_id=batch_id, source=path.name, delivered_at=_file_date(path))


def read_xlsx_sheet(path: Path, sheet: str, aliases: dict[str, list[str]]) -> DeliveredBatch:
    """Read one roster sheet: find the header row under the title, drop the total row."""
    batch_id = f"{path.name}#{sheet}"
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        return DeliveredBatch(
            batch_id=batch_id, source=path.name, frame=None,
            refused=f"{path.name}: not a readable .xlsx workbook ({type(error).__name__}: {error})",
        )
    try:
        if sheet not in workbook.sheetnames:
            return DeliveredBatch(
                batch_id=batch_id, source=path.name, frame=None,
                refused=f"{path.name}: no sheet named {sheet} (sheets: {', '.join(workbook.sheetnames)})",
            )
        rows = [list(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
    header_index = _header_row(rows, aliases)
    if header_index is None:
        return DeliveredBatch(
            batch_id=batch_id, source=path.name, frame=None,
            refused=f"{path.name} sheet {sheet}: no header row with the expected columns in the first 10 rows",
        )
    headers = [_cell_text(cell) or f"column_{position + 1}" for position, cell in enumerate(rows[header_index])]
    data = []
    for row in rows[header_index + 1:]:
        cells = [_cell_text(cell) for cell in row[: len(headers)]]
        cells += [None] * (len(headers) - len(cells))
        if all(cell is None for cell in cells):
            continue
        if any(cell and cell.replace(" ", "") in TOTAL_ROW_MARKERS for cell in cells[:3]):
            continue
        data.append(cells)
    frame = pl.DataFrame(data, schema={header: pl.Utf8 for header in headers}, orient="row")
    return _mapped(frame, aliases, batch_id=batch_id, source=f"{path.name}#{sheet}", delivered_at=_file_date(path))


def _header_row(rows: list[list[object]], aliases: dict[str, list[str]]) -> int | None:
    """Return the index of the first row that holds at least three known headers."""
    known = {"".join(alias.split()) for names in aliases.values() for alias in names}
    for index, row in enumerate(rows[:10]):
        cells = {"".join(str(cell).split()) for cell in row if cell is not None}
        if len(cells & known) >= 3:
            return index
    return None


def _cell_text(cell: object) -> str | None:
    """Render an Excel cell as the text a person would read; Excel dates become ISO dates."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time(0) else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell)
    return text if text.strip() else None


def _mapped(frame: pl.DataFrame, aliases: dict[str, list[str]], *, batch_id: str, source: str, delivered_at: datetime | None) -> DeliveredBatch:
    mapping = map_headers(frame.columns, aliases)
    frame = frame.drop(mapping.dropped).rename(mapping.rename)
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("_source_row"))
    return DeliveredBatch(
        batch_id=batch_id, source=source, frame=frame, delivered_at=delivered_at, dropped_fields=mapping.dropped,
    )


def _file_date(path: Path) -> datetime | None:
    """Return the delivery date the file name carries (``..._YYYYMMDD`` or ``..._YYYYMM``)."""
    match = re.search(r"_(\d{8}|\d{6})(?=\.[^.]+$)", path.name)
    if not match:
        return None
    digits = match.group(1)
    try:
        return datetime.strptime(digits, "%Y%m%d" if len(digits) == 8 else "%Y%m")
    except ValueError:
        return None
