"""The contract at the door between the news extractor's facts and the warehouse."""

from __future__ import annotations

import json
from datetime import date

import pandera.polars as pa
import polars as pl

from contracts.catalogue import metric_catalogue
from contracts.department import EARLIEST_PERIOD
from contracts.door import Validated, split, when_present
from contracts.messages import Rule, format_findings

# A cut-off may follow publication only for estimates, targets and whole-year figures ('năm 2024 ước',
# 'kế hoạch năm 2025'), and then no later than the end of the next year.
_FORWARD_LOOKING_PERIODS = ("year",)

NEWS_RULES: dict[str, Rule] = {
    "known_metric": Rule("metric", "Chỉ tiêu «{}» không có trong danh mục.", ("metric_raw",)),
    "unit_mismatch": Rule("unit", "Đơn vị «{}» không hợp với chỉ tiêu «{}».", ("unit_raw", "metric_raw")),
    "period_unknown": Rule("period", "Không xác định được thời điểm số liệu trong câu: «{}».", ("evidence_raw",)),
    "period_range": Rule(
        "period", "Thời điểm số liệu {} không hợp lý so với ngày đăng bài {} (trước năm 2000 hoặc sau ngày đăng).",
        ("period_raw", "published"),
    ),
    "no_figure": Rule("value", "Câu không có số liệu hay tỷ lệ nào để nạp: «{}».", ("evidence_raw",)),
    "negative_value": Rule("value", "Giá trị âm «{}» không hợp lệ cho chỉ tiêu «{}».", ("value_raw", "metric_raw")),
    "percent_range": Rule("value", "Tỷ lệ ngoài khoảng 0–1000%: «{}».", ("evidence_raw",)),
    "evidence_offsets": Rule("evidence", "Thiếu câu dẫn chứng hoặc vị trí câu không hợp lệ ({}–{}).", ("start", "end")),
    "no_district": Rule("district", "Không rõ số liệu của quận/huyện nào: «{}».", ("evidence_raw",)),
}
RAW_COLUMNS = ("district_raw", "metric_raw", "value_raw", "unit_raw", "period_raw", "evidence_raw")
LABELS = {"district": "district", "metric": "metric", "value": "value", "unit": "unit", "period": "as_of", "evidence": "evidence"}


class NewsFact(pa.DataFrameModel):
    """One figure read from an article; rule names are the `rule` column of the quarantine."""

    source_row: int
    metric: str = pa.Field(nullable=True)
    value: float = pa.Field(nullable=True)
    unit: str = pa.Field(nullable=True)
    as_of: date = pa.Field(nullable=True)
    district: str = pa.Field(nullable=True)
    evidence: str = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = False

    @pa.check("metric", name="known_metric")
    def _known_metric(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("metric_unit").is_not_null())

    @pa.check("unit", name="unit_mismatch")
    def _unit_mismatch(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(when_present(pl.col("unit") == pl.col("metric_unit"), "metric_unit"))

    @pa.check("as_of", name="period_unknown")
    def _period_unknown(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("as_of").is_not_null())

    @pa.check("as_of", name="period_range")
    def _period_range(cls, data) -> pl.LazyFrame:
        reference = pl.coalesce(pl.col("published"), pl.lit(date.today()))
        forward = pl.col("is_target") | (pl.col("qualifier") == "estimate").fill_null(False) | pl.col("period").is_in(
            _FORWARD_LOOKING_PERIODS
        )
        end_of_next_year = pl.date(reference.dt.year() + 1, 12, 31)
        latest = pl.when(forward).then(end_of_next_year).otherwise(reference)
        in_range = (pl.col("as_of") >= EARLIEST_PERIOD) & (pl.col("as_of") <= latest)
        return data.lazyframe.select(when_present(in_range, "as_of"))

    @pa.check("value", name="no_figure")
    def _no_figure(cls, data) -> pl.LazyFrame:
        figure = pl.any_horizontal(pl.col(name).is_not_null() for name in ("value", "pct_of_plan", "pct_of_same_period"))
        return data.lazyframe.select(figure)

    @pa.check("value", name="negative_value")
    def _negative_value(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select(when_present(pl.col("value") >= 0, "value"))

    @pa.check("value", name="percent_range")
    def _percent_range(cls, data) -> pl.LazyFrame:
        def within(column: str) -> pl.Expr:
            return pl.col(column).is_null() | pl.col(column).is_between(0, 1000)

        value_ok = (pl.col("unit") != "percent").fill_null(True) | within("value")
        return data.lazyframe.select(value_ok & within("pct_of_plan") & within("pct_of_same_period"))

    @pa.check("evidence", name="evidence_offsets")
    def _evidence_offsets(cls, data) -> pl.LazyFrame:
        ok = (pl.col("evidence").str.len_chars() > 0) & (pl.col("start") >= 0) & (pl.col("start") < pl.col("end"))
        return data.lazyframe.select(ok.fill_null(False))

    @pa.check("district", name="no_district")
    def _no_district(cls, data) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("district").str.len_chars() > 0).fill_null(False))


FACT_SCHEMA = {
    "source_row": pl.Int64, "district": pl.String, "unit_id": pl.String, "metric": pl.String, "value": pl.Float64,
    "unit": pl.String, "qualifier": pl.String, "as_of": pl.Date, "period": pl.String, "pct_of_plan": pl.Float64,
    "plan_ratios": pl.String, "pct_of_same_period": pl.Float64, "growth_pct": pl.Float64, "is_target": pl.Boolean,
    "evidence": pl.String, "start": pl.Int64, "end": pl.Int64,
}


def facts_frame(facts: list[dict], *, published: date | None, gazetteer) -> pl.DataFrame:
    """Shape an article's facts (Fact.to_dict()) as the contract's frame; source_row is the fact's 1-based position."""
    rows = [
        {
            **{key: fact.get(key) for key in FACT_SCHEMA if key not in ("source_row", "unit_id", "plan_ratios", "as_of")},
            "source_row": position,
            "as_of": date.fromisoformat(fact["as_of"]) if fact.get("as_of") else None,
            "plan_ratios": json.dumps(fact.get("plan_ratios") or [], ensure_ascii=False),
            "unit_id": _unit_id(gazetteer, fact.get("district"), fact.get("as_of")),
            "is_target": bool(fact.get("is_target")),
        }
        for position, fact in enumerate(facts, start=1)
    ]
    frame = pl.DataFrame(rows, schema=FACT_SCHEMA, orient="row") if rows else pl.DataFrame(schema=FACT_SCHEMA)
    units = {metric.code: metric.unit for metric in metric_catalogue()}
    return frame.with_columns(
        pl.lit(None, pl.String).alias("source_sheet"),
        pl.lit(None, pl.String).alias("source_column"),
        pl.lit(published, pl.Date).alias("published"),
        pl.col("metric").replace_strict(units, default=None, return_dtype=pl.String).alias("metric_unit"),
        *[pl.col(name).cast(pl.String).alias(f"{name}_raw") for name in ("district", "metric", "value", "unit", "evidence")],
        pl.col("as_of").cast(pl.String).alias("period_raw"),
    )


def validate_news(frame: pl.DataFrame) -> Validated:
    """Split an article's facts into those to load and those to quarantine, every rule checked."""
    return split(
        NewsFact, frame, NEWS_RULES,
        lambda failed: format_findings(
            failed, NEWS_RULES, raw_columns=RAW_COLUMNS, column_name=lambda rule: pl.lit(LABELS[rule.column])
        ),
    )


def _unit_id(gazetteer, district: str | None, as_of: str | None) -> str | None:
    if not district:
        return None
    unit = gazetteer.resolve(district, on=date.fromisoformat(as_of) if as_of else None)
    return unit.id if unit else None
