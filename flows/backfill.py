"""Prefect flow `backfill`: read stored files and pages again with the current parsers, without fetching.

What changed replaces its own earlier rows (kept in history); what comes out the same is left alone, so a
backfill over unchanged parsers writes nothing. `rebuild` is a backfill of everything, run monthly.
"""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager
from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from contracts.department import validate_department
from flows.ingest_departments import parse_received, submission_of
from flows.ingest_news import Summary, extract_page, load_batch
from flows.run_checks import checks_after_load
from flows.settings import AlertSettings
from flows.tasks import prepare_warehouse
from warehouse import ReceivedFile, Warehouse, WarehouseBusy, writing
from warehouse.loads import StoredFile, raw_content, stored_files_between
from warehouse.news import page_urls_between, stored_pages

BATCH = 25


@task(cache_policy=NONE)
def rederive_files(target: str, files: list[StoredFile]) -> Counter:
    """Parse, validate and load stored department files again; count changed, unchanged and unreadable ones."""
    outcomes: Counter = Counter()
    with Warehouse(target) as wh:
        for stored in files:
            received = ReceivedFile(stored.name, raw_content(wh.con, stored.sha256))
            parsed, reason = parse_received(received)
            if parsed is None:
                wh.record_failure(received, f"backfill: {reason}", flow="ingest_departments", flow_run_id=flow_run.id)
                outcomes["failed"] += 1
                continue
            checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
            result = wh.load_department_file(
                received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
                rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped,
                submission=submission_of(parsed, stored.department), message="; ".join(parsed.notes) or None,
                flow_run_id=flow_run.id, rederive=True,
            )
            outcomes["changed" if result.status == "success" else "unchanged"] += 1
    return outcomes


@contextmanager
def _progress(total: int, logger):
    """Show a progress bar on a terminal; elsewhere (scheduled runs, CI) log every batch instead."""
    if sys.stderr.isatty():
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, transient=False) as bar:
            job = bar.add_task("backfill", total=total)
            yield lambda done, what: bar.update(job, advance=done, description=what)
    else:
        state = {"done": 0}

        def advance(done: int, what: str) -> None:
            state["done"] += done
            logger.info("backfill: %d/%d (%s)", state["done"], total, what)

        yield advance


@flow(name="backfill", log_prints=False)
def backfill(
    warehouse: str, month_from: date | None = None, month_to: date | None = None, lock_wait: float | None = None,
    alerts: AlertSettings | None = None,
) -> dict:
    """Re-read the stored department files and news pages whose figures fall within the months (None: all); then
    run the data-quality checks."""
    logger = get_run_logger()
    try:
        with writing(warehouse, wait=lock_wait, purpose=f"backfill run {flow_run.id}"):
            prepare_warehouse(warehouse)
            with Warehouse(warehouse) as wh:
                files = stored_files_between(wh.con, month_from, month_to)
                urls = page_urls_between(wh.con, month_from, month_to)
            files_done: Counter = Counter()
            pages = Summary()
            with _progress(len(files) + len(urls), logger) as advance:
                for start in range(0, len(files), BATCH):
                    batch = files[start:start + BATCH]
                    files_done += rederive_files(warehouse, batch)
                    advance(len(batch), "department files")
                for start in range(0, len(urls), BATCH):
                    batch = urls[start:start + BATCH]
                    with Warehouse(warehouse) as wh:
                        stored = stored_pages(wh.con, batch)
                    pages.add(load_batch(warehouse, [extract_page(page, None) for page in stored], flow_run.id, log=False))
                    advance(len(batch), "news pages")
            checked = checks_after_load(warehouse, alerts, logger)
    except WarehouseBusy as busy:
        logger.warning("backfill skipped: %s", busy)
        return {"skipped": str(busy)}
    summary = {
        "files": len(files), "files_changed": files_done["changed"], "files_unchanged": files_done["unchanged"],
        "files_failed": files_done["failed"], "pages": len(urls), "pages_changed": pages.articles_changed,
        "facts_loaded": pages.facts_loaded, "checks": checked,
    }
    logger.info("backfill: %s", summary)
    return summary
