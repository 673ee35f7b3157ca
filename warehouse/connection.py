"""Open the warehouse: one private file the single writer changes, and a published snapshot everyone reads.

(Or a DuckLake, when the target is `ducklake:postgres:…`: see warehouse.lake. Then there is no writer lock and
nothing to publish — many loaders write at once, each load is one DuckLake transaction and readers see every
committed load — so a writer session does nothing.)

DuckDB lets one process hold a file read-write, and then no other process may open it at all. So a load
never touches the file analysts open: it writes a private file (`dkpi.writer.duckdb`) under an exclusive
lock, and when the whole run succeeded it publishes a checkpointed copy atomically over `dkpi.duckdb`.
Readers (`dkpi sql`, the DuckDB CLI, BI tools) open the published file read-only: they never wait for a
load, never see half a run, and a reader that is already open keeps its consistent view until it reconnects.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse import lake, materialize
from warehouse.errors import WarehouseBusy, WarehouseError

DEFAULT_PATH = Path(__file__).resolve().with_name("dkpi.duckdb")
SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

# Extensions are never downloaded at run time: air-gapped sites have no network.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


@dataclass(frozen=True)
class LocalFiles:
    """The files behind a local warehouse named by its published path."""

    published: Path

    @property
    def private(self) -> Path:
        """The writer's own file: 'dkpi.duckdb' -> 'dkpi.writer.duckdb'."""
        return self.published.with_name(f"{self.published.stem}.writer{self.published.suffix or '.duckdb'}")

    @property
    def lock(self) -> Path:
        return self.published.with_name(self.published.name + ".lock")


class _WriterSession:
    """A process-wide, re-entrant writer session for one warehouse: the flock plus a nesting count."""

    def __init__(self, files: LocalFiles, handle, holder: dict):
        self.files = files
        self.handle = handle
        self.holder = holder
        self.depth = 0
        self.failed = False


_sessions: dict[Path, _WriterSession] = {}
_sessions_guard = threading.Lock()


def local_files(target: str | Path) -> LocalFiles:
    """Return the files of a local warehouse target."""
    return LocalFiles(Path(target).expanduser().absolute())


def _acquire(files: LocalFiles, wait: float | None, purpose: str) -> object:
    """Take the exclusive writer lock, waiting up to `wait` seconds (None: as long as it takes)."""
    files.lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(files.lock, "a+", encoding="utf-8")  # noqa: SIM115 - held for the session
    deadline = None if wait is None else time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise WarehouseBusy(
                    f"warehouse {files.published} is being written by {holder}; gave up after {wait:g} s"
                ) from None
            time.sleep(0.2)
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds"), "purpose": purpose}))
    handle.flush()
    return handle


@contextmanager
def writing(target: str | Path, *, wait: float | None = None, purpose: str = "dkpi") -> Iterator[LocalFiles | None]:
    """Hold the warehouse's writer lock for a whole run; publish the snapshot when the outermost session ends well.

    Re-entrant within a process, so a flow can hold one session while its tasks open connections. The lock is
    an flock on `<warehouse>.lock`: the kernel drops it when the process dies, so a crashed run leaves no lock.
    A failed session publishes nothing: readers keep the last good snapshot and the next successful run
    publishes everything committed since.
    """
    if lake.lake_target(target):
        yield None
        return
    files = local_files(target)
    with _sessions_guard:
        session = _sessions.get(files.published)
        if session is None:
            handle = _acquire(files, wait, purpose)
            session = _sessions[files.published] = _WriterSession(files, handle, {"purpose": purpose})
            _adopt_published(files)
        session.depth += 1
    try:
        yield files
    except BaseException:
        session.failed = True
        raise
    finally:
        with _sessions_guard:
            session.depth -= 1
            if session.depth == 0:
                del _sessions[files.published]
                try:
                    if not session.failed and files.private.exists():
                        publish(files)
                finally:
                    fcntl.flock(session.handle, fcntl.LOCK_UN)
                    session.handle.close()


def _adopt_published(files: LocalFiles) -> None:
    """Start the private file from the published one when only that exists (first run after an upgrade)."""
    if not files.private.exists() and files.published.exists():
        shutil.copyfile(files.published, files.private)


def publish(files: LocalFiles) -> None:
    """Bring the materialized tables up to date, checkpoint the private file and atomically replace the published
    snapshot with a copy of it: readers get the run's observations and the tables made from them together."""
    with duckdb.connect(str(files.private), config=dict(_CONFIG)) as con:
        materialize.refresh(con)
        con.execute("checkpoint")
    staging = files.published.with_name(f".{files.published.name}.{os.getpid()}.publishing")
    shutil.copyfile(files.private, staging)
    with open(staging, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, files.published)


def connect(target: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the published snapshot read-only, or the private file for writing (inside a writer session).

    A DuckLake target opens the lake, read-only or not; a writer needs no session there.
    """
    if (target_lake := lake.lake_target(target)) is not None:
        return _named(_connect_lake(target_lake, read_only), target_lake.describe())
    files = local_files(target)
    if read_only:
        if not files.published.exists():
            raise WarehouseError(f"warehouse {files.published} does not exist yet: run `dkpi init` (or a load) first")
        path = files.published
    else:
        with _sessions_guard:
            if files.published not in _sessions:
                raise WarehouseError(f"writing {files.published} needs a writer session (warehouse.writing)")
        files.private.parent.mkdir(parents=True, exist_ok=True)
        path = files.private
    try:
        return _named(duckdb.connect(str(path), read_only=read_only, config=dict(_CONFIG)), str(files.published))
    except duckdb.IOException as error:
        raise WarehouseError(f"cannot open warehouse {path}: {error}") from error


def describe(target: str | Path) -> str:
    """Name a warehouse in messages: its path, or a DuckLake target without its password."""
    target_lake = lake.lake_target(target)
    return target_lake.describe() if target_lake else str(target)


def _connect_lake(target: lake.LakeTarget, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config=dict(_CONFIG))
    try:
        lake.load_extensions(con, target)
        lake.attach(con, target, read_only=read_only)
    except BaseException:
        con.close()
        raise
    return con


def _named(con: duckdb.DuckDBPyConnection, name: str) -> duckdb.DuckDBPyConnection:
    """Remember which warehouse a connection is to, for messages (warehouse.transactions.target_name)."""
    con.execute(f"set variable dkpi_target = '{name.replace(chr(39), chr(39) * 2)}'")
    return con
