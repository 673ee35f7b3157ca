"""Split a parsed frame by a Pandera contract: rows to load, and one quarantine record per broken rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl


@dataclass(frozen=True)
class Validated:
    """A parsed source split by its contract: rows to load and problems to quarantine."""

    valid: pl.DataFrame
    rejected: pl.DataFrame  # source_row, column_name, raw_value, rule, message, raw_row
    rows_in: int

    @property
    def rows_quarantined(self) -> int:
        """Count the distinct rows that failed at least one rule."""
        return self.rejected.get_column("source_row").n_unique() if self.rejected.height else 0


def when_present(condition: pl.Expr, *required: str) -> pl.Expr:
    """Pass rows whose inputs are missing (another rule reports those) and test the others."""
    missing = pl.any_horizontal(*[pl.col(name).is_null() for name in required]) if required else pl.lit(False)
    return missing | condition.fill_null(False)


def row_failures(failure_cases: pl.DataFrame, rules: Iterable[str]) -> pl.DataFrame:
    """Keep the row-level failures of known rules; anything else means the frame itself is wrong (a bug)."""
    unknown = failure_cases.filter(pl.col("index").is_null() | ~pl.col("check").is_in(list(rules)))
    if unknown.height:
        raise ValueError(f"contract failed on the frame itself, not on rows: {unknown.to_dicts()[:3]}")
    return failure_cases.select(pl.col("index").cast(pl.Int64), pl.col("check").alias("rule")).unique()


def split(
    model: type[pa.DataFrameModel],
    frame: pl.DataFrame,
    rules: Iterable[str],
    render: Callable[[pl.DataFrame], pl.DataFrame],
) -> Validated:
    """Validate lazily (every rule, every row), then split: failing rows go to `render` with their rule names."""
    try:
        model.validate(frame, lazy=True)
        failures = pl.DataFrame(schema={"index": pl.Int64, "rule": pl.String})
    except pa.errors.SchemaErrors as errors:
        failures = row_failures(errors.failure_cases, rules)
    indexed = frame.with_row_index("index").with_columns(pl.col("index").cast(pl.Int64))
    rejected = render(indexed.join(failures, on="index", how="inner"))
    valid = indexed.join(failures.select("index").unique(), on="index", how="anti").drop("index")
    return Validated(valid=valid, rejected=rejected, rows_in=frame.height)
