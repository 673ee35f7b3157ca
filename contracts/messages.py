"""Quarantine messages: each contract rule explained in Vietnamese, naming the cell that broke it, with its severity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

SEVERITIES = ("error", "skipped", "warning")  # error: not loaded; skipped: no figure, not an error; warning: loaded, check it


@dataclass(frozen=True)
class Rule:
    """How a rule's finding is reported: the raw column it concerns, a message template and what happens to the row."""

    column: str  # the role whose raw cell is shown (district, metric, period, value, unit, cumulative, annual_plan, label)
    template: str  # pl.format template; {} are filled from `fields`
    fields: tuple[str, ...]
    severity: str = "error"


RULES: dict[str, Rule] = {
    "known_district": Rule("district", "Không nhận ra quận/huyện «{}».{}", ("district_raw", "district_hint")),
    "missing_district": Rule(
        "district", "Không rõ số liệu của quận/huyện nào: ô quận/huyện trống và không có dòng tiêu đề «UBND QUẬN …».", ()
    ),
    "known_metric": Rule("metric", "Không nhận ra chỉ tiêu «{}».{}", ("metric_raw", "metric_hint")),
    "missing_metric": Rule("metric", "Không rõ số liệu thuộc chỉ tiêu nào: ô chỉ tiêu trống.", ()),
    "period_format": Rule(
        "period", "Kỳ báo cáo «{}» không đúng dạng (ví dụ 01/2024, Tháng 1/2024, Quý I/2024, 2024-01).", ("period_raw",)
    ),
    "period_range": Rule(
        "period", "Kỳ báo cáo «{}» nằm ngoài khoảng cho phép (từ tháng 01/2000 đến tháng hiện tại).", ("period_raw",)
    ),
    "missing_value": Rule(
        "value", "Không có số liệu (ô trống hoặc ghi «..», «-»): không nạp, không coi là 0.", (), "skipped"
    ),
    "number_format": Rule("value", "Giá trị «{}» không phải là số (ví dụ đúng: 1.204,5).", ("value_raw",)),
    "unknown_unit": Rule(
        "unit", "Không nhận ra đơn vị tính «{}» (ví dụ: tỷ đồng, triệu đồng, đồng, %, trường hợp).", ("unit_shown",)
    ),
    "missing_unit": Rule(
        "unit",
        "Thiếu đơn vị tính: chỉ tiêu «{}» tính bằng {}, cần ghi đơn vị (ví dụ: tỷ đồng, triệu đồng) ở cột ĐVT, trong"
        " tiêu đề cột hoặc ở dòng «(ĐVT: …)» phía trên.",
        ("metric_raw", "metric_unit_vi"),
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
    "count_fraction": Rule(
        "value",
        "Số lượng «{}» của chỉ tiêu «{}» có phần lẻ, mà số đếm phải là số nguyên (số kiểu Việt Nam: dấu chấm ngăn"
        " hàng nghìn như 1.234, dấu phẩy trước phần thập phân).",
        ("value_raw", "metric_raw"),
    ),
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
    "ytd_decrease": Rule(
        "value",
        "Số lũy kế «{}» kỳ «{}» thấp hơn kỳ trước trong cùng năm: vẫn nạp, cần kiểm tra (có thể là điều chỉnh giảm).",
        ("value_raw", "period_raw"), "warning",
    ),
    "total": Rule("label", "Dòng tổng «{}»: là tổng của các dòng khác, không nạp như số liệu của một quận/huyện.", ("label",), "skipped"),
    "heading": Rule("label", "Dòng tiêu đề nhóm «{}» (không có số liệu): không nạp.", ("label",), "skipped"),
    "breakdown": Rule("label", "Dòng chi tiết «{}» («Trong đó», «Chia ra»…): không phải chỉ tiêu theo dõi, không nạp.", ("label",), "skipped"),
    "numbering": Rule("label", "Dòng đánh số cột (A, B, 1, 2…) dưới tiêu đề: không nạp.", (), "skipped"),
    "footer": Rule(
        "label", "Phần ký tên cuối báo cáo «{}» (người lập biểu, thủ trưởng, nơi nhận): không phải số liệu, không nạp.",
        ("label",), "skipped",
    ),
    "mapping_skip": Rule("label", "Dòng «{}» được bỏ qua theo tệp ánh xạ của phòng ban (contracts/mappings).", ("label",), "skipped"),
}
STRUCTURE_RULES = tuple(name for name, rule in RULES.items() if rule.column == "label")

UNIT_WORDS_VI = {"VND": "đồng", "count": "số lượng (cái, trường hợp)", "percent": "%"}
RAW_COLUMNS = ("district_raw", "metric_raw", "period_raw", "value_raw", "unit_raw", "cumulative_raw", "annual_plan_raw")
FINDING_SCHEMA = {
    "source_sheet": pl.String, "source_row": pl.Int64, "source_column": pl.String, "column_name": pl.String,
    "raw_value": pl.String, "rule": pl.String, "severity": pl.String, "message": pl.String, "raw_row": pl.String,
}
_TITLE_LINE = "(dòng tiêu đề)"


def _hint(names: list[str]) -> str:
    return f" Có phải: {', '.join(names)}?" if names else ""


def _column_name(rule: Rule, headers: dict[str | None, dict[str, str]]) -> pl.Expr:
    """Name the column the user sees: the role's header on that sheet, else the figure's own column, else the title."""
    by_sheet = {sheet: names.get(rule.column) for sheet, names in headers.items()}
    header = pl.col("source_sheet").replace_strict(by_sheet, default=None, return_dtype=pl.String) if by_sheet else pl.lit(None, pl.String)
    if None in by_sheet:  # a text file: its one table has no sheet name
        header = pl.when(pl.col("source_sheet").is_null()).then(pl.lit(by_sheet[None], pl.String)).otherwise(header)
    own = pl.col("source_column") if rule.column in ("value", "period", "unit") else pl.lit(None, pl.String)
    return pl.coalesce(header, own, pl.lit(_TITLE_LINE))


def render_messages(failed: pl.DataFrame, *, districts, metrics, headers: dict[str | None, dict[str, str]]) -> pl.DataFrame:
    """Turn (figure, rule) failures into findings: where, column, raw value, rule, severity, message, raw cells as JSON."""
    if failed.height == 0:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    failed = failed.with_columns(pl.col(*RAW_COLUMNS, "source_column", "metric_unit").cast(pl.String))
    district_hints = {raw: _hint(districts.suggest(raw)) for raw in failed["district_raw"].drop_nulls().unique()}
    metric_hints = {raw: _hint(metrics.suggest(raw)) for raw in failed["metric_raw"].drop_nulls().unique()}
    failed = failed.with_columns(
        pl.col("district_raw").replace_strict(district_hints, default="", return_dtype=pl.String).alias("district_hint"),
        pl.col("metric_raw").replace_strict(metric_hints, default="", return_dtype=pl.String).alias("metric_hint"),
        pl.col("metric_unit").replace_strict(UNIT_WORDS_VI, default="", return_dtype=pl.String).alias("metric_unit_vi"),
        pl.col("unit_raw").fill_null("(trống)").alias("unit_shown"),
    )
    return format_findings(failed, RULES, raw_columns=RAW_COLUMNS, column_name=lambda rule: _column_name(rule, headers))


def format_findings(
    failed: pl.DataFrame,
    rules: dict[str, Rule],
    *,
    raw_columns: tuple[str, ...],
    column_name: Callable[[Rule], pl.Expr],
) -> pl.DataFrame:
    """Render (row, rule) failures as findings; a rule's raw value is its column's `<column>_raw` cell."""
    parts = []
    for name, rule in rules.items():
        rows = failed.filter(pl.col("rule") == name)
        if rows.height == 0:
            continue
        parts.append(
            rows.select(
                pl.col("source_sheet").cast(pl.String), pl.col("source_row").cast(pl.Int64),
                pl.col("source_column").cast(pl.String),
                column_name(rule).alias("column_name"),
                pl.col(f"{rule.column}_raw").cast(pl.String).alias("raw_value"),
                pl.col("rule"),
                pl.lit(rule.severity).alias("severity"),
                _message(rule).alias("message"),
                pl.struct(*raw_columns).struct.json_encode().alias("raw_row"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(parts).sort("source_sheet", "source_row", "source_column", "rule", nulls_last=False)


def render_structure(structure: pl.DataFrame, *, headers: dict[str | None, dict[str, str]]) -> pl.DataFrame:
    """Turn structural rows (totals, headings…) into skipped findings with their reason."""
    if structure.height == 0:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    parts = []
    for name in STRUCTURE_RULES:
        rows = structure.filter(pl.col("rule") == name)
        if rows.height == 0:
            continue
        label_header = {sheet: names.get("metric") or names.get("district") for sheet, names in headers.items()}
        parts.append(
            rows.select(
                "source_sheet", "source_row",
                pl.lit(None, pl.String).alias("source_column"),
                pl.col("source_sheet").replace_strict(label_header, default=None, return_dtype=pl.String).alias("column_name")
                if None not in label_header else pl.lit(label_header[None], pl.String).alias("column_name"),
                pl.col("label").alias("raw_value"),
                pl.col("rule"),
                pl.lit(RULES[name].severity).alias("severity"),
                _message(RULES[name]).alias("message"),
                "raw_row",
            )
        )
    return pl.concat(parts).sort("source_sheet", "source_row", nulls_last=False)


def _message(rule: Rule) -> pl.Expr:
    fields = [pl.col(field).cast(pl.String).fill_null("") for field in rule.fields]
    return pl.format(rule.template, *fields) if fields else pl.lit(rule.template)
