"""Translate the schema's SQL for DuckLake, which has no keys, CHECKs, foreign keys or sequences.

The migrations and views are written once, for DuckDB; this is the one place that says what DuckLake cannot
take and drops it. What the dropped constraints guaranteed is kept by the loads instead (one load per file,
page and submission under an advisory lock: warehouse.transactions), and by the contracts at the door (the
CHECKed values are the ones contracts/ validates). Sequences and `nextval` defaults have no translation and are
refused, naming the statement. View column comments are dropped (DuckLake keeps comments on tables, table
columns and views only); the data dictionary is generated from a local warehouse (`dkpi docs`).
"""

from __future__ import annotations

import re


class UntranslatableDDL(ValueError):
    """Raised for schema SQL that DuckLake cannot express at all (a sequence)."""


_TABLE_CONSTRAINT = re.compile(
    r",\s*(?:constraint\s+\w+\s+)?(?:primary\s+key|unique|foreign\s+key|check)\s*\(", re.IGNORECASE
)
_COLUMN_CONSTRAINT = re.compile(
    r"\s+(?:constraint\s+\w+\s+)?(?:unique\b|check\s*\(|references\s+[\w.]+\s*\(?)", re.IGNORECASE
)
_COLUMN_KEY = re.compile(r"\bprimary\s+key\b(?!\s*\()", re.IGNORECASE)
_SEQUENCE = re.compile(r"\bcreate\s+(?:or\s+replace\s+)?sequence\b|\bnextval\s*\(", re.IGNORECASE)
_COLUMN_COMMENT = re.compile(r"\bcomment\s+on\s+column\b", re.IGNORECASE)


def for_ducklake(sql: str) -> str:
    """Drop what DuckLake lacks from schema SQL; comments and string literals are left alone.

    A column's primary key becomes NOT NULL, which DuckLake has and a key implies; the columns of a table-level key
    are declared NOT NULL in our migrations already (tests/warehouse/test_ddl.py compares the columns).
    'id varchar primary key, n int check (n > 0), unique (n)' -> 'id varchar not null, n int'
    """
    code = _mask(sql)
    if found := _SEQUENCE.search(code):
        raise UntranslatableDDL(f"DuckLake has no sequences: {sql[found.start():].splitlines()[0]!r}")
    spans = [(m.start(), _close(code, m.end() - 1)) for m in _TABLE_CONSTRAINT.finditer(code)]
    spans += [
        (m.start(), _close(code, m.end() - 1) if code[m.end() - 1] == "(" else m.end())
        for m in _COLUMN_CONSTRAINT.finditer(code)
        if not any(start <= m.start() < end for start, end in spans)
    ]
    keys = [m.span() for m in _COLUMN_KEY.finditer(code) if not any(start <= m.start() < end for start, end in spans)]
    return _cut(sql, spans + keys, {span: "not null" for span in keys})


def without_column_comments(sql: str) -> str:
    """Drop `comment on column …;` statements (DuckLake cannot comment a view's columns)."""
    code = _mask(sql)
    spans = [(m.start(), code.index(";", m.end()) + 1) for m in _COLUMN_COMMENT.finditer(code)]
    return _cut(sql, spans)


def _cut(sql: str, spans: list[tuple[int, int]], replacements: dict[tuple[int, int], str] | None = None) -> str:
    """Remove the spans (or put their replacement there), from the last so earlier positions stay right."""
    for span in sorted(spans, reverse=True):
        sql = sql[:span[0]] + (replacements or {}).get(span, "") + sql[span[1]:]
    return sql


def _close(code: str, opening: int) -> int:
    """Return the index just past the parenthesis that closes the one at `opening`."""
    depth = 0
    for index in range(opening, len(code)):
        depth += {"(": 1, ")": -1}.get(code[index], 0)
        if depth == 0:
            return index + 1
    raise ValueError(f"unbalanced parentheses in: {code[opening:opening + 60]!r}")


def _mask(sql: str) -> str:
    """Blank out comments and the inside of string literals (same length), so only code is matched."""
    return re.sub(
        r"--[^\n]*|'(?:[^']|'')*'",
        lambda m: (" " * len(m.group())) if m.group().startswith("--") else "'" + "_" * (len(m.group()) - 2) + "'",
        sql,
    )
