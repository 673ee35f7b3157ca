"""A dq_alerts table as the data-quality checks (issue 7) write it, for tests of what reads it."""

from __future__ import annotations

COLUMNS = ("alert_id", "check_name", "district", "metric", "period", "severity", "message", "status",
           "first_seen_at", "last_seen_at")


def create_alerts(con, rows: list[dict], columns: tuple[str, ...] = COLUMNS) -> None:
    """Create dq_alerts with the given columns (all of them by default) and insert rows (missing keys are null)."""
    types = {"period": "date", "first_seen_at": "timestamptz", "last_seen_at": "timestamptz"}
    definitions = ", ".join(f"{column} {types.get(column, 'varchar')}" for column in columns)
    con.execute(f"create table dq_alerts ({definitions})")
    for row in rows:
        con.execute(f"insert into dq_alerts values ({', '.join('?' * len(columns))})", [row.get(c) for c in columns])
