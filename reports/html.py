"""Render the report as one self-contained HTML file: the page, its style, Chart.js and the chart data inlined.

Escaping is structural, not a matter of care at each use: the template engine escapes every value (autoescape
on), chart data travels as JSON in a `<script type="application/json">` block written by Jinja's `tojson` (which
writes `<`, `>`, `&` and `'` as \\u escapes, so no text can close the block) and is read with JSON.parse; the
page's script writes text only through textContent and Chart.js, which draws on a canvas. A Content-Security-
Policy allows only the page's own two scripts (by hash) and nothing from the network, so even a value that got
past all that could neither run nor fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

import jinja2

from reports import formatting as fmt
from reports.model import Alert, DistrictReport, Month, Report, Series, Source

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
# The vendored library and the sha256 of its bytes (reports/vendor/README.md says where they come from).
VENDORED = {"chart.umd.min.js": "87364cc2b2a76a6684929e7d6b80b18a897794db38400caff1fcf1791c6925d2"}
CHART_JS_VERSION = "4.6.1"

_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S*\s*$")
_SCRIPT_BREAKERS = re.compile(r"</script|<!--", re.IGNORECASE)


class VendorError(RuntimeError):
    """Raised when a vendored file is not the one reports/vendor/README.md records."""


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # always: the template's name does not end in .html, so select_autoescape would skip it
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "allow_nan": False}
    return env


@cache
def _inline_script(path: Path, sha256: str | None = None) -> str:
    """Read a script to inline, checked against its recorded sha256 and for text that would end a <script>."""
    raw = path.read_bytes()
    if sha256 is not None and hashlib.sha256(raw).hexdigest() != sha256:
        raise VendorError(f"{path} is not the vendored file recorded in reports/vendor/README.md (sha256 differs)")
    text = _SOURCE_MAP.sub("\n", raw.decode("utf-8"))
    if _SCRIPT_BREAKERS.search(text):
        raise VendorError(f"{path} contains '</script' or '<!--' and cannot be inlined")
    return text


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render(report: Report) -> str:
    """Render the whole report as an HTML document."""
    chart_js = _inline_script(VENDOR / "chart.umd.min.js", VENDORED["chart.umd.min.js"])
    page_js = _inline_script(HERE / "static" / "report.js")
    css = (HERE / "static" / "report.css").read_text(encoding="utf-8")
    districts = [_district(f"d{i}", district, report) for i, district in enumerate(report.districts)]
    policy = (
        "default-src 'none'; "
        f"script-src {_csp_hash(chart_js)} {_csp_hash(page_js)}; "
        f"style-src {_csp_hash(css)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _environment().get_template("report.html.j2").render(
        report=report,
        districts=districts,
        general_alerts=[_alert(alert, None, report) for alert in report.general_alerts],
        charts={chart["id"]: chart for district in districts for chart in district["charts"]},
        chart_js=chart_js,
        page_js=page_js,
        css=css,
        csp=policy,
        chart_js_version=CHART_JS_VERSION,
        fmt=fmt,
    )


def _district(anchor: str, district: DistrictReport, report: Report) -> dict:
    labels = {series.metric: series.label for series in district.series}
    metrics = [_metric(f"{anchor}-m{i}", series, district) for i, series in enumerate(district.series)]
    title = district.full_name or district.name
    return {
        "id": anchor,
        "name": district.name,
        "title": title[:1].upper() + title[1:],
        "month": fmt.month_label(district.month),
        "metrics": metrics,
        "charts": [metric["chart"] for metric in metrics],
        "alerts": [_alert(alert, labels, report) for alert in district.alerts],
    }


def _metric(anchor: str, series: Series, district: DistrictReport) -> dict:
    latest = series.latest
    return {
        "id": anchor,
        "code": series.metric,
        "label": series.label,
        "score": _score(series, latest, district),
        "sources": [_source(source) for source in series.sources_of(latest)],
        "source_month": fmt.month_label(latest.month_start),
        "rows": [_table_row(series, month) for month in reversed(series.months)],
        "chart": _chart(anchor, series),
        "has_ytd": _has_ytd(series),
    }


def _flags(month: Month) -> list[str]:
    flags = []
    if month.is_preliminary:
        flags.append("Sơ bộ")
    if month.is_estimate:
        flags.append("Ước tính")
    if month.is_approximate:
        flags.append("Xấp xỉ (hơn, khoảng)")
    if month.is_partial_month and month.as_of:
        flags.append(f"Đến ngày {fmt.day(month.as_of)}")
    return flags


def _score(series: Series, latest: Month, district: DistrictReport) -> dict:
    """The scorecard row: the latest figure with its changes, its progress against plan and its markers."""
    plan_note = []
    if fmt.is_number(latest.annual_plan):
        plan_note.append(f"Kế hoạch năm {fmt.amount(latest.annual_plan, series.unit)}")
        if fmt.is_number(latest.pct_of_year_elapsed):
            plan_note.append(f"thời gian đã qua {fmt.percent(latest.pct_of_year_elapsed)}")
    return {
        "month": fmt.month_label(latest.month_start),
        "is_earlier": latest.month_start != district.month,
        "value": fmt.amount(latest.value, series.unit),
        "mom_pct": fmt.percent(latest.mom_pct, signed=True),
        "mom_sign": _sign(latest.mom_pct),
        "yoy_pct": fmt.percent(latest.yoy_pct, signed=True),
        "yoy_sign": _sign(latest.yoy_pct),
        "ytd_value": fmt.amount(latest.ytd_value, series.unit) if _has_ytd(series) else fmt.MISSING,
        "ytd_yoy_pct": fmt.percent(latest.ytd_yoy_pct, signed=True) if _has_ytd(series) else fmt.MISSING,
        "ytd_yoy_sign": _sign(latest.ytd_yoy_pct),
        "pct_of_plan": fmt.percent(latest.pct_of_plan),
        "progress": min(max(latest.pct_of_plan, 0), 100) if fmt.is_number(latest.pct_of_plan) else None,
        "plan_note": "; ".join(plan_note),
        "source_kind": fmt.SOURCE_KINDS.get(latest.source_kind or "", latest.source_kind or fmt.MISSING),
        "flags": _flags(latest),
    }


def _sign(value) -> str:
    if not fmt.is_number(value) or round(value, 2) == 0:
        return "flat"
    return "up" if value > 0 else "down"


def _has_ytd(series: Series) -> bool:
    """A year-to-date value adds up the year's months: shares and rates (not additive) have none of their own."""
    return series.is_additive


def _table_row(series: Series, month: Month) -> dict:
    return {
        "month": fmt.month_label(month.month_start),
        "value": fmt.amount(month.value, series.unit),
        "mom_pct": fmt.percent(month.mom_pct, signed=True),
        "ytd_value": fmt.amount(month.ytd_value, series.unit) if _has_ytd(series) else fmt.MISSING,
        "annual_plan": fmt.amount(month.annual_plan, series.unit),
        "pct_of_plan": fmt.percent(month.pct_of_plan),
        "flags": _flags(month),
        "sources": _source_notes(series, month),
    }


def _source(source: Source) -> dict:
    """One observation behind a figure, with where to find it: file, sheet, row and column, or article and sentence."""
    qualifier = fmt.QUALIFIERS.get(source.qualifier or "")
    value = fmt.amount(source.value, source.unit)
    if source.role == "annual_plan" and fmt.is_number(source.annual_plan):
        value = fmt.amount(source.annual_plan, source.unit)
    entry = {
        "role": fmt.ROLES.get(source.role, source.role),
        "kind": fmt.SOURCE_KINDS.get(source.source_kind, source.source_kind),
        "value": f"{qualifier} {value}" if qualifier and value != fmt.MISSING else value,
        "period": f"{fmt.BASES.get(source.basis, source.basis)} đến {fmt.day(source.as_of)}",
        "flags": [flag for flag, on in (("Sơ bộ", source.is_preliminary), ("Ước tính", source.is_estimate)) if on],
        "obs_id": source.obs_id,
        "file": None,
        "article": None,
    }
    if source.source_kind == "news":
        entry["article"] = {
            "title": source.article_title,
            "url": source.source_name,
            "href": fmt.link(source.source_name),
            "published": fmt.day(source.article_published) if source.article_published else None,
            "evidence": source.evidence,
        }
    else:
        entry["file"] = {
            "name": source.source_name,
            "sheet": source.source_sheet,
            "row": source.source_row,
            "column": source.source_column,
        }
    return entry


def _note(source: Source) -> str:
    """One line of a chart tooltip naming where a figure was read."""
    if source.source_kind == "news":
        published = f" ngày {fmt.day(source.article_published)}" if source.article_published else ""
        where = f"bài báo {fmt.host(source.source_name)}{published}"
    else:
        where = f"tệp {source.source_name}"
        if source.source_sheet:
            where += f", trang {source.source_sheet}"
        if source.source_row is not None:
            where += f", dòng {source.source_row}"
    return f"{fmt.SHORT_ROLES.get(source.role, source.role)}: {where}"


def _source_notes(series: Series, month: Month) -> list[str]:
    """Where a month's figures were read, one short line each; a summed year to date is counted, not listed."""
    sources = series.sources_of(month)
    notes = [_note(s) for s in sources if s.role != "summed_month"]
    summed = sum(1 for s in sources if s.role == "summed_month")
    if summed:
        notes.append(f"Lũy kế cộng dồn {summed + 1} tháng")
    return notes


def _chart(anchor: str, series: Series) -> dict:
    """The data of a metric's three charts: the month's values, year to date against plan, the change on the last month."""
    months = series.months
    values = [m.value for m in months]
    ytd = [m.ytd_value for m in months] if _has_ytd(series) else []
    plans = [m.annual_plan for m in months] if _has_ytd(series) else []
    pace = [
        m.annual_plan * m.pct_of_year_elapsed / 100
        if fmt.is_number(m.annual_plan) and fmt.is_number(m.pct_of_year_elapsed) else None
        for m in months
    ] if _has_ytd(series) else []
    factor, unit_label = fmt.chart_scale([*values, *ytd, *plans], series.unit)

    def line(label: str, raw: list, text: list[str]) -> dict | None:
        if not any(fmt.is_number(v) for v in raw):
            return None
        return {"label": label, "data": [v / factor if fmt.is_number(v) else None for v in raw], "text": text}

    return {
        "id": anchor,
        "months": [fmt.month_label(m.month_start) for m in months],
        "factor": factor,
        "unit": unit_label,
        "value": line("Giá trị của tháng", values, [fmt.amount(v, series.unit) for v in values]),
        "ytd": line("Lũy kế từ đầu năm", ytd, [fmt.amount(v, series.unit) for v in ytd]),
        "plan": line("Kế hoạch năm", plans, [fmt.amount(v, series.unit) for v in plans]),
        "pace": line("Kế hoạch theo tiến độ thời gian", pace, [fmt.amount(v, series.unit) for v in pace]),
        "mom": {
            "label": "So với tháng trước",
            "data": [m.mom_pct if fmt.is_number(m.mom_pct) else None for m in months],
            "text": [
                f"{fmt.percent(m.mom_pct, signed=True)} ({fmt.amount(m.mom_change, series.unit)})"
                if fmt.is_number(m.mom_pct) else fmt.MISSING
                for m in months
            ],
        },
        "notes": [_source_notes(series, m) + _flags(m) for m in months],
    }


def _alert(alert: Alert, labels: dict[str, str] | None, report: Report) -> dict:
    tz = report.generated_at.tzinfo
    severity = (alert.severity or "").lower()
    return {
        "severity": {"critical": "Nghiêm trọng", "error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}.get(
            severity, alert.severity or fmt.MISSING),
        "severity_class": severity if severity in ("critical", "error", "warning", "info") else "other",
        "check": alert.check_name,
        "district": alert.district,
        "metric": (labels or {}).get(alert.metric or "", alert.metric),
        "period": _period(alert.period),
        "message": alert.message,
        "since": fmt.timestamp(alert.first_seen_at, tz) if alert.first_seen_at else None,
        "last_seen": fmt.timestamp(alert.last_seen_at, tz) if alert.last_seen_at else None,
    }


def _period(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "strftime"):
        return fmt.month_label(value) if getattr(value, "day", 1) == 1 else fmt.day(value)
    return str(value)
