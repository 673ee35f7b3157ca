"""One transaction per load, safe with many writers: advisory locks on DuckLake, retries on commit conflicts.

The local file has one writer at a time (its flock), so a load can check what is there and then write. DuckLake
has many writers and no keys: two loaders that receive the same file at the same moment would both find it
absent and both insert it. So a load first takes PostgreSQL advisory locks on what it must be alone with — the
file's bytes, its submission, the units its figures restate, an article's URL — and only then begins its
transaction, whose snapshot therefore includes whatever the previous holder committed. The locks live in a
transaction of their own on the catalog's PostgreSQL database: PostgreSQL releases them when that ends, or when
the process dies, so a killed loader leaves no lock behind (nor any rows: its transaction never committed).
Locks are taken in one statement in the order of their ids, so two loaders cannot deadlock.

A claim row committed in a table of the lake would do the same without PostgreSQL, but a claim whose loader
died must then be expired by a timeout; a lock held by a connection needs no such guess.

DuckLake's optimistic concurrency still makes a commit fail when another writer deleted from (superseded rows
of) a table this one changed: the transaction is then run again from the start, with backoff, and after the
last attempt the error names the warehouse and what was being loaded.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

from warehouse.errors import WarehouseConflict
from warehouse.lake import CATALOG, LOCKS

T = TypeVar("T")

ATTEMPTS = 8
BACKOFF_SECONDS = 0.05  # doubled at each attempt, with jitter: 0.05, 0.1, 0.2 … 3.2 s


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Tell whether the connection is to a DuckLake warehouse."""
    return con.execute("select count(*) from duckdb_databases() where database_name = ?", [CATALOG]).fetchone()[0] > 0


def target_name(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse the connection is to, as messages name it (set by warehouse.connection.connect)."""
    return con.execute("select getvariable('dkpi_target')").fetchone()[0] or "(unnamed warehouse)"


def lock_id(key: str) -> int:
    """A stable signed 64-bit advisory-lock id for a key: 'file:<sha256>' -> an int."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def exclusive(con: duckdb.DuckDBPyConnection, keys: Iterable[str], shared: Iterable[str] = ()) -> Iterator[None]:
    """Hold PostgreSQL advisory locks on these keys (and shared ones on `shared`), waiting for other holders.

    Nothing to do on the local file, whose writer lock already makes every load alone.
    """
    wanted = {lock_id(key): "false" for key in shared} | {lock_id(key): "true" for key in keys}
    if not wanted or not is_lake(con):
        yield
        return
    ids = sorted(wanted)
    holder = con.cursor()
    holder.execute("begin transaction")
    try:
        holder.execute(
            f"select * from postgres_query('{LOCKS}', 'select count(case when x then pg_advisory_xact_lock(k)::text"
            f" else pg_advisory_xact_lock_shared(k)::text end) from unnest(array[{','.join(map(str, ids))}]::bigint[],"
            f" array[{','.join(wanted[i] for i in ids)}]::boolean[]) as l(k, x)')"
        ).fetchall()
        yield
    finally:
        holder.execute("rollback")
        holder.close()


def transaction(
    con: duckdb.DuckDBPyConnection, work: Callable[[], T], *, what: str, locks: Iterable[str] = (),
    shared_locks: Iterable[str] = (),
) -> T:
    """Run `work` in one transaction under the locks; run it again when the commit conflicts with another writer."""
    with exclusive(con, locks, shared_locks):
        for attempt in range(1, ATTEMPTS + 1):
            con.execute("begin transaction")
            try:
                result = work()
                con.execute("commit")
                return result
            except duckdb.TransactionException as error:
                _rollback_quietly(con)
                if "conflict" not in str(error).lower():
                    raise
                if attempt == ATTEMPTS:
                    reason = str(error).strip().splitlines()[-1]
                    raise WarehouseConflict(
                        f"warehouse {target_name(con)}: {what}: gave up after {ATTEMPTS} commits conflicting with "
                        f"other writers ({reason})"
                    ) from error
            except BaseException:
                _rollback_quietly(con)
                raise
            time.sleep(BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def _rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open (a failed DuckLake commit has already ended it)."""
    try:
        con.execute("rollback")
    except duckdb.TransactionException:
        pass
