"""Vectorised column readers: the fast reading of a column of figures gives exactly what the per-cell rules give."""

import polars as pl

from sources.departments.columns import is_missing_expr, number_expr, read_numbers

# bare Vietnamese numbers (converted directly) mixed with every other form (read by the per-cell rules)
CELLS = [
    "1.204,5", "5.606", "84,72", "1,151,248", "1,204.5", "3.5", " 1 204,5 ", "\u22123", "+7", "-2,5", "08",
    "12.45,6", "1,2,3", "1.2.3", "abc", "..", "-", "", "  ", "…", None, "1.204,5", None, "0", "1.000.000.000,25",
    "1.204,5 ", "1204,", ",5", "1\u00a0204,5", "1\u202f204\u202f000", "\u00a012\u00a0",
]


def test_read_numbers_gives_what_number_expr_and_is_missing_expr_give():
    frame = pl.DataFrame({"v": CELLS * 3})
    number, missing = read_numbers(frame, "v")
    fast = frame.select(number.alias("number"), missing.alias("missing"))
    cell_by_cell = frame.select(number_expr("v").alias("number"), is_missing_expr("v").alias("missing"))
    assert fast.equals(cell_by_cell)
    assert fast.row(0) == (1204.5, False) and fast.row(CELLS.index("..")) == (None, True)
    assert fast.row(CELLS.index("12.45,6")) == (None, False)  # unreadable, not missing: its own rule reports it


def test_read_numbers_of_a_categorical_or_all_null_column():
    frame = pl.DataFrame({"c": ["1.204,5", "..", None]}, schema={"c": pl.Categorical}).with_columns(
        pl.lit(None, pl.String).alias("empty")
    )
    number, missing = read_numbers(frame, "c")
    assert frame.select(number, missing.alias("m")).rows() == [(1204.5, False), (None, True), (None, True)]
    number, missing = read_numbers(frame, "empty")
    assert frame.select(number, missing.alias("m")).rows() == [(None, True)] * 3
