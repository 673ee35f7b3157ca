"""Split a parsed frame by a Pandera contract: rows to load, and one quarantine record per broken rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl


@dataclass(frozen=True)
class Validated:
    """A parsed source split by its contract. Every row is in exactly one of loaded, quarantined (an error) or
    skipped (no figure: a total, a heading, an empty cell); warnings flag loaded rows."""

    valid: pl.DataFrame  # the rows to load (those with only warnings included)
    rejected: pl.DataFrame  # error findings: one per (row, rule); contracts.messages.FINDING_SCHEMA
    skipped: pl.DataFrame  # skipped findings
    warnings: pl.DataFrame  # warning findings on loaded rows
    rows_in: int
    rows_quarantined: int
    rows_skipped: int = 0

    @property
    def rows_loaded(self) -> int:
        return self.valid.height

    @property
    def findings(self) -> pl.DataFrame:
        """Every finding, for the quarantine table."""
        return pl.concat([self.rejected, self.skipped, self.warnings])


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
    """Validate lazily (every rule, every row), then split: failing rows go to `render` with their rule names.

    For contracts whose rules are all errors; a contract with skipped and warning severities sorts its own.
    """
    try:
        model.validate(frame, lazy=True)
        failures = pl.DataFrame(schema={"index": pl.Int64, "rule": pl.String})
    except pa.errors.SchemaErrors as errors:
        failures = row_failures(errors.failure_cases, rules)
    indexed = frame.with_row_index("index").with_columns(pl.col("index").cast(pl.Int64))
    rejected = render(indexed.join(failures, on="index", how="inner"))
    valid = indexed.join(failures.select("index").unique(), on="index", how="anti").drop("index")
    empty = rejected.clear()
    return Validated(
        valid=valid, rejected=rejected, skipped=empty, warnings=empty, rows_in=frame.height,
        rows_quarantined=failures.get_column("index").n_unique(),
    )
