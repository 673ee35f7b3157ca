"""Rows as warehouse.report returns them, written by hand for the report's pure tests."""

from __future__ import annotations

from datetime import date, datetime

from warehouse.read import QueryResult

MONTH_COLUMNS = (
    "district", "unit_id", "unit_full_name", "metric", "metric_label", "unit", "is_additive", "month_start", "as_of",
    "is_partial_month", "value", "ytd_value", "mom_change", "mom_pct", "yoy_pct", "ytd_yoy_pct", "annual_plan",
    "annual_plan_source", "pct_of_plan", "pct_of_year_elapsed", "source_kind", "is_estimate", "is_preliminary",
    "is_approximate",
)
SOURCE_COLUMNS = (
    "district", "unit_id", "metric", "month_start", "role", "obs_id", "source_kind", "basis", "as_of", "value", "unit",
    "qualifier", "is_preliminary", "is_estimate", "annual_plan", "source_name", "source_sheet", "source_row",
    "source_column", "evidence", "article_title", "article_published",
)
UNITS = {"Thanh Xuân": ("hn-thanh-xuan", "quận Thanh Xuân"), "Cầu Giấy": ("hn-cau-giay", "quận Cầu Giấy")}
LABELS = {"budget_revenue": ("Thu ngân sách nhà nước trên địa bàn", "VND"),
          "construction_permits": ("Cấp giấy phép xây dựng", "count"),
          "trade_services_share": ("Tỷ trọng thương mại - dịch vụ", "percent")}


def month_row(district: str, metric: str, month: str, value=None, **extra) -> dict:
    """One report_months row; `month` is '2024-02'; a month with no value and no ytd_value is a gap."""
    start = date(*map(int, month.split("-")), 1)
    unit_id, full_name = UNITS.get(district, (None, None))
    label, unit = LABELS[metric]
    row = dict.fromkeys(MONTH_COLUMNS)
    row.update(
        district=district, unit_id=unit_id, unit_full_name=full_name, metric=metric, metric_label=label, unit=unit,
        is_additive=metric != "trade_services_share", month_start=start, as_of=None, is_partial_month=False,
        value=value, source_kind="department" if value is not None else None, is_estimate=False,
        is_preliminary=False, is_approximate=False,
    )
    row.update(extra)
    return row


def source_row(district: str, metric: str, month: str, role: str, **extra) -> dict:
    """One report_sources row (a department figure unless told otherwise)."""
    start = date(*map(int, month.split("-")), 1)
    row = dict.fromkeys(SOURCE_COLUMNS)
    row.update(
        district=district, unit_id=UNITS.get(district, (None,))[0], metric=metric, month_start=start, role=role,
        obs_id=f"obs:{district}:{metric}:{month}:{role}", source_kind="department", basis="ytd", as_of=start,
        unit=LABELS[metric][1], is_preliminary=False, is_estimate=False, source_name="tx.csv", source_row=2,
    )
    row.update(extra)
    return row


def result(columns, rows: list[dict]) -> QueryResult:
    return QueryResult(list(columns), [tuple(row[c] for c in columns) for row in rows])


def months(*rows: dict) -> QueryResult:
    return result(MONTH_COLUMNS, list(rows))


def sources(*rows: dict) -> QueryResult:
    return result(SOURCE_COLUMNS, list(rows))


GENERATED = datetime(2025, 3, 10, 8, 30)
