"""Vectorised column parsers (polars) that apply the scalar rules of sources.numbers to millions of cells."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import polars as pl

from sources.numbers import (
    EN_GROUPED, PLAIN, POINT_DECIMAL, VN_DECIMAL, VN_GROUPED, MISSING_MARKERS,
)


def _anchored(pattern) -> str:
    return f"^(?:{pattern.pattern})$"


def is_missing_expr(column: str) -> pl.Expr:
    """Flag cells that mean 'no figure' ('', '..', '-'), never to be read as zero."""
    return pl.col(column).is_null() | pl.col(column).str.strip_chars().str.to_lowercase().is_in(list(MISSING_MARKERS))


def number_expr(column: str) -> pl.Expr:
    """Parse Vietnamese-formatted numbers: '1.204,5' -> 1204.5; unreadable or missing -> null."""
    text = pl.col(column).str.strip_chars().str.replace_all(" ", "", literal=True).str.replace_all("\u2212", "-", literal=True)
    return (
        pl.when(text.str.contains(_anchored(PLAIN)))
        .then(text)
        .when(text.str.contains(_anchored(VN_GROUPED)) | text.str.contains(_anchored(VN_DECIMAL)))
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(text.str.contains(_anchored(EN_GROUPED)))
        .then(text.str.replace_all(",", "", literal=True))
        .when(text.str.contains(_anchored(POINT_DECIMAL)))
        .then(text)
        .otherwise(None)
        .cast(pl.Float64)
    )


def map_unique(frame: pl.DataFrame, column: str, parse: Callable[[str], Hashable | None], dtype: pl.DataType) -> pl.Expr:
    """Apply a scalar parser once per distinct value of a column and map the results back (cheap on repeats)."""
    (expr,) = lookup(frame, column, lambda value: _Box(parse(value)), {column: ("value", dtype)})
    return expr


def lookup(frame: pl.DataFrame, column: str, parse: Callable[[str], Any], fields: dict[str, tuple[str, pl.DataType]]) -> list[pl.Expr]:
    """Parse each distinct value of a column once; return one expression per wanted attribute of the result.

    `fields` maps output name -> (attribute, dtype); a value the parser returns None for gives nulls.
    """
    distinct = frame.get_column(column).drop_nulls().unique().to_list()
    results = {value: parse(value) for value in distinct}
    return [
        pl.col(column).replace_strict(
            {value: getattr(result, attribute) if result is not None else None for value, result in results.items()},
            default=None, return_dtype=dtype,
        ).alias(name)
        for name, (attribute, dtype) in fields.items()
    ]


@dataclass(frozen=True)
class _Box:
    value: Any
