"""Insert hand-written observation rows for SQL tests, with defaults for the columns a test does not care about.

Each insert also refreshes the materialized tables (kpi_monthly, int_month_figures), as the end of a run does, so a
test queries them right after inserting.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date

from warehouse import materialize

_counter = itertools.count(1)

UNITS = {"Thanh Xuân": "hn-thanh-xuan", "Cầu Giấy": "hn-cau-giay", "Long Biên": "hn-long-bien"}
B = 10**9


def month(text: str) -> date:
    """'2024-03' -> 2024-03-01."""
    year, month_number = map(int, text.split("-"))
    return date(year, month_number, 1)


def month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def insert(con, district: str, metric: str, period: str, value: float | None, basis: str = "ytd", **extra) -> str:
    """Insert one current department observation for a whole month; return its obs_id."""
    start = month(period)
    row = {
        "obs_id": f"test:{next(_counter):04d}",
        "unit_id": UNITS.get(district),
        "district": district,
        "metric": metric,
        "month_start": start,
        "as_of": month_end(start),
        "basis": basis,
        "value": value,
        "unit": _unit(con, metric),
        "source_kind": "department",
        "source_name": "test.csv",
        "source_row": 2,
        "load_id": "test-load",
        "loaded_at": "2025-01-01 00:00:00+00",
        **extra,
    }
    return _insert(con, row)


def news(con, district: str, metric: str, as_of: str, value: float | None, basis: str = "ytd", **extra) -> str:
    """Insert one current news fact cut off on `as_of` ('2023-03-07'); return its obs_id."""
    cut_off = date.fromisoformat(as_of)
    row = {
        "obs_id": f"news:{next(_counter):04d}",
        "unit_id": UNITS.get(district),
        "district": district,
        "metric": metric,
        "month_start": cut_off.replace(day=1),
        "as_of": cut_off,
        "basis": basis,
        "value": value,
        "unit": _unit(con, metric),
        "source_kind": "news",
        "source_name": "https://news.example/article",
        "evidence": "Thu ngân sách trên địa bàn đạt …",
        "evidence_start": 10,
        "evidence_end": 60,
        "load_id": "news-load",
        "loaded_at": "2025-02-01 00:00:00+00",
        **extra,
    }
    return _insert(con, row)


def _unit(con, metric: str) -> str:
    return con.execute("select unit from dim_metric where metric = ?", [metric]).fetchone()[0]


def _insert(con, row: dict) -> str:
    columns = ", ".join(row)
    con.execute(f"insert into observations ({columns}) values ({', '.join('?' * len(row))})", list(row.values()))
    materialize.refresh(con)
    return row["obs_id"]


def article(con, url: str, title: str, published: str = "2025-03-04", version: int = 1, superseded_by: str | None = None) -> None:
    """Insert a news article version (news_articles) with a title, as the news loader keeps it."""
    con.execute(
        "insert into news_articles (url, version, page_sha256, text_sha256, facts_sha256, title, published, districts,"
        " text, facts, load_id, loaded_at, superseded_by) values (?, ?, 'p', 't', 'f', ?, ?, [], 'text', 1, 'news-load',"
        " '2025-03-05 00:00:00+00', ?)",
        [url, version, title, published, superseded_by],
    )
