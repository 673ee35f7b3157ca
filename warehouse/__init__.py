"""The only code that talks to DuckDB: open, migrate, seed, load, read.

Flows use the `Warehouse` facade and never write SQL themselves, so the storage behind it can change
(a local file today, a DuckLake catalog later) without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warehouse import alerts, lake, loads, maintenance, materialize, migrate, read, report, seed
from warehouse.connection import DEFAULT_PATH, SQL_DIR, connect, describe, writing
from warehouse.errors import WarehouseBusy, WarehouseConflict, WarehouseError
from warehouse.loads import CompactFile, LoadResult, ReceivedFile, Submission
from warehouse.transactions import exclusive, is_lake, transaction

__all__ = [
    "DEFAULT_PATH", "SQL_DIR", "CompactFile", "InitReport", "LoadResult", "ReceivedFile", "Submission", "Warehouse",
    "WarehouseBusy", "WarehouseConflict", "WarehouseError", "writing",
]


@dataclass(frozen=True)
class InitReport:
    """What `init` did."""

    target: str
    migrations_applied: list[str]
    views: list[str]
    tables: list[str]
    refresh: materialize.Refresh
    units: int
    metrics: int


class Warehouse:
    """An open warehouse connection with the operations the flows and the CLI need.

    Read-only opens the published snapshot and never waits. Read-write joins (or starts) this process's writer
    session: it waits up to `wait` seconds for another run's lock (None: as long as it takes), and the snapshot
    is published when the outermost session closes without an error. On DuckLake (`ducklake:postgres:…`) there is
    no writer lock and nothing to publish: every load commits on its own, alongside other loaders.
    """

    def __init__(self, target: str | Path = DEFAULT_PATH, *, read_only: bool = False, wait: float | None = None):
        self.target = describe(target)
        self.read_only = read_only
        self._stack = ExitStack()
        try:
            if not read_only:
                self._stack.enter_context(writing(target, wait=wait))
            self.con = connect(target, read_only=read_only)
        except BaseException:
            self._stack.close()
            raise

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.con.close()
        self._stack.__exit__(*exc)

    def close(self) -> None:
        """Close the connection and leave the writer session (publishing when it was the outermost)."""
        self.__exit__(None, None, None)

    def init(self, *, units: Iterable, metrics: Iterable) -> InitReport:
        """Create or upgrade the schema, refresh the reference dimensions, the views and the materialized tables;
        idempotent.

        On DuckLake, loaders starting together take turns (an advisory lock), so each finds the schema complete.
        """
        with exclusive(self.con, ["init"]):
            applied = migrate.upgrade(self.con)
            if is_lake(self.con):
                lake.configure(self.con)
            unit_count, metric_count = transaction(
                self.con, lambda: (seed.seed_units(self.con, units), seed.seed_metrics(self.con, metrics)),
                what="reference dimensions",
            )
            views = migrate.create_views(self.con)
        refreshed = materialize.refresh(self.con)
        tables = [name for (name,) in self.con.execute("select model from materialized_models order by position").fetchall()]
        return InitReport(self.target, applied, views, tables, refreshed, unit_count, metric_count)

    def refresh_materialized(self, *, full: bool = False) -> materialize.Refresh:
        """Bring the materialized tables (kpi_monthly, …) up to date with the observations; cheap when nothing changed.

        The end of every writer session does it before publishing (on DuckLake, where nothing is published, the checks
        at the end of every load do it); call it to read those tables inside a session after writing observations.
        """
        return materialize.refresh(self.con, full=full)

    def maintain(self, **options) -> maintenance.Maintenance:
        """Expire old snapshots, compact files and delete unused ones (DuckLake only; see warehouse.maintenance.maintain)."""
        return maintenance.maintain(self.con, **options)

    def require_schema(self) -> None:
        """Fail with a clear message when the warehouse was never initialised."""
        found = self.con.execute(
            "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not found:
            raise WarehouseError(f"warehouse {self.target} is not initialised: run `dkpi init`")

    def load_department_file(self, received: ReceivedFile | CompactFile, **kwargs) -> LoadResult:
        """Load one validated department file (see warehouse.loads.load_department_file)."""
        return loads.load_department_file(self.con, received, **kwargs)

    def record_failure(self, received: ReceivedFile | CompactFile, message: str, **kwargs) -> LoadResult:
        """Record a file that could not be loaded at all."""
        return loads.record_failure(self.con, received, message, **kwargs)

    def query(self, sql: str, params: list | None = None) -> read.QueryResult:
        """Run one query."""
        return read.query(self.con, sql, params)

    def quarantine(self, **filters) -> read.QueryResult:
        """Read quarantined rows and failed files (see warehouse.read.quarantine_rows)."""
        return read.quarantine_rows(self.con, **filters)

    def kpi(self, view: str, **filters) -> read.QueryResult:
        """Read a kpi_* view with filters (see warehouse.read.kpi_rows)."""
        return read.kpi_rows(self.con, view, **filters)

    def run_checks(self, *, run_id: str, now: datetime, flow_run_id: str | None = None) -> alerts.CheckRun:
        """Bring the materialized tables up to date, run the data-quality checks on them and move the alerts along
        their lifecycle (see warehouse.alerts)."""
        self.refresh_materialized()  # the checks read kpi_monthly: never as it was before this session's writes
        return alerts.check_warehouse(self.con, run_id=run_id, now=now, flow_run_id=flow_run_id)

    def due_notifications(self, *, now: datetime, renotify_hours: float, notify_resolved: bool) -> list[alerts.Notification]:
        """List the alert notifications that some channel has not had yet."""
        titles = {check.name: check.title for check in alerts.check_files()}
        return alerts.due_notifications(
            self.con, now=now, renotify_hours=renotify_hours, notify_resolved=notify_resolved, titles=titles
        )

    def record_deliveries(
        self, deliveries: Iterable[alerts.Delivery], notified: Iterable[alerts.Notification], *, now: datetime
    ) -> None:
        """Keep the delivery attempts and mark the notifications every channel has."""
        alerts.record_deliveries(self.con, list(deliveries), list(notified), now=now)

    def list_alerts(self, status: str = "open") -> read.QueryResult:
        """List alerts of a status, or 'all'."""
        return alerts.list_alerts(self.con, status)

    def acknowledge(self, alert_id: str, *, by: str, note: str | None, now: datetime) -> read.QueryResult:
        """Acknowledge one alert by its id or a unique prefix of it."""
        return alerts.acknowledge(self.con, alert_id, by=by, note=note, now=now)
    def report_months(self, **filters) -> read.QueryResult:
        """Read every month of the KPI series with its comparisons (see warehouse.report.report_months)."""
        return report.report_months(self.con, **filters)

    def report_sources(self, **filters) -> read.QueryResult:
        """Read the observations behind each month of the series (see warehouse.report.report_sources)."""
        return report.report_sources(self.con, **filters)

    def open_alerts(self) -> read.QueryResult | None:
        """Read the unresolved data-quality alerts; None without a dq_alerts table (see warehouse.report.open_alerts)."""
        return report.open_alerts(self.con)

    def last_loaded_at(self):
        """When the latest current figure was loaded."""
        return report.last_loaded_at(self.con)
