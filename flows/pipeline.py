"""Prefect flow `refresh`: what a scheduled run does — department files, then news, then the data-quality checks —
published as one snapshot."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.ingest_departments import ingest_departments
from flows.ingest_news import ingest_news
from flows.run_checks import checks_after_load
from flows.settings import Settings
from flows.tasks import report_if_configured
from warehouse import WarehouseBusy, writing


@flow(name="refresh", log_prints=False)
def refresh(settings: Settings) -> dict:
    """Ingest every configured source under one writer session, then run the checks once, so readers see the whole
    run and its alerts or none of it; then write the KPI report of what was published, when [report] out is set."""
    logger = get_run_logger()
    try:
        with writing(settings.warehouse, wait=settings.lock_wait_seconds, purpose=f"refresh run {flow_run.id}"):
            departments = (
                ingest_departments([str(p) for p in settings.department_inbox], settings.warehouse, checks=False)
                if settings.department_inbox else []
            )
            news = (
                ingest_news(settings.warehouse, sources=list(settings.news_sources), fetch=settings.fetch, checks=False)
                if settings.news_sources else None
            )
            checked = checks_after_load(settings.warehouse, settings.alerts, logger)
    except WarehouseBusy as busy:
        logger.warning("refresh skipped: %s", busy)
        return {"skipped": str(busy)}
    return {"departments": departments, "news": news, "checks": checked, "report": report_if_configured(settings)}
