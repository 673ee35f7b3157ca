"""Time the KPI views on a generated warehouse of 5.1 million observations, against the issue's targets.

Shape (generated in SQL in ~30 s, deterministic): 1,000 synthetic district-level units x the 14 catalogue
metrics x 360 months (January 1995 - December 2024) = 5,040,000 unit-metric-months. Year-to-date metrics are
reported as cumulative figures, the others as month values, with the annual plan on cumulative figures. About
1 % of department months are missing (gaps), 0.5 % were restated (the older, superseded version stays in the
table) and 1 % of department figures are preliminary. News facts cover 2 % of unit-metric-months: three in
four restate a department month (the department wins), one in four fills a department gap; one in ten has a
mid-month cut-off and one in ten gives only a percentage. Total: 5,115,992 observations.
Rows are stored month by month, district after district, as monthly loads would write them: a district's rows
are spread over the whole table, so no zone map can skip to them (the hard case for a one-district query).
The views are recreated from sql/views before timing, so the figures are those of the SQL as it is now.

Run:  .venv/bin/python -m benchmarks.kpi_views [--path benchmarks/out/kpi_views.duckdb] [--rebuild] [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from contracts.catalogue import gazetteer, metric_catalogue
from warehouse import Warehouse

DEFAULT_PATH = Path(__file__).resolve().parent / "out" / "kpi_views.duckdb"
UNITS = 1_000
FIRST_YEAR, YEARS = 1995, 30
TARGET_MOM_ONE_DISTRICT_MS = 100
TARGET_MONTHLY_FULL_S = 5

UNITS_SQL = f"""
insert into dim_unit
select
    format('bench-{{:04d}}', u) as unit_id,
    format('Đơn vị {{:04d}}', u) as name,
    'quận' as unit_type,
    format('quận Đơn vị {{:04d}}', u) as full_name,
    'Benchmark' as province,
    [format('Don vi {{:04d}}', u)] as aliases,
    null as valid_from,
    null as valid_to,
    'benchmark unit' as note
from range(1, {UNITS} + 1) as t(u)
"""

# One candidate row per unit x metric x month, with a few deterministic pseudo-random draws per row.
GRID_SQL = f"""
create temp table grid as
select
    u,
    m.metric,
    m.unit,
    m.is_ytd,
    i,
    cast(date '{FIRST_YEAR}-01-01' + to_months(i) as date) as month_start,
    (i % 12) + 1 as month_number,
    hash(u, m.metric, i) % 10000 as draw,
    (1 + hash(u, m.metric) % 50) * (case m.unit when 'VND' then 1e9 when 'count' then 1 else 0.1 end) as base
from range(1, {UNITS} + 1) as units(u)
cross join dim_metric as m
cross join range({YEARS * 12}) as months(i)
"""

# A month's own amount grows through the year (base x (1 + n/100)); a cumulative figure is the closed-form sum.
OBSERVATIONS_SQL = """
insert into observations (
    obs_id, unit_id, district, metric, month_start, as_of, basis, value, unit, is_preliminary, annual_plan,
    source_kind, source_name, source_sha256, source_row, source_column, load_id, loaded_at, superseded_by,
    superseded_at
)
select
    format('file:bench:{}:{}:{}:{}', u, metric, i, restated),
    format('bench-{:04d}', u),
    format('Đơn vị {:04d}', u),
    metric,
    month_start,
    last_day(month_start),
    if(is_ytd, 'ytd', 'month'),
    case
        when unit = 'percent' then round(base * 100 / 5, 1)
        when is_ytd then round(base * (month_number + month_number * (month_number + 1) / 200.0), 0)
        else round(base * (1 + month_number / 100.0), 0)
    end * if(restated = 1, 0.98, 1),
    unit,
    draw % 100 = 7,
    if(is_ytd, round(base * 12 * 1.1, 0), null),
    'department',
    format('bench_{:04d}_{}.csv', u, strftime(month_start, '%Y-%m')),
    'bench',
    2 + hash(metric) % 14,
    'Giá trị',
    format('bench-load-{}-{}', i, restated),
    timestamptz '2025-01-01 00:00:00+00' + to_days(i) - to_hours(restated),
    if(restated = 1, format('bench-load-{}-0', i), null),
    if(restated = 1, timestamptz '2025-01-01 00:00:00+00' + to_days(i), null)
from grid
cross join (values (0), (1)) as versions(restated)
where draw >= 100 and (restated = 0 or draw % 200 = 101)
order by i, u, metric, restated
"""

# News facts: draws 100-249 restate a department month, 0-49 fill a department gap (draws < 100 are gaps).
NEWS_SQL = """
insert into observations (
    obs_id, unit_id, district, metric, month_start, as_of, basis, value, unit, qualifier, is_estimate,
    pct_of_plan, pct_of_same_period, source_kind, source_name, evidence, evidence_start, evidence_end, load_id,
    loaded_at
)
select
    format('news:bench:{}:{}:', u, i) || metric,
    format('bench-{:04d}', u),
    format('Đơn vị {:04d}', u),
    metric,
    month_start,
    if(draw % 10 = 3, month_start + 6, last_day(month_start)),
    if(is_ytd, 'ytd', 'month'),
    case
        when draw % 10 = 5 then null
        when unit = 'percent' then round(base * 100 / 5, 1)
        when is_ytd then round(base * (month_number + month_number * (month_number + 1) / 200.0), 0)
        else round(base * (1 + month_number / 100.0), 0)
    end,
    unit,
    if(draw % 3 = 0, 'more_than', null),
    draw % 7 = 0,
    if(is_ytd, round(100 * month_number / 13.2, 2), null),
    if(draw % 10 = 5, 108.5, null),
    'news',
    format('https://news.example/{}/{}/{}', u, i, metric),
    'Thu ngân sách ước đạt …',
    0,
    24,
    format('bench-news-{}', i),
    timestamptz '2025-02-01 00:00:00+00' + to_days(i)
from grid
where draw < 50 or draw between 100 and 249
order by i, u, metric
"""


def build(path: Path) -> dict[str, int]:
    """Create the benchmark warehouse at `path` and return row counts."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with Warehouse(path) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        con = wh.con
        con.execute(UNITS_SQL)
        con.execute(GRID_SQL)
        con.execute(OBSERVATIONS_SQL)
        con.execute(NEWS_SQL)
        con.execute("drop table grid")
        con.execute("checkpoint")
        return counts(con)


def counts(con) -> dict[str, int]:
    """Count observations by source and status."""
    rows = con.execute(
        "select source_kind, superseded_by is null, count(*) from observations group by all order by all"
    ).fetchall()
    found = {f"{kind} {'current' if current else 'superseded'}": n for kind, current, n in rows}
    found["total"] = sum(found.values())
    return found


def timed(con, sql: str, params: list | None = None, runs: int = 7) -> tuple[float, float, int]:
    """Run a query once to warm up, then `runs` times; return median wall and CPU seconds and the row count."""
    rows = len(con.execute(sql, params or []).fetchall())
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        con.execute(sql, params or []).fetchall()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(wall), statistics.median(cpu), rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help=f"benchmark warehouse (default: {DEFAULT_PATH})")
    parser.add_argument("--rebuild", action="store_true", help="generate the data again even if the file exists")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query after one warm-up (default: 7)")
    args = parser.parse_args(argv)

    if args.rebuild or not args.path.exists():
        started = time.perf_counter()
        build(args.path)
        print(f"generated {args.path} in {time.perf_counter() - started:.1f} s")
    with Warehouse(args.path) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())  # the views as sql/views has them now
        con = wh.con
        con.execute("set enable_progress_bar = false")
        print("observations: " + ", ".join(f"{key} {value:,}" for key, value in counts(con).items()))
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        version = con.execute("select version()").fetchone()[0]
        print(f"duckdb {version}, {threads} threads, {os.cpu_count()} cores,"
              f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
        district, unit_id = "Đơn vị 0421", "bench-0421"
        results = [
            ("kpi_mom, one district, by name", *timed(con, "select * from kpi_mom where district = ?", [district], args.runs),
             TARGET_MOM_ONE_DISTRICT_MS / 1000),
            ("kpi_mom, one district, by unit_id", *timed(con, "select * from kpi_mom where unit_id = ?", [unit_id], args.runs),
             TARGET_MOM_ONE_DISTRICT_MS / 1000),
            # every column of every row goes into the hash: nothing can be pruned or skipped
            ("kpi_monthly in full, every column computed",
             *timed(con, "select count(*), bit_xor(hash(m)) from kpi_monthly as m", runs=max(3, args.runs // 2)),
             TARGET_MONTHLY_FULL_S),
            ("kpi_monthly in full, materialised as a table",
             *timed(con, "create or replace temp table bench_monthly as select * from kpi_monthly", runs=max(3, args.runs // 2)),
             None),
        ]
        monthly_rows = con.execute("select count(*) from kpi_monthly").fetchone()[0]
    print(f"kpi_mom rows for one district: {results[0][3]:,}; kpi_monthly rows: {monthly_rows:,}")
    failed = False
    for label, wall, cpu, _, target in results:
        verdict = "" if target is None else ("ok" if wall < target else "TOO SLOW")
        failed |= target is not None and wall >= target
        scale, unit = (1000, "ms") if wall < 1 else (1, "s")
        goal = f"target < {target * scale:g} {unit}" if target is not None else ""
        print(f"{label:<46} median {wall * scale:8.1f} {unit} (CPU {cpu * scale:8.1f} {unit})  {goal:<18} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
