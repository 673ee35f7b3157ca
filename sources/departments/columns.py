"""Vectorised column parsers (polars) that apply the scalar rules of sources.numbers to millions of cells."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import polars as pl

from sources.numbers import EN_GROUPED, GROUPING_SPACES, MISSING_MARKERS, POINT_DECIMAL


def _anchored(pattern) -> str:
    return f"^(?:{pattern.pattern})$"


def is_missing_expr(column: str) -> pl.Expr:
    """Flag cells that mean 'no figure' ('', '..', '-'), never to be read as zero."""
    return pl.col(column).is_null() | pl.col(column).str.strip_chars().str.to_lowercase().is_in(list(MISSING_MARKERS))


# PLAIN, VN_GROUPED and VN_DECIMAL in one pattern: the Vietnamese forms nearly every cell has.
_VIETNAMESE = r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$"


def number_expr(column: str) -> pl.Expr:
    """Parse Vietnamese-formatted numbers: '1.204,5' -> 1204.5; unreadable or missing -> null.

    The rules and their order are those of sources.numbers.parse_number; the Vietnamese forms are tested first
    in one pattern, the English and point-decimal forms only decide the rest.
    """
    text = pl.col(column).str.strip_chars().str.replace_all(f"[{GROUPING_SPACES}]", "").str.replace_all("\u2212", "-", literal=True)
    vietnamese = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    other = (
        pl.when(text.str.contains(_anchored(EN_GROUPED))).then(text.str.replace_all(",", "", literal=True))
        .when(text.str.contains(_anchored(POINT_DECIMAL))).then(text)
    )
    return pl.when(text.str.contains(_VIETNAMESE)).then(vietnamese).otherwise(other).cast(pl.Float64)


def read_numbers(frame: pl.DataFrame, column: str) -> tuple[pl.Expr, pl.Expr]:
    """Read a column of figures as number_expr and is_missing_expr do; return (number, missing) as columns.

    Nearly every cell is a bare number in the Vietnamese form ('330.957,6'): those are converted directly, and
    only the other cells (spaces, signs, the English forms, '..', text) go through number_expr and is_missing_expr,
    once per distinct value, their results set back in place. A column without a cell (no plan column) costs
    nothing. A test compares the results with the per-cell rules over every form.
    """
    raw = frame.get_column(column).cast(pl.String)
    if raw.null_count() == raw.len():
        return pl.repeat(None, raw.len(), dtype=pl.Float64), pl.repeat(True, raw.len(), dtype=pl.Boolean)
    plain = raw.str.contains(_VIETNAMESE).fill_null(False)
    # one pass for both: a bare Vietnamese number has at most one comma (other cells are read again below)
    number = raw.str.replace_many([".", ","], ["", "."]).cast(pl.Float64, strict=False)
    missing = raw.is_null()
    number, missing = _set_from_distinct(
        raw, ~plain & ~missing, {"number": (number, number_expr(column)), "missing": (missing, is_missing_expr(column))},
    )
    return pl.lit(number), pl.lit(missing)


def empty_cells(frame: pl.DataFrame, column: str) -> tuple[pl.Series, pl.Series]:
    """Flag a column's blank cells (null or spaces) and its missing ones (blank, '..', '-', …: no figure).

    A bare Vietnamese number is neither, so only the other cells are looked at, once per distinct value: a
    column of millions of figures costs one pattern match, not a strip and a lowercase per cell.
    """
    raw = frame.get_column(column).cast(pl.String)
    blank = raw.is_null()
    return _set_from_distinct(
        raw, ~raw.str.contains(_VIETNAMESE).fill_null(True),
        {"blank": (blank, pl.col(column).str.strip_chars() == ""), "missing": (blank.clone(), is_missing_expr(column))},
    )


def _set_from_distinct(raw: pl.Series, rows: pl.Series, reads: dict[str, tuple[pl.Series, pl.Expr]]) -> list[pl.Series]:
    """For each read (name -> (series, expression over the raw column)), compute the expression once per distinct
    raw cell of the chosen `rows` and set the results into the series at those rows; other rows keep their values."""
    at = rows.arg_true()
    if not at.len():
        return [series for series, _ in reads.values()]
    cells = raw.gather(at)
    read = pl.DataFrame({raw.name: cells.unique()}).select(
        pl.col(raw.name), *[expr.alias(name) for name, (_, expr) in reads.items()]
    )
    return [
        series.scatter(at, cells.replace_strict(read[raw.name], read[name], return_dtype=series.dtype))
        for name, (series, _) in reads.items()
    ]


def map_unique(frame: pl.DataFrame, column: str, parse: Callable[[str], Hashable | None], dtype: pl.DataType) -> pl.Expr:
    """Apply a scalar parser once per distinct value of a column and map the results back (cheap on repeats)."""
    mapping = {value: parse(value) for value in frame.get_column(column).drop_nulls().unique().to_list()}
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=dtype)


def parsed_fields(
    frame: pl.DataFrame, column: str, parse: Callable[[str], Any], fields: dict[str, tuple[str, pl.DataType]]
) -> list[pl.Expr]:
    """Parse each distinct value of a column once; return one expression per wanted attribute of the result.

    `fields` maps output name -> (attribute, dtype); a value the parser returns None for gives nulls. The
    expressions add columns without copying the frame's others: cheap over millions of repeated labels.
    """
    results = {value: parse(value) for value in frame.get_column(column).drop_nulls().unique().to_list()}
    if all(result is None for result in results.values()):  # nothing to map: no pass over the column
        return [pl.lit(None, dtype).alias(name) for name, (_, dtype) in fields.items()]
    return [
        pl.col(column).replace_strict(
            {value: getattr(result, attribute) if result is not None else None for value, result in results.items()},
            default=None, return_dtype=dtype,
        ).alias(name)
        for name, (attribute, dtype) in fields.items()
    ]
