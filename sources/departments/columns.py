"""Vectorised column parsers (polars) that apply the scalar rules of sources.numbers to millions of cells."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import polars as pl

from sources.numbers import EN_GROUPED, MISSING_MARKERS, POINT_DECIMAL


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
    text = pl.col(column).str.strip_chars().str.replace_all(" ", "", literal=True).str.replace_all("\u2212", "-", literal=True)
    vietnamese = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    other = (
        pl.when(text.str.contains(_anchored(EN_GROUPED))).then(text.str.replace_all(",", "", literal=True))
        .when(text.str.contains(_anchored(POINT_DECIMAL))).then(text)
    )
    return pl.when(text.str.contains(_VIETNAMESE)).then(vietnamese).otherwise(other).cast(pl.Float64)


def map_unique(frame: pl.DataFrame, column: str, parse: Callable[[str], Hashable | None], dtype: pl.DataType) -> pl.Expr:
    """Apply a scalar parser once per distinct value of a column and map the results back (cheap on repeats)."""
    mapping = {value: parse(value) for value in frame.get_column(column).drop_nulls().unique().to_list()}
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=dtype)


def join_parsed(
    frame: pl.DataFrame, column: str, parse: Callable[[str], Any], fields: dict[str, tuple[str, pl.DataType]]
) -> pl.DataFrame:
    """Parse each distinct value of a column once and join the wanted attributes of the results as new columns.

    `fields` maps output name -> (attribute, dtype); a value the parser returns None for gives nulls. One hash
    join per source column, however many attributes: the cheap way over millions of repeated labels.
    """
    distinct = frame.get_column(column).drop_nulls().unique(maintain_order=True)
    results = [parse(value) for value in distinct.to_list()]
    table = pl.DataFrame(
        [distinct]
        + [
            pl.Series(name, [getattr(result, attribute) if result is not None else None for result in results], dtype=dtype)
            for name, (attribute, dtype) in fields.items()
        ]
    )
    return frame.join(table, on=column, how="left", maintain_order="left")
