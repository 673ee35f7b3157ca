"""Shape warehouse rows into the report: per district its report month, one series per metric with the figure its
scorecard shows, the observations behind every month, and its open alerts. Pure: no I/O, no formatting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sources.text import fold
from warehouse.read import QueryResult

# Alerts sort by severity, the most serious first; a severity the checks may add later sorts last.
SEVERITY_RANK = {"critical": 0, "error": 1, "warning": 2, "info": 3}


@dataclass(frozen=True)
class Month:
    """One month of a series (a row of warehouse.report.report_months); None where the warehouse has no figure."""

    month_start: date
    as_of: date | None
    is_partial_month: bool
    value: float | None
    ytd_value: float | None
    mom_change: float | None
    mom_pct: float | None
    yoy_pct: float | None
    ytd_yoy_pct: float | None
    annual_plan: float | None
    annual_plan_source: str | None
    pct_of_plan: float | None
    pct_of_year_elapsed: float | None
    source_kind: str | None
    is_estimate: bool
    is_preliminary: bool
    is_approximate: bool

    @property
    def is_known(self) -> bool:
        """A month counts as reported when its own or its year-to-date value is known (as kpi_latest counts it)."""
        return self.value is not None or self.ytd_value is not None


@dataclass(frozen=True)
class Source:
    """One observation a month of a series rests on (a chosen row of kpi_lineage), with where it was read."""

    role: str
    obs_id: str
    source_kind: str
    basis: str
    as_of: date
    value: float | None
    unit: str
    qualifier: str | None
    is_preliminary: bool
    is_estimate: bool
    annual_plan: float | None
    source_name: str
    source_sheet: str | None
    source_row: int | None
    source_column: str | None
    evidence: str | None
    article_title: str | None
    article_published: date | None


@dataclass(frozen=True)
class Series:
    """One metric of one district: the months the charts show and the figure the scorecard shows."""

    metric: str
    label: str
    unit: str
    is_additive: bool
    months: tuple[Month, ...]  # the chart window, oldest first, gaps included
    latest: Month  # the latest reported month at or before the report month
    sources: dict[date, tuple[Source, ...]]  # month_start -> the observations behind it

    def sources_of(self, month: Month) -> tuple[Source, ...]:
        """The observations behind one month of the series."""
        return self.sources.get(month.month_start, ())


@dataclass(frozen=True)
class Alert:
    """An unresolved data-quality alert (a row of dq_alerts); fields the table lacks are None."""

    alert_id: Any = None
    check_name: str | None = None
    district: str | None = None
    metric: str | None = None
    period: Any = None
    severity: str | None = None
    message: str | None = None
    status: str | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None


@dataclass(frozen=True)
class DistrictReport:
    """What the report shows of one district."""

    name: str
    unit_id: str | None
    full_name: str | None  # 'quận Thanh Xuân'; None for a unit outside the gazetteer (its name as written)
    month: date  # the report month: the one asked for, else the district's latest reported month
    series: tuple[Series, ...]
    alerts: tuple[Alert, ...]


@dataclass(frozen=True)
class Report:
    """The whole report."""

    districts: tuple[DistrictReport, ...]
    general_alerts: tuple[Alert, ...]  # alerts naming no district of the report
    alerts_checked: bool  # False when the warehouse has no dq_alerts table
    requested_month: date | None
    generated_at: datetime
    last_loaded_at: datetime | None
    warehouse: str


def window_start(month: date) -> date:
    """The first month the charts show: January of the year before, so a year is seen against the last one."""
    return date(month.year - 1, 1, 1)


def build_report(
    months: QueryResult,
    sources: QueryResult,
    alerts: QueryResult | None,
    *,
    month: date | None,
    metric_order: Sequence[str],
    district_selected: bool,
    generated_at: datetime,
    last_loaded_at: datetime | None,
    warehouse: str,
) -> Report:
    """Build the report from the rows of warehouse.report's report_months, report_sources and open_alerts.

    Each district's report month is `month`, else its latest reported month; a district with no reported month
    up to it is left out. A metric is shown when it has a reported month in the district's chart window. When a
    district was selected, alerts of other districts are left out; otherwise an alert naming no district of the
    report is a general one.
    """
    source_index = _sources_by_series(_records(sources))
    by_district: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in _records(months):
        by_district[(row["district"], row["unit_id"], row["unit_full_name"])][row["metric"]].append(row)
    rank = {code: position for position, code in enumerate(metric_order)}
    all_alerts = [_alert(row) for row in _records(alerts)] if alerts is not None else []

    districts = []
    for (name, unit_id, full_name), metrics in by_district.items():
        report_month = month or _latest_reported(metrics.values())
        if report_month is None:
            continue
        series = [
            found
            for code, rows in metrics.items()
            if (found := _series(rows, report_month, source_index[(name, unit_id, code)])) is not None
        ]
        if not series:
            continue
        series.sort(key=lambda s: (rank.get(s.metric, len(rank)), s.metric))
        districts.append(DistrictReport(name, unit_id, full_name, report_month, tuple(series), ()))

    districts.sort(key=lambda d: fold(d.name))
    placed, general = _place_alerts(all_alerts, districts, district_selected=district_selected)
    return Report(
        districts=tuple(
            DistrictReport(d.name, d.unit_id, d.full_name, d.month, d.series, tuple(placed[i]))
            for i, d in enumerate(districts)
        ),
        general_alerts=tuple(general),
        alerts_checked=alerts is not None,
        requested_month=month,
        generated_at=generated_at,
        last_loaded_at=last_loaded_at,
        warehouse=warehouse,
    )


def _records(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _latest_reported(metric_rows: Iterable[list[dict]]) -> date | None:
    reported = [row["month_start"] for rows in metric_rows for row in rows if _month(row).is_known]
    return max(reported, default=None)


_MONTH_FIELDS = [f.name for f in fields(Month)]
_SOURCE_FIELDS = [f.name for f in fields(Source)]


def _month(row: dict) -> Month:
    values = {name: row[name] for name in _MONTH_FIELDS}
    for flag in ("is_partial_month", "is_estimate", "is_preliminary", "is_approximate"):
        values[flag] = bool(values[flag])
    return Month(**values)


def _series(rows: list[dict], report_month: date, sources: dict[date, tuple[Source, ...]]) -> Series | None:
    first = window_start(report_month)
    window = tuple(_month(row) for row in rows if first <= row["month_start"] <= report_month)
    reported = [m for m in window if m.is_known]
    if not reported:
        return None
    head = rows[0]
    return Series(
        metric=head["metric"],
        label=head["metric_label"] or head["metric"],
        unit=head["unit"],
        is_additive=bool(head["is_additive"]),
        months=window,
        latest=reported[-1],
        sources={m.month_start: sources[m.month_start] for m in window if m.month_start in sources},
    )


def _sources_by_series(rows: list[dict]) -> dict[tuple, dict[date, tuple[Source, ...]]]:
    grouped: dict[tuple, dict[date, list[Source]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        source = Source(**{name: row[name] for name in _SOURCE_FIELDS})
        grouped[(row["district"], row["unit_id"], row["metric"])][row["month_start"]].append(source)
    index: dict[tuple, dict[date, tuple[Source, ...]]] = defaultdict(dict)
    for key, by_month in grouped.items():
        index[key] = {month_start: tuple(found) for month_start, found in by_month.items()}
    return index


def _alert(row: dict) -> Alert:
    known = {f.name for f in fields(Alert)}
    return Alert(**{name: value for name, value in row.items() if name in known})


def _place_alerts(
    alerts: list[Alert], districts: list[DistrictReport], *, district_selected: bool
) -> tuple[list[list[Alert]], list[Alert]]:
    """Give each district the alerts naming it (by name, full name or unit id, in any case or diacritics)."""
    owner: dict[str, int] = {}
    for position, district in enumerate(districts):
        for written in (district.name, district.full_name, district.unit_id):
            if written:
                owner.setdefault(fold(written), position)
    placed: list[list[Alert]] = [[] for _ in districts]
    general: list[Alert] = []
    for alert in sorted(alerts, key=_alert_order):
        position = owner.get(fold(str(alert.district))) if alert.district else None
        if position is not None:
            placed[position].append(alert)
        elif alert.district is None or not district_selected:
            general.append(alert)
    return placed, general


def _alert_order(alert: Alert) -> tuple:
    seen = alert.last_seen_at or alert.first_seen_at
    # newest first within a severity: negate the timestamp (an alert without one goes last)
    return (SEVERITY_RANK.get(str(alert.severity).lower(), len(SEVERITY_RANK)), seen is None,
            -seen.timestamp() if isinstance(seen, datetime) else 0, str(alert.alert_id))
