"""Read file deliveries: CSV drops (GBK or UTF-8 with BOM) and Excel rosters.

A broken file becomes a refused batch with a clear reason (empty, undecodable,
mixed encodings, unreadable, no header row), never an exception that stops the
other files. A file cut off in the middle of its last row (a truncated
transfer) is not refused: its complete rows load and the cut row is kept in raw
and quarantined with the reason ``truncated row`` (see :func:`read_csv_delivery`).
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import re
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import polars as pl

from ingest.common.batches import DeliveredBatch
from ingest.common.headers import map_headers

log = logging.getLogger(__name__)

# Departments deliver GBK; some months UTF-8 with a byte-order mark
# (source-systems.md section 3). GB18030 is the superset of GBK that Python
# decodes, so a GBK file never fails for a character GBK's successors added.
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TOTAL_ROW_MARKERS = ("合计", "总计")

# Rule names (after ``raw.<entity>.delivery:``) of rows broken as delivered.
TRUNCATED_ROW = "truncated_row"
MALFORMED_ROW = "malformed_row"

# A line of a GBK file that also decodes as UTF-8 with this many CJK
# characters is UTF-8: GBK double-byte text essentially never forms valid
# multi-byte UTF-8 sequences for two characters running.
_MIXED_ENCODING_MIN_CJK = 2
_CJK = re.compile(r"[\u3400-\u9fff]")


class EncodingProblem(ValueError):
    """The bytes of a delivered text file cannot be read safely as text."""


def list_deliveries(folder: Path, pattern: str) -> list[tuple[Path, re.Match[str]]]:
    """Return the files in ``folder`` whose names match ``pattern``, sorted by name."""
    regex = re.compile(pattern)
    found = [(path, regex.fullmatch(path.name)) for path in sorted(folder.iterdir()) if path.is_file()]
    return [(path, match) for path, match in found if match]


def decode(data: bytes) -> tuple[str, str]:
    """Decode a delivered text file; return the text and the encoding detected.

    UTF-8 (with or without a byte-order mark) is tried first, then GBK (as
    GB18030). A file that mixes the two (one line re-saved in another editor),
    UTF-16, or binary content is refused rather than read as mojibake.

    Raises:
        UnicodeDecodeError: the bytes are neither UTF-8 nor GBK/GB18030.
        EncodingProblem: the bytes decode, but not as one text encoding.
    """
    if data.startswith(UTF16_BOMS):
        raise EncodingProblem("the file is UTF-16 (byte-order mark); the contract allows GBK or UTF-8")
    if data.startswith(UTF8_BOM):
        try:
            text, encoding = data[len(UTF8_BOM):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise EncodingProblem(
                f"the file starts with a UTF-8 byte-order mark but byte {error.start + len(UTF8_BOM)} is not "
                "UTF-8 (mixed encodings)"
            ) from error
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("gb18030"), "gbk"
            line = _utf8_line(data)
            if line is not None:
                raise EncodingProblem(
                    f"mixed encodings: line {line} is UTF-8 while the rest of the file is GBK"
                ) from None
    if "\x00" in text:
        raise EncodingProblem(f"the text holds NUL characters once read as {encoding} (binary or UTF-16 content)")
    return text, encoding


def _utf8_line(data: bytes) -> int | None:
    """Return the 1-based number of the first line of a non-UTF-8 file that is UTF-8 Chinese text.

    The file is decoded as UTF-8 once, with replacement characters: a line
    that holds none is a line that decodes as UTF-8 on its own (a line break
    is never part of a multi-byte sequence). Decoding each line apart cost
    seconds on a million-row file.
    """
    decoded = data.decode("utf-8", errors="replace")
    for number, line in enumerate(decoded.split("\n"), start=1):
        if line.isascii() or "\ufffd" in line:
            continue
        if len(_CJK.findall(line)) >= _MIXED_ENCODING_MIN_CJK:
            return number
    return None


def read_csv_delivery(path: Path, aliases: dict[str, list[str]], *, batch_id: str | None = None) -> DeliveredBatch:
    """Read one CSV drop into a batch of text columns with warehouse names.

    A plain file (no quoting, every line complete) is parsed by polars. Any
    other is parsed with Python's ``csv`` module, record by record, so that
    a record whose field count differs from the header is found and named
    instead of failing (or silently padding) the whole file:

    * the last record of a file that does not end with a line break was cut
      off in transfer (department exports end every record with one): it is
      kept and quarantined as ``truncated row``;
    * any other record with more or fewer fields than the header is kept and
      quarantined as ``malformed row``; values past the header go to raw's
      ``_extra`` as ``column_<n>``.

    Empty fields are null, as in every other delivery format. A file with
    its header but no data row is a delivery of nothing (``header_only``);
    an empty file is refused.
    """
    batch_id = batch_id or path.name
    data = path.read_bytes()

    def refused(reason: str) -> DeliveredBatch:
        return DeliveredBatch(batch_id=batch_id, source=path.name, frame=None, delivered_at=_file_date(path), refused=f"{path.name}: {reason}")

    if not data.strip():
        return refused("the file is empty")
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as error:
        return refused(f"not decodable as UTF-8 or GBK ({error.reason} at byte {error.start})")
    except EncodingProblem as error:
        return refused(f"wrong encoding: {error}; refused so that no value is misread")
    if not text.strip():
        return refused("the file is empty")

    plain = _plain_records(text)
    if plain is not None:
        header, frame = plain
    else:
        records = [record for record in csv.reader(io.StringIO(text, newline="")) if record]
        header = records[0]
    headers = _unique_headers(header)
    mapping = map_headers(headers, aliases)
    if not mapping.rename:
        return refused(
            f"none of the expected headers in the first line (read as {encoding}: "
            f"{', '.join(headers[:6])}...); wrong encoding or not this kind of file"
        )

    problems: dict[int, tuple[str, str]] = {}
    if plain is not None:
        frame.columns = headers
    else:
        frame, problems = _checked_records(text, headers, records)
    named = {name for name, cell in zip(headers, header) if cell.strip()}
    # A column with neither a header nor a value (a trailing comma on every
    # line, padding for rows that are short) is formatting, not data.
    frame = frame.select([name for name in frame.columns if name in named or frame[name].null_count() < frame.height])
    batch = _mapped(frame, aliases, batch_id=batch_id, source=path.name, delivered_at=_file_date(path))
    batch.row_problems = problems
    batch.header_only = frame.height == 0
    if problems:
        log.warning("%s: %d row(s) broken as delivered; they will be quarantined", path.name, len(problems))
    return batch


def _plain_records(text: str) -> tuple[list[str], pl.DataFrame] | None:
    """Parse a plain CSV with polars: the header and the data rows as text, or ``None``.

    Plain means no quoting, no blank line, a line break after every record
    and the header's field count on every line: then a record is a line and
    polars reads it exactly as the ``csv`` module would, about ten times
    faster (a 1,000,000-person city delivers a million house-unit rows).
    Anything else returns ``None`` and goes to :func:`_checked_records`,
    which names each broken row.
    """
    if '"' in text or not text.endswith("\n"):
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    header = text[: text.index("\n")].split(",")
    width = len(header) - 1
    # Every line has the header's field count exactly when the commas add up
    # and no line has more fields than the header, which polars refuses
    # below: a short (or empty) line would need a long one to make up the
    # sum. Counting is two passes in C instead of a split and a count per
    # line (1.2 s on the million-row register).
    if width == 0 or text.count(",") != width * text.count("\n"):
        return None
    try:
        frame = pl.read_csv(
            text.encode("utf-8"), has_header=False, infer_schema=False, quote_char=None, skip_rows=1,
            new_columns=[f"column_{position + 1}" for position in range(width + 1)], raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        # More fields than the header (ComputeError), or a first data row
        # whose field count differs from the header's (SchemaError).
        return None
    if frame.width != width + 1:
        # A header with no data row: polars sees no columns at all.
        frame = pl.DataFrame({f"column_{position + 1}": pl.Series([], dtype=pl.Utf8) for position in range(width + 1)})
    return header, frame


def _checked_records(text: str, headers: list[str], records: list[list[str]]) -> tuple[pl.DataFrame, dict[int, tuple[str, str]]]:
    """Build the frame record by record, naming every row whose field count is wrong.

    Returns the frame (short rows padded, values past the header in
    ``column_<n>``) and ``_source_row`` -> (rule, reason) for the broken rows.
    """
    header, rows = records[0], records[1:]
    width = max([len(headers), *(len(row) for row in rows)])
    headers = headers + [f"column_{position + 1}" for position in range(len(headers), width)]
    problems: dict[int, tuple[str, str]] = {}
    cut_off = bool(rows) and not text.endswith(("\n", "\r"))
    for number, row in enumerate(rows, start=1):
        if cut_off and number == len(rows):
            problems[number] = (
                TRUNCATED_ROW,
                f"truncated row: the file ends inside data row {number} without a line break "
                f"({len(row)} of {len(header)} fields delivered)",
            )
        elif len(row) != len(header):
            problems[number] = (
                MALFORMED_ROW,
                f"malformed row: data row {number} has {len(row)} fields where the header has {len(header)}",
            )
    columns = list(zip(*(row + [""] * (width - len(row)) for row in rows))) or [()] * width
    frame = pl.DataFrame(
        {name: pl.Series(name, [value if value != "" else None for value in values], dtype=pl.Utf8)
         for name, values in zip(headers, columns)}
    )
    return frame, problems


def _unique_headers(header: list[str]) -> list[str]:
    """Name empty header cells ``column_<n>`` and tell repeated headers apart (``X``, ``X_2``)."""
    seen: dict[str, int] = {}
    names = []
    for position, cell in enumerate(header):
        name = cell.strip().lstrip("\ufeff") or f"column_{position + 1}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names


def workbook_sheets(path: Path) -> list[str] | str:
    """Return the sheet names of a workbook, or why it cannot be read."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        return f"{path.name}: not a readable .xlsx workbook ({type(error).__name__}: {error})"
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


@functools.lru_cache(maxsize=64)
def _workbook_sheets(path: Path, _mtime_ns: int, _size: int) -> dict[str, tuple[tuple, ...]]:
    """Return every sheet's cell values, by sheet name in workbook order.

    A justice workbook holds three rosters, read by three datasets one after
    the other: parsing it (its shared strings above all) once instead of three
    times saves about 5 s at a million persons. The file's modification time
    and size are part of the key, so a replaced file is read again.
    """
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {name: tuple(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames}
    finally:
        workbook.close()


def read_xlsx_sheet(
    path: Path, sheet: str, aliases: dict[str, list[str]], *, known_sheets: tuple[str, ...] = ()
) -> DeliveredBatch | None:
    """Read one roster sheet: find the header row under the title, drop the total row.

    Returns:
        The batch (``file#sheet``), refused if the workbook is unreadable or the
        sheet has no header row; ``None`` when the workbook has no such sheet
        (that roster was not delivered this month). Sheets that are neither
        ``sheet`` nor one of ``known_sheets`` (a 说明 notes sheet) are ignored;
        the batch's note names them.
    """
    batch_id = f"{path.name}#{sheet}"
    delivered_at = _file_date(path)
    stat = path.stat()
    try:
        sheets = _workbook_sheets(path, stat.st_mtime_ns, stat.st_size)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        return DeliveredBatch(
            batch_id=batch_id, source=path.name, frame=None, delivered_at=delivered_at,
            refused=f"{path.name}: not a readable .xlsx workbook ({type(error).__name__}: {error})",
        )
    if sheet not in sheets:
        return None
    ignored = [name for name in sheets if name != sheet and name not in known_sheets]
    rows = [list(row) for row in sheets[sheet]]
    header_index = _header_row(rows, aliases)
    if header_index is None:
        return DeliveredBatch(
            batch_id=batch_id, source=f"{path.name}#{sheet}", frame=None, delivered_at=delivered_at,
            refused=f"{path.name} sheet {sheet}: no header row with the expected columns in the first 10 rows",
        )
    width = max(
        [len(rows[header_index]), *(_last_filled(row) for row in rows[header_index + 1:])]
    )
    header_cells = list(rows[header_index]) + [None] * (width - len(rows[header_index]))
    headers = _unique_headers([_cell_text(cell) or "" for cell in header_cells])
    data = []
    totals = 0
    for row in rows[header_index + 1:]:
        cells = [_cell_text(cell) for cell in row[:width]]
        cells += [None] * (width - len(cells))
        if all(cell is None for cell in cells):
            continue
        if any(cell and cell.replace(" ", "").startswith(TOTAL_ROW_MARKERS) for cell in cells[:3]):
            # A 合计 row sums the roster; it is not a record.
            totals += 1
            continue
        data.append(cells)
    frame = pl.DataFrame(data, schema={header: pl.Utf8 for header in headers}, orient="row")
    # Columns with neither a header nor a value are formatting, not data.
    frame = frame.select(
        [name for name, cell in zip(headers, header_cells) if cell is not None or frame[name].null_count() < frame.height]
    )
    batch = _mapped(frame, aliases, batch_id=batch_id, source=f"{path.name}#{sheet}", delivered_at=delivered_at)
    notes = []
    if ignored:
        notes.append(f"ignored sheet(s) outside the contract: {', '.join(ignored)}")
        log.warning("%s: ignored sheet(s) outside the contract: %s", path.name, ", ".join(ignored))
    if totals:
        notes.append(f"{totals} total row(s) dropped")
    batch.note = "; ".join(notes) or None
    batch.header_only = not data
    return batch


def _last_filled(row: list[object]) -> int:
    """Return how many cells of a row run up to its last non-empty one."""
    for position in range(len(row), 0, -1):
        if _cell_text(row[position - 1]) is not None:
            return position
    return 0


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
