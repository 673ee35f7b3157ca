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
