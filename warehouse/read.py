"""Read the warehouse: ad hoc SQL and filtered KPI views, returned as column names and rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of a query."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> QueryResult:
    """Run one query and fetch everything."""
    cursor = con.execute(sql, params or [])
    columns = [column[0] for column in cursor.description] if cursor.description else []
    return QueryResult(columns, cursor.fetchall() if columns else [])


def kpi_rows(
    con: duckdb.DuckDBPyConnection,
    view: str,
    *,
    district: str | None = None,
    metric: str | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
    unit_id: str | None = None,
) -> QueryResult:
    """Select rows of a kpi_* view filtered by district (unit id or name), metric and month range.

    A filter on a column the view does not have (kpi_scorecard has no metric) is an error, not ignored.
    """
    if not view.startswith("kpi_") or not view.replace("_", "").isalnum():
        raise ValueError(f"not a KPI view: {view}")
    columns = view_columns(con, view)
    if not columns:
        raise ValueError(f"no such view: {view}")
    wanted = {
        "unit_id": unit_id,
        "district": district if unit_id is None else None,
        "metric": metric,
        "month_start >=": month_from,
        "month_start <=": month_to,
    }
    conditions, params = [], []
    for condition, value in wanted.items():
        if value is None:
            continue
        column, _, operator = condition.partition(" ")
        if column not in columns:
            raise ValueError(f"{view} has no {column} column to filter on")
        conditions.append(f"{column} {operator or '='} ?")
        params.append(value)
    where = f"where {' and '.join(conditions)}" if conditions else ""
    order = ", ".join(column for column in ("district", "metric", "month_start") if column in columns)
    return query(con, f"select * from {view} {where} order by {order}", params)


def view_columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    """List a view's columns in order; empty when there is no such view."""
    rows = con.execute(
        "select column_name from duckdb_columns() where schema_name = 'main' and table_name = ? order by column_index",
        [view],
    ).fetchall()
    return [name for (name,) in rows]


def quarantine_rows(
    con: duckdb.DuckDBPyConnection,
    *,
    file: str | None = None,
    severities: tuple[str, ...] = ("error",),
    include_replaced: bool = False,
) -> QueryResult:
    """List quarantine findings (file, sheet, row, column, raw value, rule, message) and the files not loaded at all.

    By default only errors of files not since replaced by a corrected file; a failed file is listed until the
    same bytes load successfully.
    """
    conditions, params = ["q.severity in (select unnest(?))"], [list(severities)]
    if not include_replaced:
        conditions.append("q.superseded_by is null")
    sql = f"""
        with outdated_failures as (
            -- a refused run (--strict) of bytes that later loaded: its findings were repeated by that load
            select r.load_id from load_runs as r
            where r.status = 'failed' and exists (
                select 1 from load_runs as s
                where s.source_sha256 = r.source_sha256 and s.status = 'success' and s.started_at > r.started_at
            )
        ),
        findings as (
            select q.source_name as file, q.source_sheet as sheet, q.row_number as "row", q.column_name as "column",
                   q.raw_value, q.rule, q.severity, q.message
            from quarantine as q
            where {' and '.join(conditions)} and q.load_id not in (select load_id from outdated_failures)
        ),
        failed_files as (
            select r.source as file, null as sheet, null as "row", null as "column", null as raw_value,
                   'file_not_loaded' as rule, 'error' as severity, 'Tệp không được nạp: ' || r.message as message
            from load_runs as r
            where r.status = 'failed' and r.flow = 'ingest_departments' and list_contains(?, 'error')
              and r.load_id not in (select load_id from outdated_failures)
        )
        select * from (select * from findings union all by name select * from failed_files)
        where ? is null or file = ?
        order by file, sheet nulls first, "row" nulls first, "column", rule
    """
    return query(con, sql, [*params, list(severities), file, file])
