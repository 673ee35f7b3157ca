"""Quarantine messages: each contract rule explained in Vietnamese, naming the cell that broke it."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Rule:
    """How a rule's failure is reported: the raw column it concerns and a message template."""

    column: str  # the role whose raw cell is shown (district, metric, period, value, unit, cumulative, annual_plan)
    template: str  # pl.format template; {} are filled from `fields`
    fields: tuple[str, ...]


RULES: dict[str, Rule] = {
    "known_district": Rule("district", "Không nhận ra quận/huyện «{}».{}", ("district_raw", "district_hint")),
    "known_metric": Rule("metric", "Không nhận ra chỉ tiêu «{}».{}", ("metric_raw", "metric_hint")),
    "period_format": Rule(
        "period", "Kỳ báo cáo «{}» không đúng dạng tháng (ví dụ 01/2024, Tháng 1/2024, 2024-01).", ("period_raw",)
    ),
    "period_range": Rule(
        "period", "Kỳ báo cáo «{}» nằm ngoài khoảng cho phép (từ tháng 01/2000 đến tháng hiện tại).", ("period_raw",)
    ),
    "missing_value": Rule("value", "Không có số liệu (ô giá trị trống hoặc ghi «..», «-»): không nạp, không coi là 0.", ()),
    "number_format": Rule("value", "Giá trị «{}» không phải là số (ví dụ đúng: 1.204,5).", ("value_raw",)),
    "unknown_unit": Rule(
        "unit", "Không nhận ra đơn vị tính «{}» (ví dụ: tỷ đồng, triệu đồng, đồng, %, trường hợp).", ("unit_shown",)
    ),
    "unit_mismatch": Rule(
        "unit", "Đơn vị tính «{}» không hợp với chỉ tiêu «{}» (chỉ tiêu này tính bằng {}).",
        ("unit_raw", "metric_raw", "metric_unit_vi"),
    ),
    "cumulative_flag": Rule(
        "cumulative", "Cột lũy kế ghi «{}» không rõ nghĩa (dùng có/không, x/để trống, 1/0).", ("cumulative_raw",)
    ),
    "negative_value": Rule("value", "Giá trị âm «{}» không hợp lệ cho chỉ tiêu «{}».", ("value_raw", "metric_raw")),
    "percent_range": Rule("value", "Tỷ lệ «{}» nằm ngoài khoảng 0–1000%.", ("value_raw",)),
    "plan_format": Rule("annual_plan", "Kế hoạch năm «{}» không phải là số.", ("annual_plan_raw",)),
    "plan_positive": Rule("annual_plan", "Kế hoạch năm «{}» phải lớn hơn 0.", ("annual_plan_raw",)),
    "conflicting_duplicate": Rule(
        "value",
        "Trùng quận/huyện, chỉ tiêu và kỳ «{}» nhưng khác giá trị với dòng khác trong tệp: cả hai không được nạp.",
        ("period_raw",),
    ),
    "duplicate_row": Rule(
        "value", "Lặp lại một dòng trước đó (cùng quận/huyện, chỉ tiêu, kỳ và giá trị): đã nạp một lần.", ()
    ),
}

UNIT_WORDS_VI = {"VND": "đồng", "count": "số lượng (cái, trường hợp)", "percent": "%"}
RAW_COLUMNS = ("district_raw", "metric_raw", "period_raw", "value_raw", "unit_raw", "cumulative_raw", "annual_plan_raw")


def _hint(names: list[str]) -> str:
    return f" Có phải: {', '.join(names)}?" if names else ""


QUARANTINE_SCHEMA = {
    "source_row": pl.Int64, "column_name": pl.String, "raw_value": pl.String,
    "rule": pl.String, "message": pl.String, "raw_row": pl.String,
}


def format_failures(
    failed: pl.DataFrame,
    rules: dict[str, Rule],
    *,
    raw_columns: tuple[str, ...],
    column_label: dict[str, str],
) -> pl.DataFrame:
    """Render (row, rule) failures as quarantine records; a rule's raw value is its column's `<column>_raw`."""
    parts = []
    for name, rule in rules.items():
        rows = failed.filter(pl.col("rule") == name)
        if rows.height == 0:
            continue
        fields = [pl.col(field).cast(pl.String).fill_null("") for field in rule.fields]
        message = pl.format(rule.template, *fields) if fields else pl.lit(rule.template)
        parts.append(
            rows.select(
                pl.col("source_row").cast(pl.Int64),
                pl.lit(column_label.get(rule.column, rule.column)).alias("column_name"),
                pl.col(f"{rule.column}_raw").cast(pl.String).alias("raw_value"),
                pl.col("rule"),
                message.alias("message"),
                pl.struct(*raw_columns).struct.json_encode().alias("raw_row"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return pl.concat(parts).sort("source_row", "rule")


def render_messages(failed: pl.DataFrame, *, districts, metrics, headers: dict[str, str]) -> pl.DataFrame:
    """Turn a department file's (row, rule) failures into quarantine records, with close names suggested."""
    if failed.height == 0:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    district_hints = {raw: _hint(districts.suggest(raw)) for raw in failed["district_raw"].drop_nulls().unique()}
    metric_hints = {raw: _hint(metrics.suggest(raw)) for raw in failed["metric_raw"].drop_nulls().unique()}
    failed = failed.with_columns(
        pl.col("district_raw").replace_strict(district_hints, default="", return_dtype=pl.String).alias("district_hint"),
        pl.col("metric_raw").replace_strict(metric_hints, default="", return_dtype=pl.String).alias("metric_hint"),
        pl.col("metric_unit").replace_strict(UNIT_WORDS_VI, default="", return_dtype=pl.String).alias("metric_unit_vi"),
        pl.col("unit_raw").fill_null("(trống)").alias("unit_shown"),
    )
    return format_failures(failed, RULES, raw_columns=RAW_COLUMNS, column_label=headers)
