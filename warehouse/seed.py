"""Keep the reference dimensions (units, metrics) in step with the catalogues; idempotent."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import polars as pl

UNIT_COLUMNS = ("unit_id", "name", "unit_type", "full_name", "province", "aliases", "valid_from", "valid_to", "note")
METRIC_COLUMNS = ("metric", "label_vi", "label_en", "unit", "is_ytd", "is_additive", "aliases", "freshness_days")


def seed_units(con: duckdb.DuckDBPyConnection, units: Iterable) -> int:
    """Upsert administrative units into dim_unit; return how many rows the catalogue has."""
    rows = [
        (u.id, u.name, u.type, u.full_name, u.province, u.written_forms(), u.valid_from, u.valid_to, u.note)
        for u in units
    ]
    return upsert(con, "dim_unit", UNIT_COLUMNS, rows)


def seed_metrics(con: duckdb.DuckDBPyConnection, metrics: Iterable) -> int:
    """Upsert catalogue metrics into dim_metric; return how many rows the catalogue has."""
    rows = [
        (m.code, m.label_vi, m.label_en, m.unit, m.is_ytd, m.additive, list(m.aliases), m.freshness_days)
        for m in metrics
    ]
    return upsert(con, "dim_metric", METRIC_COLUMNS, rows)


def upsert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Replace the rows of `table` whose key (the first column) comes again, and add the new ones; return len(rows).

    Written as delete + insert rather than `insert or replace`, which needs a primary key (DuckLake has none), and
    only when something differs, so an unchanged catalogue writes nothing (no new DuckLake snapshot per run).
    """
    key = columns[0]
    con.register("incoming_rows", pl.DataFrame(rows, schema=list(columns), orient="row").to_arrow())
    try:
        names = ", ".join(columns)
        changed = con.execute(
            f"select count(*) from (select {names} from incoming_rows except select {names} from {table})"
        ).fetchone()[0]
        if changed:
            con.execute(f"delete from {table} where {key} in (select {key} from incoming_rows)")
            con.execute(f"insert into {table} ({names}) select {names} from incoming_rows")
    finally:
        con.unregister("incoming_rows")
    return len(rows)
