"""Prefect flow `run_checks`: run the data-quality checks, move the alerts along, then tell people what changed.

It runs at the end of every load (ingest_departments, ingest_news, refresh, backfill, reextract_news and the
scheduled flows), inside the load's writer session so readers see the data and its alerts together, and on its own
(`dkpi check`). The lifecycle update is committed before anything is sent; a delivery that fails is recorded and
tried again at the next run, and never fails the run.

On DuckLake several loaders may finish at once, each running the checks. Updating the alerts takes turns already
(an advisory lock in warehouse.alerts); listing, sending and recording the notifications takes turns too
(`one_sender`), or two runs would both send what neither had recorded yet. On the local file the writer lock makes
every run alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from flows.notify import deliver
from flows.settings import AlertSettings
from flows.tasks import prepare_warehouse
from warehouse import Warehouse, WarehouseBusy, writing
from warehouse.alerts import CheckRun, Delivery, Notification
from warehouse.lake import lake_target
from warehouse.transactions import exclusive

SENDER_LOCK = "notifications"


@contextmanager
def one_sender(target: str) -> Iterator[None]:
    """On DuckLake, hold the notifications lock (a connection of its own keeps it) while the body runs."""
    if lake_target(target) is None:
        yield
        return
    with Warehouse(target) as holder, exclusive(holder.con, [SENDER_LOCK]):
        yield


@task(cache_policy=NONE)
def check(target: str, now: datetime, run_id: str) -> CheckRun:
    """Run every check and update the alerts in the warehouse (committed before anything is sent)."""
    with Warehouse(target) as wh:
        return wh.run_checks(run_id=run_id, now=now, flow_run_id=flow_run.id)


@task(cache_policy=NONE)
def due(target: str, now: datetime, alerts: AlertSettings) -> list[Notification]:
    """List the notifications some channel does not have yet."""
    with Warehouse(target) as wh:
        return wh.due_notifications(now=now, renotify_hours=alerts.renotify_hours, notify_resolved=alerts.notify_resolved)


@task(cache_policy=NONE)
def send(notifications: list[Notification], alerts: AlertSettings, now: datetime) -> tuple[list[Delivery], list[Notification]]:
    """Deliver each notification to the channels of its severity (retries inside; failures returned, not raised)."""
    return deliver(notifications, alerts, logger=get_run_logger(), now=now)


@task(cache_policy=NONE)
def record(target: str, deliveries: list[Delivery], notified: list[Notification], now: datetime) -> None:
    """Keep every delivery attempt; mark what every channel has."""
    with Warehouse(target) as wh:
        wh.record_deliveries(deliveries, notified, now=now)


@flow(name="run_checks", log_prints=False)
def run_checks(
    warehouse: str, alerts: AlertSettings | None = None, now: datetime | None = None, lock_wait: float | None = None
) -> dict:
    """Run the checks, update the alerts, deliver the notifications due; return a summary of all three."""
    logger = get_run_logger()
    settings = alerts or AlertSettings()
    now = now or datetime.now(UTC)
    try:
        with writing(warehouse, wait=lock_wait, purpose=f"run_checks run {flow_run.id}"):
            prepare_warehouse(warehouse)
            checked = check(warehouse, now, uuid.uuid4().hex)
            for failed in checked.failed:
                logger.error("check %s could not run: %s", failed.name, failed.error)
            with one_sender(warehouse):
                notifications = due(warehouse, now, settings)
                deliveries, notified = send(notifications, settings, now)
                record(warehouse, deliveries, notified, now)
    except WarehouseBusy as busy:
        logger.warning("run_checks skipped: %s", busy)
        return {"skipped": str(busy)}
    summary = {
        "checks": len(checked.results),
        "failed_checks": [{"check": r.name, "error": r.error} for r in checked.failed],
        "rows_found": sum(r.rows or 0 for r in checked.results),
        "opened": checked.lifecycle.opened,
        "reopened": checked.lifecycle.reopened,
        "still_failing": checked.lifecycle.still_failing,
        "resolved": checked.lifecycle.resolved,
        "notifications": len(notifications),
        "deliveries": sum(d.success for d in deliveries),
        "failed_deliveries": sum(not d.success for d in deliveries),
    }
    logger.info(
        "run_checks: %d check(s), %d failed; alerts %d opened, %d re-opened, %d still failing, %d resolved; "
        "%d notification(s), %d delivery(ies), %d failed",
        summary["checks"], len(summary["failed_checks"]), summary["opened"], summary["reopened"],
        summary["still_failing"], summary["resolved"], summary["notifications"], summary["deliveries"],
        summary["failed_deliveries"],
    )
    return summary


def checks_after_load(warehouse: str, alerts: AlertSettings | None, logger) -> dict:
    """Run the checks at the end of a load, inside its writer session; a failure is logged, never raised, so the
    load that just committed is still published."""
    try:
        return run_checks(warehouse, alerts=alerts)
    except Exception as error:  # noqa: BLE001 - the data is loaded; losing the alerts must not lose the load
        logger.exception("run_checks failed after the load: %s", error)
        return {"error": f"{type(error).__name__}: {error}"}
