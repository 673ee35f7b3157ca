"""The KPI report: one self-contained HTML file per run (scorecards, charts, open alerts, sources), readable offline.

Presentation only: the figures come through the warehouse's read functions, are shaped by reports.model and
written by reports.html. Flows and the CLI call `read_report` and `write_report`; nothing here writes to the warehouse.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from contracts.catalogue import metric_catalogue
from reports.html import render
from reports.model import Report, build_report, window_start
from warehouse import Warehouse

__all__ = ["Report", "build", "read_report", "render", "write_report"]


def build(
    wh: Warehouse,
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month: date | None = None,
    generated_at: datetime,
) -> Report:
    """Read the report's figures from an open warehouse and shape them; metrics in the catalogue's order, times
    in generated_at's time zone."""
    filters = {"unit_id": unit_id, "district": district, "month_to": month,
               "month_from": window_start(month) if month else None}
    return build_report(
        wh.report_months(**filters),
        wh.report_sources(**filters),
        wh.open_alerts(),
        month=month,
        metric_order=tuple(metric.code for metric in metric_catalogue()),
        district_selected=unit_id is not None or district is not None,
        generated_at=generated_at,
        last_loaded_at=loaded.astimezone(generated_at.tzinfo) if (loaded := wh.last_loaded_at()) else None,
        warehouse=Path(wh.target).name,
    )


def read_report(
    target: str | Path,
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month: date | None = None,
    timezone: str = "Asia/Ho_Chi_Minh",
) -> Report:
    """Build the report from the published warehouse at `target` (opened read-only); times shown in `timezone`."""
    with Warehouse(target, read_only=True) as wh:
        wh.require_schema()
        return build(wh, unit_id=unit_id, district=district, month=month, generated_at=datetime.now(ZoneInfo(timezone)))


def write_report(report: Report, out: str | Path) -> Path:
    """Render the report and write it to `out` atomically, so a reader never sees half a file; return its path."""
    path = Path(out).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(render(report))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
