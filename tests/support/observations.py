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
    """Insert one department figure for a whole month (current unless `superseded_by`); return its obs_id.

    The file values (source_name, source_sha256, loaded_at, department, submission) go to the load's run record, as a
    load keeps them; the district must be a unit of dim_unit, whose name and the metric's unit the view gives. Each
    figure is a file of its own unless the test gives a `load_id` (then the file values must agree), so its obs_id
    ('file:<sha256>:<row>:<column>', the hash being 'sha-<load_id>' unless given) is unique.
    """
    start = month(period)
    run = {key: extra.pop(key) for key in _RUN_COLUMNS if key in extra}
    unit_id = extra.pop("unit_id", None) or UNITS.get(district) or _unit_named(con, district)
    named = con.execute("select name from dim_unit where unit_id = ?", [unit_id]).fetchall()
    assert named == [(district,)], f"a department figure is about a unit of dim_unit: {district} ({unit_id}) is not"
    row = {
        "unit_id": unit_id,
        "metric": metric,
        "month_start": start,
        "as_of": month_end(start),
        "basis": basis,
        "value": value,
        "source_row": 2,
        "source_column": "Giá trị",
        "load_id": f"test-load-{next(_counter):04d}",  # a file of its own, unless the test names a shared load
        **extra,
    }
    _record_run(con, row["load_id"], run)
    columns = ", ".join(row)
    con.execute(f"insert into department_figures ({columns}) values ({', '.join('?' * len(row))})", list(row.values()))
    materialize.refresh(con)
    obs_id = con.execute(
        "select obs_id from observations where load_id = ? and source_row = ? and source_column = ?",
        [row["load_id"], row["source_row"], row["source_column"]],
    ).fetchall()
    assert len(obs_id) == 1, f"two department figures of one load share a row and column: {row}"
    return obs_id[0][0]


# What a department figure shares with the rest of its file, kept once in its load's run record (load_runs).
_RUN_COLUMNS = {"source_name": "source", "source_sha256": "source_sha256", "loaded_at": "finished_at",
                "department": "department", "submission": "submission"}


def _record_run(con, load_id: str, given: dict) -> None:
    """Record the test load's run (once per load_id), as a department load does in the transaction of its figures."""
    run = {"source": "test.csv", "source_sha256": f"sha-{load_id}", "finished_at": "2025-01-01 00:00:00+00"}
    run |= {_RUN_COLUMNS[key]: value for key, value in given.items()}
    recorded = con.execute(
        "select source, source_sha256, finished_at, department, submission from load_runs where load_id = ?", [load_id]
    ).fetchone()
    if recorded is None:
        con.execute(
            "insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, status, department,"
            " submission) values (?, 'ingest_departments', ?, ?, ?, ?, 'success', ?, ?)",
            [load_id, run["source"], run["source_sha256"], run["finished_at"], run["finished_at"], run.get("department"),
             run.get("submission")],
        )
    elif given:
        same = con.execute(
            "select source = ? and source_sha256 = ? and finished_at = ?::timestamptz"
            " and department is not distinct from ? and submission is not distinct from ? from load_runs where load_id = ?",
            [run["source"], run["source_sha256"], run["finished_at"], run.get("department"), run.get("submission"), load_id],
        ).fetchone()[0]
        assert same, f"load {load_id} was recorded as {recorded}; give another load_id for other file values: {given}"


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


def _unit_named(con, district: str) -> str | None:
    found = con.execute("select unit_id from dim_unit where name = ?", [district]).fetchall()
    return found[0][0] if len(found) == 1 else None


def _unit(con, metric: str) -> str:
    return con.execute("select unit from dim_metric where metric = ?", [metric]).fetchone()[0]


def _insert(con, row: dict) -> str:
    columns = ", ".join(row)
    con.execute(f"insert into news_figures ({columns}) values ({', '.join('?' * len(row))})", list(row.values()))
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
