"""Idempotent loads: one transaction per received file; a file already loaded is a no-op."""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pyarrow as pa

from warehouse.transactions import transaction

T = TypeVar("T")

# Natural key of a figure: a newer file that states it again supersedes the older figure (kept in history).
FIGURE_KEY = ("unit_id", "metric", "month_start", "basis", "as_of")

FIGURE_COLUMNS = (
    "unit_id", "district", "metric", "month_start", "as_of", "basis", "value", "unit", "is_preliminary", "annual_plan",
    "source_sheet", "source_row", "source_column",
)
# What department_figures keeps of them: the district's name and the unit are those of dim_unit and dim_metric (the
# contract loads a figure only for a known unit, in its metric's unit), and the observations view joins them back.
STORED_FIGURE_COLUMNS = tuple(column for column in FIGURE_COLUMNS if column not in ("district", "unit"))


@dataclass(frozen=True)
class ReceivedFile:
    """A file as received: its name and bytes."""

    name: str
    content: bytes
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @cached_property
    def sha256(self) -> str:
        """The content hash, computed once (hashing a large file is not free)."""
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    @cached_property
    def stored(self) -> tuple[str, bytes]:
        """(content_encoding, bytes) as raw_files keeps them: zstd above COMPRESS_ABOVE, else as received."""
        if self.size > COMPRESS_ABOVE:
            return "zstd", pa.compress(self.content, codec="zstd", asbytes=True)
        return "identity", self.content

    def compact(self) -> CompactFile:
        """The same file holding only what loading it still needs: its hash, size and bytes as they will be stored.

        Once a file is parsed its plain bytes are needed no more; a 424 MB CSV is ~50 MB in zstd, so holding that
        instead while millions of figures are validated and loaded keeps a 5 M-row run well under 2 GB.
        """
        encoding, stored = self.stored
        return CompactFile(self.name, self.sha256, self.size, self.received_at, encoding, stored)


def compacted_while(received: ReceivedFile, work: Callable[[], T]) -> tuple[CompactFile, T]:
    """Run `work` (parsing the file) while a thread hashes and compresses the file for raw_files; return both.

    hashlib and zstd release the GIL, and parsing leaves part of a core idle: for a 424 MB file the 0.6 s of
    hashing and compressing mostly vanish into the parse (benchmarks/csv_load.py, parse phase). The thread runs at
    the lowest scheduling priority, so it takes the cores only when polars leaves them idle instead of slowing the
    parse (5 M rows, scratch timing: 2.84-3.19 s to parsed instead of 3.14-3.44 s). An error of `work` is raised
    once the thread has finished.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compact") as pool:
        compacting = pool.submit(_in_background, received.compact)
        result = work()
        return compacting.result(), result


def _in_background(task: Callable[[], T]) -> T:
    """Run `task` on this thread at the lowest priority (Linux schedules threads apart; elsewhere it just runs)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # no per-thread priority here: the task still runs, at normal priority
        pass
    return task()


@dataclass(frozen=True)
class CompactFile:
    """A received file after parsing (ReceivedFile.compact): its bytes as raw_files keeps them, plain ones on demand."""

    name: str
    sha256: str
    size: int
    received_at: datetime
    encoding: str
    stored_bytes: bytes

    @property
    def stored(self) -> tuple[str, bytes]:
        return self.encoding, self.stored_bytes

    @property
    def content(self) -> bytes:
        """The bytes as received (decompressed again when kept compressed)."""
        return _plain(self.stored_bytes, self.encoding, self.size)

    def compact(self) -> CompactFile:
        return self


@dataclass(frozen=True)
class Submission:
    """Which department's report for which period a file is; a later file of the same submission replaces it."""

    department: str | None
    district: str | None  # unit_id the file is about, None for a file about several units
    report_period: date | None

    @property
    def key(self) -> str | None:
        """Return 'department|unit|YYYY-MM', or None when the department or period is unknown (no file-level replacement)."""
        if not self.department or self.report_period is None:
            return None
        return f"{self.department}|{self.district or '*'}|{self.report_period:%Y-%m}"


@dataclass(frozen=True)
class LoadResult:
    """What one load did; rows_in == rows_loaded + rows_quarantined + rows_skipped for a successful load."""

    load_id: str
    source: str
    status: str  # success | unchanged | failed
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
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
    received: ReceivedFile | CompactFile,
    *,
    valid: pl.DataFrame,
    findings: pl.DataFrame,
    rows_in: int,
    rows_quarantined: int,
    rows_skipped: int,
    submission: Submission | None = None,
    message: str | None = None,
    flow_run_id: str | None = None,
    started_at: datetime | None = None,
    rederive: bool = False,
) -> LoadResult:
    """Load a validated department file in one transaction: raw bytes, figures, findings and the run record.

    A file whose bytes were loaded before is a no-op — unless `rederive` (a backfill re-reading stored files
    with the current parser) finds that its figures or findings now come out differently: then they replace
    that file's current rows. A file of a submission loaded before (same department, district and period)
    replaces every current row of the earlier file; any other figure it restates supersedes the older one by
    natural key. Replaced rows stay in history with `superseded_by`.
    """
    if rows_in != valid.height + rows_quarantined + rows_skipped:
        raise ValueError(
            f"{received.name}: {rows_in} rows in but {valid.height} loaded + {rows_quarantined} quarantined"
            f" + {rows_skipped} skipped: refusing to lose rows"
        )
    flow = "ingest_departments"
    started_at = started_at or datetime.now(UTC)
    submission = submission or Submission(None, None, None)
    figures = valid.select(*FIGURE_COLUMNS)
    # the file's series with their names and units: a few thousand rows that the locks, the dimension check and
    # supersede read, found in one pass over the figures (three passes cost ~0.2 s more on 5 M figures)
    series = figures.select("unit_id", "district", "metric", "unit").unique()

    def load() -> LoadResult:
        load_id = new_load_id()
        loaded_before = already_loaded(con, received.sha256, flow)
        if loaded_before and (not rederive or same_derivation(con, received.sha256, figures, findings)):
            result = LoadResult(load_id, received.name, "unchanged", rows_in=0)
        else:
            if loaded_before:
                retire_file(con, received.sha256, load_id)
            store_raw_file(con, received)
            if submission.key:
                replace_submission(con, submission.key, load_id)
            check_dimensions(con, series, received.name)
            supersede(con, figures, load_id, series)
            insert_figures(con, figures, load_id)
            store_quarantine(con, findings, received, load_id, source_kind="department")
            result = LoadResult(
                load_id, received.name, "success", rows_in, valid.height, rows_quarantined, rows_skipped, message
            )
        record_run(con, result, flow=flow, sha256=received.sha256, flow_run_id=flow_run_id, started_at=started_at,
                   submission=submission)
        return result

    locks, shared = department_locks(received, submission, series)
    return transaction(con, load, what=f"loading {received.name}", locks=locks, shared_locks=shared)


# A file about more units than this locks them all at once ('units:*'), not one by one: PostgreSQL's lock table
# holds 64 locks per connection by default, shared by all.
MAX_UNIT_LOCKS = 512


def department_locks(received: ReceivedFile | CompactFile, submission: Submission, figures: pl.DataFrame) -> tuple[list[str], list[str]]:
    """What a department load must be alone with — its bytes, its submission, the units whose figures it may
    restate — as (exclusive, shared) lock keys; `figures` needs only a unit_id column (the file's series will do).

    (['file:<sha256>', 'submission:tai_chinh|hn-thanh-xuan|2024-10', 'unit:hn-thanh-xuan'], ['units:*'])
    """
    own = [f"file:{received.sha256}", *([f"submission:{submission.key}"] if submission.key else [])]
    units = figures.get_column("unit_id").unique().to_list()
    if len(units) > MAX_UNIT_LOCKS:
        return [*own, "units:*"], []
    return [*own, *(f"unit:{unit}" for unit in units)], ["units:*"]


# What a re-read of a file must reproduce for it to count as unchanged.
_DERIVED_FINDING_COLUMNS = ("source_sheet", "row_number", "source_column", "column_name", "raw_value", "rule", "severity", "message")


def same_derivation(con: duckdb.DuckDBPyConnection, sha256: str, figures: pl.DataFrame, findings: pl.DataFrame) -> bool:
    """Tell whether a file's current figures and findings are exactly what this new reading of it gives."""
    con.register("rederived_figures", figures.to_arrow())
    con.register("rederived_findings", findings.rename({"source_row": "row_number"}).select(_DERIVED_FINDING_COLUMNS).to_arrow())
    columns = ", ".join(FIGURE_COLUMNS)
    finding_columns = ", ".join(_DERIVED_FINDING_COLUMNS)
    current = f"from observations where source_sha256 = $sha and source_kind = 'department' and superseded_by is null"
    current_findings = f"from quarantine where source_sha256 = $sha and source_kind = 'department' and superseded_by is null"
    differences = con.execute(
        f"""
        select
            (select count(*) from (select {columns} from rederived_figures except all select {columns} {current}))
          + (select count(*) from (select {columns} {current} except all select {columns} from rederived_figures))
          + (select count(*) from (select {finding_columns} from rederived_findings
                                   except all select {finding_columns} {current_findings}))
          + (select count(*) from (select {finding_columns} {current_findings}
                                   except all select {finding_columns} from rederived_findings))
        """,
        {"sha": sha256},
    ).fetchone()[0]
    con.unregister("rederived_figures")
    con.unregister("rederived_findings")
    return differences == 0


# The loads that wrote department figures: a figure's file, department and submission are those of its load.
_DEPARTMENT_LOADS = "select load_id from load_runs where flow = 'ingest_departments'"


def retire_file(con: duckdb.DuckDBPyConnection, sha256: str, load_id: str) -> None:
    """Mark every current figure and finding read from these bytes as replaced by a new reading of them."""
    con.execute(
        f"update department_figures set superseded_by = ?, superseded_at = now() where superseded_by is null"
        f" and load_id in ({_DEPARTMENT_LOADS} and source_sha256 = ?)",
        [load_id, sha256],
    )
    con.execute(
        "update quarantine set superseded_by = ? where source_sha256 = ? and source_kind = 'department'"
        " and superseded_by is null",
        [load_id, sha256],
    )


@dataclass(frozen=True)
class StoredFile:
    """A department file in the raw zone, with the department it was last loaded as."""

    sha256: str
    name: str
    department: str | None


def stored_files_between(con: duckdb.DuckDBPyConnection, month_from: date | None, month_to: date | None) -> list[StoredFile]:
    """List stored department files with figures or a report period within the months (None: every stored file)."""
    rows = con.execute(
        """
        with months as (
            select source_sha256 as sha256, month_start as month from observations
            where source_kind = 'department' and superseded_by is null
            union all
            select source_sha256, report_period from load_runs where flow = 'ingest_departments'
        ),
        chosen as (
            select distinct sha256 from months
            where ($from is null and $to is null)
               or month between coalesce($from, date '0001-01-01') and coalesce($to, date '9999-12-01')
            union
            select sha256 from raw_files where $from is null and $to is null
        )
        select f.sha256, f.file_name, (
            select department from load_runs as r where r.source_sha256 = f.sha256 and r.department is not null
            order by r.started_at desc limit 1
        )
        from raw_files as f join chosen using (sha256)
        order by f.received_at, f.file_name
        """,
        {"from": month_from, "to": month_to},
    ).fetchall()
    return [StoredFile(*row) for row in rows]


def replace_submission(con: duckdb.DuckDBPyConnection, key: str, load_id: str) -> None:
    """Mark every current row and finding of earlier files of this submission as replaced by this load."""
    con.execute(
        f"update department_figures set superseded_by = ?, superseded_at = now() where superseded_by is null"
        f" and load_id in ({_DEPARTMENT_LOADS} and submission = ?)",
        [load_id, key],
    )
    con.execute(
        "update quarantine set superseded_by = ? where superseded_by is null and load_id in "
        "(select load_id from load_runs where submission = ?)",
        [load_id, key],
    )


# Files above this size are kept zstd-compressed: DuckDB stores a huge blob slowly and holds it in memory twice;
# a department CSV compresses about 8:1. Smaller files stay plain so SQL can read them as they are.
COMPRESS_ABOVE = 16 * 1024 * 1024


def store_raw_file(con: duckdb.DuckDBPyConnection, received: ReceivedFile | CompactFile) -> None:
    """Keep the bytes once per content hash (zstd above COMPRESS_ABOVE); the first name it arrived under is kept."""
    if already_stored(con, received.sha256):
        return
    encoding, content = received.stored
    con.execute(
        "insert into raw_files (sha256, file_name, size_bytes, received_at, content, content_encoding)"
        " values (?, ?, ?, ?, ?, ?)",
        [received.sha256, received.name, received.size, received.received_at, content, encoding],
    )


def already_stored(con: duckdb.DuckDBPyConnection, sha256: str) -> bool:
    """Tell whether raw_files holds these bytes."""
    return con.execute("select 1 from raw_files where sha256 = ?", [sha256]).fetchone() is not None


def raw_content(con: duckdb.DuckDBPyConnection, sha256: str) -> bytes:
    """Return a stored file's bytes exactly as received, decompressing when it was kept compressed."""
    found = con.execute("select content, content_encoding, size_bytes from raw_files where sha256 = ?", [sha256]).fetchone()
    if found is None:
        raise KeyError(f"no raw file with sha256 {sha256}")
    content, encoding, size = found
    return _plain(content, encoding, size)


def _plain(content: bytes, encoding: str, size: int) -> bytes:
    if encoding == "zstd":
        return pa.decompress(content, decompressed_size=size, codec="zstd", asbytes=True)
    return bytes(content)


def supersede(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame, load_id: str, series: pl.DataFrame | None = None) -> None:
    """Mark current department figures that the incoming ones restate (same natural key) as superseded by this load.

    The figure keys are only compared when a series (unit, metric) of the file already has current figures:
    a file of new series (or a first load) costs one small join, not one over millions of keys. `series`: the
    figures' distinct units and metrics, when the caller has them.
    """
    series = figures if series is None else series
    con.register("incoming_series", series.select("unit_id", "metric").unique().to_arrow())
    overlap = con.execute(
        "select count(*) from department_figures as o join incoming_series as s"
        " on o.unit_id is not distinct from s.unit_id and o.metric = s.metric"
        " where o.superseded_by is null"
    ).fetchone()[0]
    con.unregister("incoming_series")
    if not overlap:
        return
    con.register("restated_keys", figures.select(*FIGURE_KEY).unique().to_arrow())
    con.execute(
        f"""
        update department_figures as o set superseded_by = ?, superseded_at = now()
        from restated_keys as k
        where o.superseded_by is null
          and {' and '.join(f'o.{column} is not distinct from k.{column}' for column in FIGURE_KEY)}
        """,
        [load_id],
    )
    con.unregister("restated_keys")


def store_quarantine(
    con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, received: ReceivedFile | CompactFile, load_id: str, *, source_kind: str
) -> None:
    """Keep every finding of a received file (rejected, skipped or flagged cell) with its rule, severity and message."""
    store_quarantine_rows(
        con, findings, load_id=load_id, source_kind=source_kind, source_name=received.name, source_sha256=received.sha256
    )


def store_quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    findings: pl.DataFrame,
    *,
    load_id: str,
    source_kind: str,
    source_name: str,
    source_sha256: str | None,
) -> None:
    """Keep every finding of one source: where, column, raw value, rule, severity and message."""
    if findings.height == 0:
        return
    rows = findings.rename({"source_row": "row_number"}).with_columns(
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
    submission: Submission | None = None,
) -> None:
    """Append the run's record to load_runs."""
    submission = submission or Submission(None, None, None)
    con.execute(
        "insert into load_runs (load_id, flow, flow_run_id, source, source_sha256, started_at, finished_at,"
        " rows_in, rows_loaded, rows_quarantined, rows_skipped, status, message, department, submission, report_period)"
        " values (?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.load_id, flow, flow_run_id, result.source, sha256, started_at,
            result.rows_in, result.rows_loaded, result.rows_quarantined, result.rows_skipped, result.status,
            result.message, submission.department, submission.key if result.status == "success" else None,
            submission.report_period,
        ],
    )


def record_failure(
    con: duckdb.DuckDBPyConnection,
    received: ReceivedFile | CompactFile,
    message: str,
    *,
    flow: str,
    flow_run_id: str | None = None,
    started_at: datetime | None = None,
    findings: pl.DataFrame | None = None,
) -> LoadResult:
    """Record a file that was not loaded: its bytes, the findings it was refused for, and the reason are kept."""
    def record() -> LoadResult:
        result = LoadResult(new_load_id(), received.name, "failed", message=message)
        store_raw_file(con, received)
        if findings is not None:
            store_quarantine(con, findings, received, result.load_id, source_kind="department")
        record_run(
            con, result, flow=flow, sha256=received.sha256, flow_run_id=flow_run_id,
            started_at=started_at or datetime.now(UTC),
        )
        return result

    return transaction(con, record, what=f"recording the failure of {received.name}", locks=[f"file:{received.sha256}"])


# DuckDB's row group size: a batch of this many rows is one unit of its parallel scan and append.
ROW_GROUP_ROWS = 122_880


def in_row_groups(frame: pl.DataFrame) -> pa.Table:
    """Hand a frame to DuckDB as Arrow batches of one row group each (slices, not copies).

    DuckDB scans one Arrow batch per thread: a single batch of millions of rows keeps one thread appending and
    the others contending for the Python lock (a million figures on two cores: 2.3 s instead of 3.3 s, median of 6).
    """
    return pa.Table.from_batches(frame.to_arrow().to_batches(max_chunksize=ROW_GROUP_ROWS))


def insert_figures(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame, load_id: str) -> None:
    """Append a file's validated figures to department_figures, each with its load.

    What is the same for every figure of a file (its name, hash, department, submission, load time) is kept once, in
    the load's run record, the district's name and the unit in dim_unit and dim_metric (check_dimensions), and the
    `observations` view joins them back, with the obs_id built as 'file:<sha256>:[<sheet>!]<row>:<column>':
    millions of identical or derived strings are never stored.
    """
    con.register("incoming_figures", in_row_groups(figures.select(STORED_FIGURE_COLUMNS)))
    with compression_without(con, "fsst"):
        con.execute(
            "insert into department_figures by name"
            " select * exclude (source_row), cast(source_row as integer) as source_row, $load_id as load_id"
            " from incoming_figures",
            {"load_id": load_id},
        )
    con.unregister("incoming_figures")


class DimensionMismatch(ValueError):
    """Raised when figures name a unit or metric the warehouse's dim_unit / dim_metric do not hold as they do."""


def check_dimensions(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame, source: str) -> None:
    """Refuse figures whose district name or unit is not the one dim_unit / dim_metric give their unit and metric
    (`figures`: any frame with unit_id, district, metric and unit, such as the file's distinct series).

    department_figures keeps neither (the observations view takes them from the dimensions), so a figure parsed
    with a gazetteer or catalogue the warehouse was not seeded with would change name or unit once stored. A run
    seeds both from the catalogues first (`dkpi init`, flows/tasks.py): this only catches a caller that did not.
    """
    con.register("incoming_units", figures.select("unit_id", "district").unique().to_arrow())
    con.register("incoming_metrics", figures.select("metric", "unit").unique().to_arrow())
    try:
        wrong = con.execute(
            """
            select format('district {} ({}): dim_unit has {}', i.district, i.unit_id, coalesce(d.name, 'no such unit'))
            from incoming_units as i left join dim_unit as d on d.unit_id = i.unit_id
            where d.name is distinct from i.district::varchar
            union all
            select format('metric {} in {}: dim_metric has {}', i.metric, i.unit, coalesce(d.unit, 'no such metric'))
            from incoming_metrics as i left join dim_metric as d on d.metric = i.metric
            where d.unit is distinct from i.unit::varchar
            order by 1 limit 5
            """
        ).fetchall()
    finally:
        con.unregister("incoming_units")
        con.unregister("incoming_metrics")
    if wrong:
        raise DimensionMismatch(
            f"{source}: figures read with units or metrics the warehouse does not hold as they are (run `dkpi init`"
            f" to seed dim_unit and dim_metric from the catalogues): {'; '.join(row[0] for row in wrong)}"
        )


@contextmanager
def compression_without(con: duckdb.DuckDBPyConnection, method: str) -> Iterator[None]:
    """Leave a DuckDB compression method untried while the block appends, then restore the setting as it was.

    A file's figures repeat a few strings (units, metrics, a header): DuckDB stores them dictionary-compressed, and
    trying FSST on every row group too cost ~0.35 s and 0.7 CPU s per 5 M figures for the same file size (54 MB
    either way, scratch measurement of the append that benchmarks/observation_width.py times).
    """
    # The setting is the database's, not the transaction's: it is changed through a connection of its own, so it is
    # restored also when the append failed and left the load's transaction aborted.
    settings = con.cursor()
    try:
        before = settings.execute("select current_setting('disabled_compression_methods')").fetchone()[0] or ""
        methods = [m for m in before.split(",") if m]
        settings.execute(f"set global disabled_compression_methods = '{','.join([*methods, method])}'")
        try:
            yield
        finally:
            settings.execute(f"set global disabled_compression_methods = '{before}'")
    finally:
        settings.close()
