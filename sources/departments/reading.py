"""Read a department file's bytes into tables of text cells: delimited text in the encodings offices use, or every sheet of a workbook."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import polars as pl

HEAD_LINES = 60  # titles and the header sit within the first lines; the body is read by polars
DELIMITERS = (",", ";", "\t")
UTF8_PIECE = 1 << 24
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # xlsx/xlsm/ods (zip), xls (OLE)


class UnreadableFile(ValueError):
    """Raised when a file cannot be read at all; the message names the file (and sheet) and the reason."""


@dataclass(frozen=True)
class Table:
    """One grid of text cells: a delimited file, or one sheet of a workbook."""

    name: str  # the file name, or 'file.xlsx#Sheet1'
    sheet: str | None
    encoding: str
    delimiter: str | None
    head: list[list[str]]  # the first lines as cells, to find title lines and the header
    # (first line index, width, label columns) -> column_0… (labels Categorical: few distinct values), source_row
    read_body: Callable[[int, int, frozenset[int]], pl.DataFrame]


def decode(name: str, content: bytes) -> tuple[str | None, str]:
    """Decide the text encoding: BOMs, then strict UTF-8, then Windows-1258; return (text or None for UTF-8, encoding).

    UTF-8 text is left as bytes (None) so a large file is not copied into a Python string.
    """
    if content.startswith(codecs.BOM_UTF8):
        # declared UTF-8: a large file's body is checked by polars as it reads it (read_delimited), a small one here
        if len(content) <= UTF8_PIECE and (broken_at := _utf8_error(memoryview(content)[3:])) is not None:
            raise broken_utf8(name, broken_at + 3)
        return None, "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _nfc(_decode(name, content, "utf-16")), "utf-16"
    if len(content) >= 4 and content[1] == 0 and content[3] == 0 and content[0] != 0:
        return _nfc(_decode(name, content, "utf-16-le")), "utf-16-le"
    if len(content) > UTF8_PIECE and _utf8_head(content):
        return None, "utf-8"  # the rest is checked by polars as it reads the body (read_delimited)
    broken_at = _utf8_error(memoryview(content))
    if broken_at is None:
        return None, "utf-8"
    if _mostly_utf8(content):
        raise broken_utf8(name, broken_at)
    return _nfc(_decode(name, content, "cp1258")), "cp1258"


def _utf8_head(content: bytes) -> bool:
    """Tell a large file UTF-8 by its first piece: valid UTF-8 with letters beyond ASCII, which Windows-1258
    Vietnamese text never is. Polars checks every byte of the body again while reading it, so checking the whole
    file first only doubled that work (0.13 s for 424 MB); a broken byte further on is still named exactly."""
    head = memoryview(content)[:UTF8_PIECE]
    end = len(head)
    while end > 1 and head[end - 1] & 0xC0 == 0x80:
        end -= 1  # a continuation byte at the cut: leave its character out
    if end > 0 and head[end - 1] >= 0xC0:
        end -= 1  # a lead byte at the cut
    piece = head[:end].tobytes()
    return not piece.isascii() and _utf8_error(memoryview(piece)) is None


def _utf8_error(content: memoryview) -> int | None:
    """Return the offset of the first invalid UTF-8 byte, or None.

    Polars checks the bytes in 16 MiB pieces cut between characters, so a large file is never copied whole;
    Python's decoder, four times slower on Vietnamese text, only reads a piece polars refused, to say where.
    """
    start = 0
    while start < len(content):
        end = min(start + UTF8_PIECE, len(content))
        while end < len(content) and end > start + 1 and content[end] & 0xC0 == 0x80:
            end -= 1  # a continuation byte: the piece would end inside a character
        piece = content[start:end]
        try:
            pl.Series([piece.tobytes()], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.ComputeError:
            try:
                codecs.decode(piece, "utf-8")
            except UnicodeDecodeError as error:
                return start + error.start
        start = end
    return None


def _mostly_utf8(content: bytes) -> bool:
    """Tell a UTF-8 file with a broken byte from Windows-1258 text: most of its non-ASCII bytes still form UTF-8 letters."""
    text = content.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    return sum(ch > "\x7f" for ch in text) - broken > broken


def broken_utf8(name: str, at: int) -> UnreadableFile:
    """The error for a UTF-8 file with a broken byte, naming its offset in the file."""
    return UnreadableFile(f"{name}: broken UTF-8 at byte {at}; re-save the file as UTF-8")


def _decode(name: str, content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{name}: not text in UTF-8, UTF-16 or Windows-1258 (byte {error.start}: {error.reason})"
        ) from None


def _nfc(text: str) -> str:
    # Windows-1258 writes tone marks as combining characters; every matcher expects precomposed NFC.
    return unicodedata.normalize("NFC", text.lstrip("\ufeff"))


def sniff_delimiter(lines: list[str]) -> str:
    """Pick the delimiter that splits the most lines into the same number (≥ 2) of fields; title lines do not count."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) >= 2]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        if (count, width) > best_score:
            best, best_score = delimiter, (count, width)
    return best


def read_tables(name: str, content: bytes) -> list[Table]:
    """Read a file into tables: one for delimited text, one per sheet for a workbook."""
    if content.startswith(_WORKBOOK_MAGIC):
        return read_workbook(name, content)
    return [read_delimited(name, content)]


def read_delimited(name: str, content: bytes) -> Table:
    """Read CSV/TSV text of any supported encoding and delimiter."""
    text, encoding = decode(name, content)
    if text is None:
        start = 3 if encoding == "utf-8-sig" else 0
        data: bytes = content[start:] if start else content
        try:
            head_text = _head_text(data)
        except UnicodeDecodeError as error:  # beyond the piece decode() checked
            raise broken_utf8(name, error.start + start) from None
    else:
        start = 0
        data = text.encode("utf-8")
        head_text = "\n".join(text.splitlines()[:HEAD_LINES])
    # Line ends are kept so a quoted header cell broken over lines ('"Thực hiện⏎tháng 9/2024"', as Excel writes
    # a cell with a line break) stays one cell of one record.
    lines = head_text.splitlines(keepends=True)[:HEAD_LINES]
    delimiter = sniff_delimiter(lines)
    head: list[list[str]] = []
    lines_read: list[int] = []  # physical lines read up to the end of each record
    reader = csv.reader(lines, delimiter=delimiter)
    for row in reader:
        head.append([" ".join(cell.split()) for cell in row])
        lines_read.append(reader.line_num)
    while len(head) < len(lines):
        head.append([])
        lines_read.append((lines_read[-1] if lines_read else 0) + 1)

    def read_body(first: int, width: int, labels: frozenset[int]) -> pl.DataFrame:
        # polars skips `first` records (quotes respected); source_row counts physical lines, as an editor shows them
        try:
            body = pl.read_csv(
                data, separator=delimiter, has_header=False, skip_rows=first, infer_schema=False,
                schema={f"column_{i}": pl.Categorical if i in labels else pl.String for i in range(width)}, truncate_ragged_lines=True, quote_char='"', extra_columns="ignore",
            )
        except pl.exceptions.ComputeError as error:
            if "invalid utf-8" in str(error) and (broken_at := _utf8_error(memoryview(data))) is not None:
                raise broken_utf8(name, broken_at + start) from None
            raise UnreadableFile(_csv_error(name, data, str(error))) from None
        before = lines_read[first - 1] if 0 < first <= len(lines_read) else first
        return body.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + before + 1).alias("source_row"))

    return Table(name, None, encoding, delimiter, head, read_body)


_NEWLINE = b"\n"
_UNCLOSED_FIELD = re.compile(r"Field `(.*?)` is not properly escaped", re.DOTALL)


def _csv_error(name: str, data: bytes, reason: str) -> str:
    """Say why polars could not split the text into cells, with the line an editor shows, in words a user reads.

    'Field `"1.204,5,tỷ đồng⏎…` is not properly escaped' -> 'tx.csv: line 2: a quoted cell is not closed …'
    """
    unclosed = _UNCLOSED_FIELD.search(reason)
    if unclosed:
        field = unclosed.group(1)
        at = data.find(field.encode("utf-8"))
        where = f"line {data.count(_NEWLINE, 0, at) + 1}: " if at >= 0 else ""
        return (
            f"{name}: {where}a quoted cell is not closed, or a quote inside a cell is not doubled, so the cells after"
            f" it cannot be told apart ({field.splitlines()[0][:60]!r}); fix the quotes and send the file again"
        )
    return f"{name}: the text cannot be split into cells: {reason.splitlines()[0]}"


def _head_text(data: bytes) -> str:
    cut = 0
    for _ in range(HEAD_LINES):
        cut = data.find(b"\n", cut) + 1
        if cut == 0:
            cut = len(data)
            break
    return data[:cut].decode("utf-8")


def read_workbook(name: str, content: bytes) -> list[Table]:
    """Read every non-empty sheet of an xlsx/xls/ods workbook; cells become text the number parser reads exactly."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as error:  # calamine raises its own error types for corrupt archives
        raise UnreadableFile(f"{name}: not a readable workbook ({error})") from None
    tables = []
    for sheet_name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(sheet_name)
        grid = [[_cell_text(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)]
        if not any(any(row) for row in grid):
            continue
        merged = [(first_row, first_col, last_row) for (first_row, first_col), (last_row, _) in sheet.merged_cell_ranges or ()]
        tables.append(Table(f"{name}#{sheet_name}", sheet_name, "xlsx", None, grid[:HEAD_LINES], _grid_reader(grid, merged)))
    if not tables:
        raise UnreadableFile(f"{name}: the workbook has no sheet with data")
    return tables


def _grid_reader(grid: list[list[str]], merged: list[tuple[int, int, int]] = ()) -> Callable[[int, int, frozenset[int]], pl.DataFrame]:
    """Read a sheet's body; a label cell merged down over several rows (a district or metric written once for
    its group, as Excel reports do) labels each of them: the sheet shows it for all, so it is not a guess."""
    def read_body(first: int, width: int, labels: frozenset[int]) -> pl.DataFrame:
        rows = [(row + [""] * width)[:width] for row in grid[first:]]
        for first_row, column, last_row in merged:
            if column in labels and first_row >= first and last_row > first_row:
                for row in rows[first_row - first + 1:last_row - first + 1]:
                    row[column] = row[column] or rows[first_row - first][column]
        columns = {f"column_{i}": [row[i] or None for row in rows] for i in range(width)}
        frame = pl.DataFrame(columns, schema={f"column_{i}": pl.Categorical if i in labels else pl.String for i in range(width)})
        return frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int32) + first + 1).alias("source_row"))

    return read_body


def _cell_text(cell) -> str:
    """Write a workbook cell as text in the Vietnamese number format: 5606.123 -> '5606,123', a date -> '01/2024'."""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if cell.is_integer():
            return str(int(cell))
        return format(Decimal(repr(cell)), "f").replace(".", ",")
    if isinstance(cell, datetime | date):
        # A header typed as 01/2024 becomes a date in Excel; a period is all it can mean here.
        return f"{cell.month:02d}/{cell.year}"
    if isinstance(cell, time):
        return cell.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(cell)).split())  # a line break inside a cell is a space
