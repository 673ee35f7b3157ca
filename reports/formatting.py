"""Write the report's figures, dates and sources the Vietnamese way; None is shown as a dash, never as zero."""

from __future__ import annotations

import math
from datetime import date, datetime, tzinfo
from urllib.parse import urlsplit

from sources.numbers import format_number, format_vnd

MISSING = "—"

SOURCE_KINDS = {"department": "Báo cáo phòng, ban", "news": "Báo chí"}

ROLES = {
    "month_figure": "Số liệu của tháng",
    "cumulative_figure": "Lũy kế đến kỳ báo cáo",
    "previous_ytd": "Lũy kế tháng trước (được trừ ra)",
    "summed_month": "Số liệu tháng được cộng dồn",
    "annual_plan": "Kế hoạch năm",
}

# The same roles, shortened for a chart tooltip or a table cell.
SHORT_ROLES = {
    "month_figure": "Số liệu tháng",
    "cumulative_figure": "Lũy kế",
    "previous_ytd": "Trừ lũy kế tháng trước",
    "summed_month": "Cộng dồn",
    "annual_plan": "Kế hoạch năm",
}

BASES = {"ytd": "lũy kế", "month": "tháng", "quarter": "quý", "half_year": "6 tháng", "year": "năm", "other": "kỳ khác"}

QUALIFIERS = {"more_than": "hơn", "about": "khoảng", "estimate": "ước"}

# Display units for charts: (threshold, factor, label), the first whose threshold the largest value reaches.
_VND_SCALES = ((10**9, 10**9, "tỷ đồng"), (10**6, 10**6, "triệu đồng"), (0, 1, "đồng"))


def is_number(value) -> bool:
    """Tell whether a value is a finite number: None, NaN and infinities are not figures to show."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def amount(value, unit: str) -> str:
    """Write a figure in its unit: (1204500000000, 'VND') -> '1.204,5 tỷ đồng', (68, 'count') -> '68',
    (58.6, 'percent') -> '58,6%'."""
    if not is_number(value):
        return MISSING
    if unit == "VND":
        return format_vnd(value, currency=True)
    if unit == "percent":
        return f"{format_number(value)}%"
    return format_number(value)


def percent(value, *, signed: bool = False) -> str:
    """Write a percentage: 84.72 -> '84,72%'; signed, a change: 23.43 -> '+23,43%', -10.26 -> '-10,26%'."""
    if not is_number(value):
        return MISSING
    text = f"{format_number(value)}%"
    return f"+{text}" if signed and round(value, 2) > 0 else text


def day(value: date | None) -> str:
    """Write a date: 2025-02-28 -> '28/02/2025'."""
    return value.strftime("%d/%m/%Y") if value else MISSING


def month_label(value: date) -> str:
    """Write a month: 2025-02-01 -> '02/2025'."""
    return value.strftime("%m/%Y")


def timestamp(value: datetime | None, tz: tzinfo | None = None) -> str:
    """Write a moment, in `tz` when both are time-zone aware: 2025-03-04 14:05 -> '14:05 ngày 04/03/2025'."""
    if not value:
        return MISSING
    if tz is not None and value.tzinfo is not None:
        value = value.astimezone(tz)
    return f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def zone(value: datetime) -> str:
    """Name a moment's offset from UTC: 2025-03-04 14:05+07:00 -> 'UTC+07:00'; '' when it has no time zone."""
    offset = value.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def chart_scale(values, unit: str) -> tuple[int, str]:
    """Choose the factor and the axis label a chart's figures are drawn in: VND up to 2.5e12 -> (10**9, 'tỷ đồng')."""
    if unit == "percent":
        return 1, "%"
    if unit != "VND":
        return 1, ""
    largest = max((abs(v) for v in values if is_number(v)), default=0)
    return next((factor, label) for threshold, factor, label in _VND_SCALES if largest >= threshold)


def link(url: str | None) -> str | None:
    """Return the URL when a report may link to it (http or https with a host), else None: a scraped
    'javascript:' or 'data:' address is shown as text, never followed."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def host(url: str) -> str:
    """The host of a URL: 'https://hanoimoi.vn/a.html' -> 'hanoimoi.vn'; the text itself when it is no URL."""
    return urlsplit(url).netloc or url
