"""Tasks every flow shares."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from contracts.catalogue import gazetteer, metric_catalogue
from flows.settings import Settings
from reports import read_report, write_report
from warehouse import Warehouse


@task(cache_policy=NONE)
def prepare_warehouse(target: str) -> None:
    """Create or upgrade the warehouse schema and views before loading (idempotent)."""
    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())


@task(cache_policy=NONE)
def publish_report(settings: Settings) -> str:
    """Write the KPI report of the published warehouse to [report] out; return its path."""
    report = read_report(settings.warehouse, timezone=settings.schedules.timezone)
    path = write_report(report, settings.report_out)
    get_run_logger().info("KPI report written to %s (%d district(s))", path, len(report.districts))
    return str(path)


def report_if_configured(settings: Settings) -> str | None:
    """After a run's loads are published, rewrite the KPI report when [report] out is set; return its path."""
    return publish_report(settings) if settings.report_out is not None else None
