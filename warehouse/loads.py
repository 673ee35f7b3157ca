"""Idempotent loads: one transaction per received file; a file already loaded is a no-op."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import polars as pl

# Natural key of a figure: a newer file that states it again supersedes the older figure (kept in history).
FIGURE_KEY = ("unit_id", "metric", "month_start", "basis", "as_of")

OBSERVATION_COLUMNS = (
    "unit_id", "district", "metric", "month_start", "basis", "value", "unit", "is_preliminary", "annual_plan",
    "source_row",
)


@dataclass(frozen=True)
class ReceivedFile:
    """A file as received: its name and bytes."""

    name: str
    content: bytes
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class LoadResult:
    """What one load did; rows_in == rows_loaded + rows_quarantined for a successful load."""

    load_id: str
    source: str
    status: str  # success | unchanged | failed
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


def new_load_id() -> str:
    """Return a fresh load id."""
    return uuid.uuid4().hex


def already_loaded(con: duckdb.DuckDBPyConnection, sha256: str, flow: str) -> bool:
    """Tell whether a file with these bytes was loaded successfully by this flow before."""
    found = con.execute(
        "select 1 from load_runs where source_sha256 = ? and flow = ? and status = 'success' limit 1", [sha256, flow]
    ).fetchone()
    return found is not None


def load_department_file(
    con: duckdb.DuckDBPyConnection,
    received: ReceivedFile,
    *,
    valid: pl.DataFrame,
    rejected: pl.DataFrame,
    rows_in: int,
    value_column: str | None,
    flow_run_id: str | None = None,
    started_at: datetime | None = None,
) -> LoadResult:
    """Load a validated department file in one transaction: raw bytes, figures, quarantine and the run record."""
    flow = "ingest_departments"
    load_id = new_load_id()
    started_at = started_at or datetime.now(UTC)
    con.execute("begin transaction")
    try:
        if already_loaded(con, received.sha256, flow):
            result = LoadResult(load_id, received.name, "unchanged", rows_in=0)
        else:
            store_raw_file(con, received)
            figures = _observations(valid, received, load_id, value_column)
            supersede(con, figures, load_id, source_kind="department")
            con.register("incoming_observations", figures.to_arrow())
            con.execute("insert into observations by name select * from incoming_observations")
            con.unregister("incoming_observations")
            store_quarantine(con, rejected, received, load_id, source_kind="department")
            quarantined = rejected.get_column("source_row").n_unique() if rejected.height else 0
            result = LoadResult(load_id, received.name, "success", rows_in, valid.height, quarantined)
        record_run(con, result, flow=flow, sha256=received.sha256, flow_run_id=flow_run_id, started_at=started_at)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result


def store_raw_file(con: duckdb.DuckDBPyConnection, received: ReceivedFile) -> None:
    """Keep the bytes once per content hash; the first name it arrived under is kept."""
    con.execute(
        "insert into raw_files (sha256, file_name, size_bytes, received_at, content) values (?, ?, ?, ?, ?) "
        "on conflict do nothing",
        [received.sha256, received.name, len(received.content), received.received_at, received.content],
    )


def supersede(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame, load_id: str, *, source_kind: str) -> None:
    """Mark current figures of this source kind that the incoming ones restate as superseded by this load."""
    con.register("restated_keys", figures.select(*FIGURE_KEY).unique().to_arrow())
    con.execute(
        f"""
        update observations as o set superseded_by = ?, superseded_at = now()
        from restated_keys as k
        where o.superseded_by is null and o.source_kind = ?
          and {' and '.join(f'o.{column} is not distinct from k.{column}' for column in FIGURE_KEY)}
        """,
        [load_id, source_kind],
    )
    con.unregister("restated_keys")


def store_quarantine(
    con: duckdb.DuckDBPyConnection, rejected: pl.DataFrame, received: ReceivedFile, load_id: str, *, source_kind: str
) -> None:
    """Keep every rejected cell of a received file with its rule and message."""
    store_quarantine_rows(
        con, rejected, load_id=load_id, source_kind=source_kind, source_name=received.name, source_sha256=received.sha256
    )


def store_quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    rejected: pl.DataFrame,
    *,
    load_id: str,
    source_kind: str,
    source_name: str,
    source_sha256: str | None,
) -> None:
    """Keep every rejected record (row, column, raw value, rule, message) of one source."""
    if rejected.height == 0:
        return
    rows = rejected.rename({"source_row": "row_number"}).with_columns(
        pl.lit(load_id).alias("load_id"),
        pl.lit(source_kind).alias("source_kind"),
        pl.lit(source_name).alias("source_name"),
        pl.lit(source_sha256).cast(pl.String).alias("source_sha256"),
        pl.lit(datetime.now(UTC)).alias("quarantined_at"),
    )
    con.register("incoming_quarantine", rows.to_arrow())
    con.execute("insert into quarantine by name select * from incoming_quarantine")
    con.unregister("incoming_quarantine")


def record_run(
    con: duckdb.DuckDBPyConnection,
    result: LoadResult,
    *,
    flow: str,
    sha256: str | None,
    flow_run_id: str | None,
    started_at: datetime,
) -> None:
    """Append the run's record to load_runs."""
    con.execute(
        "insert into load_runs (load_id, flow, flow_run_id, source, source_sha256, started_at, finished_at,"
        " rows_in, rows_loaded, rows_quarantined, status, message) values (?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?)",
        [
            result.load_id, flow, flow_run_id, result.source, sha256, started_at,
            result.rows_in, result.rows_loaded, result.rows_quarantined, result.status, result.message,
        ],
    )


def record_failure(
    con: duckdb.DuckDBPyConnection,
    received: ReceivedFile,
    message: str,
    *,
    flow: str,
    flow_run_id: str | None = None,
    started_at: datetime | None = None,
    rejected: pl.DataFrame | None = None,
) -> LoadResult:
    """Record a file that was not loaded: its bytes, the rows it was refused for, and the reason are kept."""
    result = LoadResult(new_load_id(), received.name, "failed", message=message)
    con.execute("begin transaction")
    try:
        store_raw_file(con, received)
        if rejected is not None:
            store_quarantine(con, rejected, received, result.load_id, source_kind="department")
        record_run(
            con, result, flow=flow, sha256=received.sha256, flow_run_id=flow_run_id,
            started_at=started_at or datetime.now(UTC),
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return result


def _observations(valid: pl.DataFrame, received: ReceivedFile, load_id: str, value_column: str | None) -> pl.DataFrame:
    """Shape validated department rows as observations with their provenance."""
    return valid.select(*OBSERVATION_COLUMNS).with_columns(
        (pl.lit(f"file:{received.sha256}:") + pl.col("source_row").cast(pl.String)).alias("obs_id"),
        pl.col("month_start").dt.month_end().alias("as_of"),
        pl.lit("department").alias("source_kind"),
        pl.lit(received.name).alias("source_name"),
        pl.lit(received.sha256).alias("source_sha256"),
        pl.lit(value_column).cast(pl.String).alias("source_column"),
        pl.lit(load_id).alias("load_id"),
        pl.lit(datetime.now(UTC)).alias("loaded_at"),
        pl.col("source_row").cast(pl.Int32),
    )
