"""Insert hand-written observation rows for SQL tests, with defaults for the columns a test does not care about."""

from __future__ import annotations

import calendar
import itertools
from datetime import date

_counter = itertools.count(1)

UNITS = {"Thanh Xuân": "hn-thanh-xuan", "Cầu Giấy": "hn-cau-giay", "Long Biên": "hn-long-bien"}


def month(text: str) -> date:
    """'2024-03' -> 2024-03-01."""
    year, month_number = map(int, text.split("-"))
    return date(year, month_number, 1)


def month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def insert(con, district: str, metric: str, period: str, value: float | None, basis: str = "ytd", **extra) -> str:
    """Insert one current department observation; return its obs_id."""
    start = month(period)
    row = {
        "obs_id": f"test:{next(_counter)}",
        "unit_id": UNITS.get(district),
        "district": district,
        "metric": metric,
        "month_start": start,
        "as_of": month_end(start),
        "basis": basis,
        "value": value,
        "unit": con.execute("select unit from dim_metric where metric = ?", [metric]).fetchone()[0],
        "source_kind": "department",
        "source_name": "test.csv",
        "source_row": 2,
        "load_id": "test-load",
        "loaded_at": "2025-01-01 00:00:00+00",
        **extra,
    }
    columns = ", ".join(row)
    con.execute(f"insert into observations ({columns}) values ({', '.join('?' * len(row))})", list(row.values()))
    return row["obs_id"]
