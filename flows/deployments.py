"""Deployments: the scheduled flows, defined once, served by `dkpi serve` against a Prefect server.

Each scheduled flow takes only the path of the config file, read at run time, so a change to dkpi.toml
takes effect at the next run without registering the deployments again. After its loads are published,
each rewrites the KPI report when [report] out is set.
"""

from __future__ import annotations

from prefect import flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.ingest_departments import ingest_departments
from flows.ingest_news import ingest_news
from flows.settings import PROJECT_DIR, Settings, load_settings
from flows.tasks import report_if_configured


@flow(name="scheduled-news")
def scheduled_news(config: str | None = None) -> dict:
    """Fetch the configured news sources and load their facts."""
    settings = load_settings(config=config)
    summary = ingest_news(settings.warehouse, sources=list(settings.news_sources), fetch=settings.fetch,
                          lock_wait=settings.lock_wait_seconds, alerts=settings.alerts)
    report_if_configured(settings)
    return summary


@flow(name="scheduled-departments")
def scheduled_departments(config: str | None = None) -> list[dict]:
    """Load the department files waiting in the configured inbox (files loaded before are no-ops)."""
    settings = load_settings(config=config)
    outcomes = ingest_departments([str(path) for path in settings.department_inbox], settings.warehouse,
                                  lock_wait=settings.lock_wait_seconds, alerts=settings.alerts)
    report_if_configured(settings)
    return outcomes


@flow(name="monthly-rebuild")
def monthly_rebuild(config: str | None = None) -> dict:
    """Re-read every stored file and page with the current parsers (what changed replaces its rows)."""
    settings = load_settings(config=config)
    summary = backfill(settings.warehouse, lock_wait=settings.lock_wait_seconds, alerts=settings.alerts)
    report_if_configured(settings)
    return summary


# name, flow, which schedule, description
DEPLOYMENTS = (
    ("dkpi-news", scheduled_news, "news", "News sources, every few hours"),
    ("dkpi-departments", scheduled_departments, "departments", "Department inbox, daily"),
    ("dkpi-rebuild", monthly_rebuild, "rebuild", "Full rebuild from the raw zone, monthly"),
)


def deployments(settings: Settings, *, pool: str | None = None, concurrency: int = 1):
    """Build the deployments with their cron schedules in the configured time zone (Asia/Ho_Chi_Minh).

    `concurrency` runs per deployment at a time (a late trigger waits in the queue); on the local file the
    warehouse's writer lock keeps two runs from writing at once, on DuckLake they load side by side. With a work
    pool the flows are loaded from this project folder by whichever worker of the pool picks a run up, so each
    worker machine has the project at the same path (and its .venv).
    """
    config = str(settings.config_path) if settings.config_path else None
    limit = ConcurrencyLimitConfig(limit=concurrency, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    return [
        (scheduled if pool is None else scheduled.from_source(PROJECT_DIR, f"flows/deployments.py:{scheduled.fn.__name__}"))
        .to_deployment(
            name=name,
            schedules=[Cron(getattr(settings.schedules, schedule), timezone=settings.schedules.timezone)],
            parameters={"config": config},
            concurrency_limit=limit,
            description=description,
            tags=["dkpi"],
            **({"work_pool_name": pool} if pool else {}),
        )
        for name, scheduled, schedule, description in DEPLOYMENTS
    ]
