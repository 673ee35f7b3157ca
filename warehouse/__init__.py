"""The only code that talks to DuckDB: open, migrate, seed, load, read.

Flows use the `Warehouse` facade and never write SQL themselves, so the storage behind it can change
(a local file today, a DuckLake catalog later) without touching them.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from warehouse import lake, loads, maintenance, migrate, read, report, seed
from warehouse.connection import DEFAULT_PATH, SQL_DIR, connect, describe, writing
from warehouse.errors import WarehouseBusy, WarehouseConflict, WarehouseError
from warehouse.loads import LoadResult, ReceivedFile, Submission
from warehouse.transactions import exclusive, is_lake, transaction

__all__ = [
    "DEFAULT_PATH", "SQL_DIR", "InitReport", "LoadResult", "ReceivedFile", "Submission", "Warehouse",
    "WarehouseBusy", "WarehouseConflict", "WarehouseError", "writing",
]


@dataclass(frozen=True)
class InitReport:
    """What `init` did."""

    target: str
    migrations_applied: list[str]
    views: list[str]
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
        """Create or upgrade the schema, refresh the reference dimensions and the views; idempotent.

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
        return InitReport(self.target, applied, views, unit_count, metric_count)

    def maintain(self, *, expire_days: float, delete_after_days: float, dry_run: bool = False) -> maintenance.Maintenance:
        """Expire old snapshots, compact files and delete unused ones (DuckLake only; see warehouse.maintenance)."""
        return maintenance.maintain(self.con, expire_days=expire_days, delete_after_days=delete_after_days, dry_run=dry_run)

    def require_schema(self) -> None:
        """Fail with a clear message when the warehouse was never initialised."""
        found = self.con.execute(
            "select count(*) from information_schema.tables where table_name = 'schema_migrations'"
        ).fetchone()[0]
        if not found:
            raise WarehouseError(f"warehouse {self.target} is not initialised: run `dkpi init`")

    def load_department_file(self, received: ReceivedFile, **kwargs) -> LoadResult:
        """Load one validated department file (see warehouse.loads.load_department_file)."""
        return loads.load_department_file(self.con, received, **kwargs)

    def record_failure(self, received: ReceivedFile, message: str, **kwargs) -> LoadResult:
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
