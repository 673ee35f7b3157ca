"""Write department files the ways offices do (encodings, workbooks) and run them through parse + contract."""

from __future__ import annotations

import io
import unicodedata

from contracts.catalogue import gazetteer, metric_catalogue
from contracts.department import Validated, validate_department
from contracts.department_mappings import department_mappings
from sources.departments import ParsedFile, parse_department_file

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Encode text as legacy Windows-1258 does: letters with ^ ˘ ơ ư precomposed, tone marks as combining characters."""
    out = []
    for char in text:
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in parts if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")


def xlsx(sheets: dict[str, list[list]], merged: dict[str, list[tuple]] | None = None) -> bytes:
    """Write a workbook: sheet name -> rows of cells (str, int, float or datetime); merged ranges per sheet."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    date_format = workbook.add_format({"num_format": "mm/yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None or cell == "":
                    continue
                if hasattr(cell, "year"):
                    sheet.write_datetime(r, c, cell, date_format)
                else:
                    sheet.write(r, c, cell)
        for first_row, first_col, last_row, last_col, text in (merged or {}).get(name, []):
            sheet.merge_range(first_row, first_col, last_row, last_col, text)
    workbook.close()
    return buffer.getvalue()


def parse(content: str | bytes, name: str = "test.csv", *, mappings=None) -> ParsedFile:
    """Parse a file with the real catalogues (and the real mappings unless given)."""
    data = content.encode() if isinstance(content, str) else content
    return parse_department_file(
        name, data, gazetteer=gazetteer(), metrics=metric_catalogue(),
        mappings=department_mappings() if mappings is None else mappings,
    )


def check(parsed: ParsedFile) -> Validated:
    """Validate a parsed file and assert that every row is accounted for."""
    result = validate_department(parsed.frame, parsed.headers, parsed.structure)
    assert result.rows_in == result.rows_loaded + result.rows_quarantined + result.rows_skipped
    assert result.rows_in == parsed.frame.height + parsed.structure.height
    return result


def figures(result: Validated, *columns: str) -> list[tuple]:
    """Return the chosen columns of the valid figures, in file order, as plain tuples."""
    ordered = result.valid.sort("source_sheet", "source_row", "month_start", "basis", nulls_last=False)
    return ordered.select(columns).rows()
