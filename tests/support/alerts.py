"""dq_alerts rows for tests of what reads the table (the report): in the warehouse's own table, as the data-quality
checks write it, or in a table of other columns, as an older or foreign warehouse might have it."""

from __future__ import annotations

# what the real table requires, for rows that do not say
REQUIRED = {
    "check_name": "freshness", "severity": "warning", "message": "Cảnh báo", "status": "open",
    "first_seen_at": "2025-01-01 00:00:00+00", "last_seen_at": "2025-01-01 00:00:00+00", "occurrences": 1,
}


def create_alerts(con, rows: list[dict], columns: tuple[str, ...] | None = None) -> None:
    """Insert rows into the warehouse's dq_alerts (missing required fields get plain defaults, others are null); with
    `columns`, replace the table by one of just those VARCHAR columns first."""
    if columns is not None:
        con.execute("drop table if exists dq_alerts cascade")
        con.execute(f"create table dq_alerts ({', '.join(f'{column} varchar' for column in columns)})")
        fill = {}
    else:
        columns = tuple(name for (name,) in con.execute(
            "select column_name from duckdb_columns() where table_name = 'dq_alerts' order by column_index"
        ).fetchall())
        fill = REQUIRED
    for row in rows:
        values = [row.get(column, fill.get(column)) for column in columns]
        con.execute(f"insert into dq_alerts ({', '.join(columns)}) values ({', '.join('?' * len(columns))})", values)
