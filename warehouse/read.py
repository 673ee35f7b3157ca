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
    """Select rows of a kpi_* view filtered by district (unit id or name), metric and month range."""
    if not view.startswith("kpi_") or not view.replace("_", "").isalnum():
        raise ValueError(f"not a KPI view: {view}")
    conditions, params = [], []
    if unit_id is not None:
        conditions.append("unit_id = ?")
        params.append(unit_id)
    elif district is not None:
        conditions.append("district = ?")
        params.append(district)
    if metric is not None:
        conditions.append("metric = ?")
        params.append(metric)
    if month_from is not None:
        conditions.append("month_start >= ?")
        params.append(month_from)
    if month_to is not None:
        conditions.append("month_start <= ?")
        params.append(month_to)
    where = f"where {' and '.join(conditions)}" if conditions else ""
    return query(con, f"select * from {view} {where} order by district, metric, month_start", params)
