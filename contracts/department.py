"""The contract at the door between a parsed department file and the warehouse: every rule, every row, lazily."""

from __future__ import annotations

from datetime import date

import pandera.polars as pa
import polars as pl

from contracts.catalogue import gazetteer, metric_catalogue
from contracts.door import Validated, row_failures, when_present
from contracts.messages import FINDING_SCHEMA, RULES, render_messages, render_structure

EARLIEST_PERIOD = date(2000, 1, 1)
KEY = ("unit_id", "metric", "month_start", "basis")
# What the checks read; the contract sees only these, so millions of raw cells are not copied through every check.
CHECKED_COLUMNS = (
    "source_row", "key_repeated", "unit_id", "district_raw", "metric", "metric_raw", "metric_unit", "month_start", "value_missing", "number", "value",
    "unit", "unit_raw", "basis", "cumulative_raw", "annual_plan_raw", "annual_plan_number", "annual_plan",
)
# A valid figure as the warehouse takes it.
VALID_COLUMNS = (
    "unit_id", "district", "metric", "month_start", "as_of", "basis", "value", "unit", "is_preliminary", "annual_plan",
    "source_sheet", "source_row", "source_column",
)


def current_month_start() -> date:
    """Return the first day of this month: periods after it are in the future."""
    return date.today().replace(day=1)


class DepartmentObservation(pa.DataFrameModel):
    """One figure of a department file, parsed; rule names are the `rule` column of the quarantine."""

    # Labels are Categorical: a few distinct values repeated over millions of figures.
    source_row: pl.Int32  # line (or Excel row) number: 2 billion lines are enough
    unit_id: pl.Categorical = pa.Field(nullable=True)
    metric: pl.Categorical = pa.Field(nullable=True)
    month_start: date = pa.Field(nullable=True)
    value: float = pa.Field(nullable=True)
    unit: pl.Categorical = pa.Field(nullable=True)
    basis: pl.Categorical = pa.Field(nullable=True)
    annual_plan: float = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = False

    @pa.check("unit_id", name="known_district")
    def _known_district(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("unit_id").is_not_null() | pl.col("district_raw").is_null())

    @pa.check("unit_id", name="missing_district")
    def _missing_district(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("district_raw").is_not_null())

    @pa.check("metric", name="known_metric")
    def _known_metric(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("metric").is_not_null() | pl.col("metric_raw").is_null())

    @pa.check("metric", name="missing_metric")
    def _missing_metric(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("metric_raw").is_not_null())

    @pa.check("month_start", name="period_format")
    def _period_format(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("month_start").is_not_null())

    @pa.check("month_start", name="period_range")
    def _period_range(cls, data) -> pl.LazyFrame:
        in_range = pl.col("month_start").is_between(pl.lit(EARLIEST_PERIOD), pl.lit(current_month_start()))
        return data.lazyframe.select(when_present(in_range, "month_start"))

    @pa.check("value", name="missing_value")
    def _missing_value(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.col("value_missing"))

    @pa.check("value", name="number_format")
    def _number_format(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("value_missing") | pl.col("number").is_not_null())

    # A cell without a figure ('..', '-', empty: skipped) has no unit to check: a group row such as 'I. Thu ngân
    # sách' with no unit and no figures is skipped, not refused for its unit.
    @pa.check("unit", name="unknown_unit")
    def _unknown_unit(cls, data) -> pl.LazyFrame:
        unread = pl.col("unit").is_null() & pl.col("unit_raw").is_not_null()
        return data.lazyframe.select(~unread | pl.col("metric").is_null() | pl.col("value_missing"))

    @pa.check("unit", name="missing_unit")
    def _missing_unit(cls, data) -> pl.LazyFrame:
        # No unit cell, label, header, title or mapping names one, and the metric needs one (đồng: which multiple?)
        absent = pl.col("unit").is_null() & pl.col("unit_raw").is_null()
        return data.lazyframe.select(~absent | pl.col("metric").is_null() | pl.col("value_missing"))

    @pa.check("unit", name="unit_mismatch")
    def _unit_mismatch(cls, data) -> pl.LazyFrame:
        matches = pl.col("unit") == pl.col("metric_unit")
        return data.lazyframe.select(when_present(matches, "unit", "metric_unit") | pl.col("value_missing"))

    @pa.check("basis", name="cumulative_flag")
    def _cumulative_flag(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("basis").is_not_null() | pl.col("metric").is_null())

    @pa.check("value", name="negative_value")
    def _negative_value(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(when_present(pl.col("value") >= 0, "value"))

    @pa.check("value", name="percent_range")
    def _percent_range(cls, data) -> pl.LazyFrame:
        within = (pl.col("unit") != "percent") | (pl.col("value") <= 1000)
        return data.lazyframe.select(when_present(within, "value", "unit"))

    @pa.check("value", name="count_fraction")
    def _count_fraction(cls, data) -> pl.LazyFrame:
        # '1,234' enterprises is 1.234 in the Vietnamese form: a misread thousand, never a count.
        whole = (pl.col("unit") != "count") | (pl.col("value") == pl.col("value").round(0))
        return data.lazyframe.select(when_present(whole, "value", "unit"))

    @pa.check("annual_plan", name="plan_format")
    def _plan_format(cls, data) -> pl.LazyFrame:
        unreadable = pl.col("annual_plan_raw").is_not_null() & pl.col("annual_plan_number").is_null()
        return data.lazyframe.select(~unreadable)

    @pa.check("annual_plan", name="plan_positive")
    def _plan_positive(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(when_present(pl.col("annual_plan") > 0, "annual_plan"))

    # The rules below compare rows. Each runs only over the rows it can concern — rows whose key repeats, figures of a
    # year-to-date series — and every other row passes: a file rarely restates a key, so over five million figures
    # the windows run over a few rows instead of all of them (benchmarks/csv_load.py, validate phase).

    @pa.dataframe_check(name="conflicting_duplicate")
    def _conflicting_duplicate(cls, data) -> pl.LazyFrame:
        # min and max skip nulls: an unreadable value is reported by its own rule, not as a conflict.
        same = pl.col("value").min().over(*KEY) == pl.col("value").max().over(*KEY)
        return only_among(data.lazyframe, pl.col("key_repeated"), when_present(same, *KEY, "value"))

    @pa.dataframe_check(name="duplicate_row")
    def _duplicate_row(cls, data) -> pl.LazyFrame:
        # One hash per row: a window numbering the rows of each (key, value) group cost ~6x more on a million rows.
        first = pl.struct(*KEY, "value").is_first_distinct()
        return only_among(data.lazyframe, pl.col("key_repeated"), when_present(first, *KEY, "value"))

    @pa.dataframe_check(name="ytd_decrease")
    def _ytd_decrease(cls, data) -> pl.LazyFrame:
        # A warning, not a rejection: a year-to-date figure can be revised down (refunds, reclassification).
        year = pl.col("month_start").dt.year()
        earlier_max = pl.col("value").cum_max().forward_fill().shift(1).over("unit_id", "metric", "basis", year, order_by="month_start")
        rising = earlier_max.is_null() | (pl.col("value") >= earlier_max)
        # A series is (unit, metric, basis, year): rows without one of them, or without a value, are in no series
        # that the others are in, and pass (their own rules report what is missing).
        in_series = (pl.col("basis") == "ytd") & pl.all_horizontal(pl.col(c).is_not_null() for c in (*KEY, "value"))
        return only_among(data.lazyframe, in_series, rising)


def only_among(rows: pl.LazyFrame, candidates: pl.Expr, holds: pl.Expr) -> pl.LazyFrame:
    """Evaluate a rule that compares rows over the `candidates` alone (in file order); every other row passes.

    Exact when the rule's groups never mix candidates with other rows: the candidates are whole groups.
    """
    failing = (
        rows.with_row_index("row").filter(candidates.fill_null(False))
        .filter(~holds.fill_null(False)).select("row").collect().get_column("row")
    )
    return rows.with_row_index("row").select(~pl.col("row").is_in(failing.implode()))


def key_repeated(frame: pl.DataFrame) -> pl.Series:
    """Flag figures whose key (unit, metric, month, basis) another figure of the file may state too.

    Equal keys hash alike, so no repeat is missed; two different keys sharing a 64-bit hash only add candidates,
    which the rules then compare exactly. Sorting the hashes finds the repeats in ~0.2 s and ~90 MB for 5 M
    figures; polars' is_duplicated built a table of groups (+0.4-1 GB).
    """
    hashes = frame.select(_key_hash(frame.schema)).to_series()
    ordered = hashes.sort()
    repeated = ordered.filter(ordered == ordered.shift(1)).unique()
    return hashes.is_in(repeated.implode())


def _key_hash(schema: pl.Schema) -> pl.Expr:
    """A 64-bit hash of the key from its columns' integer forms (a category's code, a date's day number), mixed by
    multiplying (wrapping) with a large odd constant: twice as fast as hashing a struct of the values."""
    mixed = pl.lit(0, pl.UInt64)
    for column in KEY:
        value = pl.col(column).to_physical() if schema[column] == pl.Categorical else pl.col(column)
        mixed = (mixed ^ value.cast(pl.UInt64, wrap_numerical=True).fill_null(_NULL_CODE)) * _MIX
    return mixed


_MIX = pl.lit(0x9E3779B97F4A7C15, pl.UInt64)  # 2^64 / golden ratio, odd
_NULL_CODE = pl.lit(0xFFFF_FFFF_FFFF, pl.UInt64)  # beyond any category code or day number


def validate_department(
    frame: pl.DataFrame,
    headers: dict[str | None, dict[str, str]] | None = None,
    structure: pl.DataFrame | None = None,
) -> Validated:
    """Check every figure against the contract and sort figures and structural rows into loaded, quarantined, skipped.

    `headers` maps sheet -> role -> header as written, so a finding names the column the user sees.
    """
    headers = headers or {}
    try:
        DepartmentObservation.validate(frame.with_columns(key_repeated(frame).alias("key_repeated")).select(CHECKED_COLUMNS), lazy=True)
        failures = pl.DataFrame(schema={"index": pl.Int64, "rule": pl.String})
    except pa.errors.SchemaErrors as errors:
        failures = row_failures(errors.failure_cases, RULES)
    severity = {name: rule.severity for name, rule in RULES.items()}
    failures = failures.with_columns(pl.col("rule").replace_strict(severity, return_dtype=pl.String).alias("severity"))
    errors_at = failures.filter(pl.col("severity") == "error").select("index").unique()
    skipped_at = failures.filter(pl.col("severity") == "skipped").select("index").unique().join(errors_at, on="index", how="anti")
    # A warning concerns a loaded figure; on a refused one it would only repeat the refusal.
    failures = failures.filter(
        (pl.col("severity") != "warning")
        | ~pl.col("index").is_in(pl.concat([errors_at, skipped_at]).get_column("index").implode())
    )
    failed_rows = frame.with_row_index("index").filter(pl.col("index").is_in(failures.get_column("index").unique().implode()))
    findings = render_messages(
        failed_rows.with_columns(pl.col("index").cast(pl.Int64)).join(failures.drop("severity"), on="index", how="inner"),
        districts=gazetteer(), metrics=metric_catalogue(), headers=headers,
    )
    structural = render_structure(structure, headers=headers) if structure is not None else pl.DataFrame(schema=FINDING_SCHEMA)
    refused = pl.concat([errors_at, skipped_at]).get_column("index")
    valid = frame.select(VALID_COLUMNS)
    if refused.len():
        valid = valid.filter(~pl.int_range(pl.len(), dtype=pl.Int64).is_in(refused.implode()))
    structural_rows = structure.height if structure is not None else 0
    return Validated(
        valid=valid,
        rejected=findings.filter(pl.col("severity") == "error"),
        skipped=pl.concat([structural, findings.filter(pl.col("severity") == "skipped")]),
        warnings=findings.filter(pl.col("severity") == "warning"),
        rows_in=frame.height + structural_rows,
        rows_quarantined=errors_at.height,
        rows_skipped=skipped_at.height + structural_rows,
    )
