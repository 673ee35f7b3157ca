"""The KPI report: one self-contained HTML file per run (scorecards, charts, open alerts, sources), readable offline.

Presentation only: the figures come through the warehouse's read functions, are shaped by reports.model and
written by reports.html. Flows and the CLI call `write_report`; nothing here writes to the warehouse.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from contracts.catalogue import metric_catalogue
from reports.html import render
from reports.model import Report, build_report, window_start

__all__ = ["Report", "build", "render", "write_report"]


def build(
    wh,
    *,
    unit_id: str | None = None,
    district: str | None = None,
    month: date | None = None,
    generated_at: datetime,
) -> Report:
    """Read the report's figures from an open warehouse (warehouse.Warehouse) and shape them; metrics in the
    catalogue's order."""
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
        last_loaded_at=wh.last_loaded_at(),
        warehouse=Path(wh.target).name,
    )


def write_report(report: Report, out: str | Path) -> Path:
    """Write the rendered report to `out` atomically (a reader never sees half a file); return its path."""
    path = Path(out).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render(report)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(html)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
