"""DuckLake maintenance: expire old snapshots, compact small files, delete the files nothing refers to any more.

Every load is a snapshot of its own, and its rows a few small Parquet files (or rows inlined in the catalog): over
months that is many files and a long history. Expiring a snapshot ends time travel to it; the files only it used
are then scheduled for deletion and deleted after a grace period, so a reader still scanning them is not broken.
Safe while loaders run: each step commits on its own and is retried when it conflicts with a load.

Small inserts (run records, fetch logs) are kept as rows in the catalog ("inlined") rather than as tiny files.
Moving them into Parquet (`flush_inlined`) is left to the operator: with DuckDB 1.5.5 a connection that was already
open when another process flushed fails its next query with an internal error until it reconnects (measured here;
merging and expiring do not do that).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from warehouse.errors import WarehouseError
from warehouse.lake import CATALOG
from warehouse.transactions import is_lake, target_name, transaction


@dataclass(frozen=True)
class Maintenance:
    """What one maintenance run did (or, in a dry run, would do)."""

    snapshots_expired: int
    rows_flushed: int  # rows moved from the catalog (inlined small inserts) into Parquet files
    files_merged: int
    files_created: int
    files_deleted: int
    snapshots_left: int


def maintain(
    con: duckdb.DuckDBPyConnection, *, expire_days: float, delete_after_days: float, dry_run: bool = False,
    flush_inlined: bool = False,
) -> Maintenance:
    """Expire snapshots older than `expire_days`, compact, and delete files scheduled more than `delete_after_days` ago."""
    if not is_lake(con):
        raise WarehouseError(
            f"warehouse {target_name(con)} is a local file: it has no snapshots to expire, and each run publishes a "
            "checkpointed copy (dkpi maintain is for DuckLake warehouses)"
        )
    expired = _call(con, "ducklake_expire_snapshots", f"older_than => now() - interval '{float(expire_days)} days'", dry_run)
    flushed = merged = created = 0
    if not dry_run:
        if flush_inlined:
            flushed = sum(row[2] for row in _call(con, "ducklake_flush_inlined_data"))
        for row in _call(con, "ducklake_merge_adjacent_files"):
            merged, created = merged + row[2], created + row[3]
    deleted = _call(con, "ducklake_cleanup_old_files", f"older_than => now() - interval '{float(delete_after_days)} days'", dry_run)
    left = con.execute(f"select count(*) from {CATALOG}.snapshots()").fetchone()[0]
    return Maintenance(len(expired), flushed, merged, created, len(deleted), left)


def _call(con: duckdb.DuckDBPyConnection, function: str, arguments: str = "", dry_run: bool = False) -> list[tuple]:
    extra = "".join(f", {argument}" for argument in (arguments, "dry_run => true" if dry_run else "") if argument)
    return transaction(con, lambda: con.execute(f"call {function}('{CATALOG}'{extra})").fetchall(), what=function)
