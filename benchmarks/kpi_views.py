"""Time the KPI views on a generated warehouse of 5.1 million observations, against the issue's targets.

Shape (generated in SQL, deterministic; ~2 min with the first build of the stored tables): 1,000 synthetic district-level units x the 14 catalogue
metrics x 360 months (January 1995 - December 2024) = 5,040,000 unit-metric-months. Year-to-date metrics are
reported as cumulative figures, the others as month values, with the annual plan on cumulative figures. About
1 % of department months are missing (gaps), 0.5 % were restated (the older, superseded version stays in the
table) and 1 % of department figures are preliminary. News facts cover 2 % of unit-metric-months: three in
four restate a department month (the department wins), one in four fills a department gap; one in ten has a
mid-month cut-off and one in ten gives only a percentage. Total: 5,115,992 observations.
Observations are stored month by month, district after district, as monthly loads would write them (each district's
month one file, one load: its run record in load_runs, 384,458 in all; department figures in department_figures,
news facts in news_figures, read through the observations view): a district's rows are spread over the whole
table, so no zone map can skip to them (the hard case for a one-district query on plain views). The stored tables keep their rows in district order: there zone maps on unit_id skip the rest.
The views are recreated from sql/views before timing (`init`: a materialized table whose SQL changed is built
again, and that time is printed), so the figures are those of the SQL as it is now.

Besides the queries it times the refresh of the materialized tables (int_month_figures, kpi_monthly), the cost
every run pays before publishing: with nothing changed (the fingerprints alone), after a run that changed one
district or thirty (simulated by forgetting their fingerprints, so exactly their rows are computed again), and in
full. --verify then checks every materialized table against its SQL computed afresh (row count and a hash of all
rows), which takes as long as a full refresh.

kpi_latest and kpi_lineage for one district are timed too (fewer runs): they are the drill-down views, and each had
its own trouble on 5 M observations (see README.md).

--baseline times the two targets again on plain views (every model computed per query, as before materialization:
the view files are the same SQL, the header is a comment), inside a transaction that is rolled back.

Measured (2 shared cores, load average 2.8-4.0, DuckDB 1.5.5; medians), stored tables against plain views:
kpi_mom for one unit_id 20 ms (plain views 138 ms), for one district by name 41 ms (148 ms); kpi_monthly in full
0.44 s (18.8 s): both targets met. The refresh: 0.37 s unchanged, 0.81 s for one district, 2.0 s for thirty, 29 s
in full. --verify: both tables equal their SQL. README.md (KPI views, Performance) has the method and the tables.

Run:  .venv/bin/python -m benchmarks.kpi_views [--path benchmarks/out/kpi_views.duckdb] [--rebuild] [--runs 7] [--verify]
          [--baseline]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from contracts.catalogue import gazetteer, metric_catalogue
from warehouse import Warehouse, materialize, migrate
from warehouse.connection import local_files

DEFAULT_PATH = Path(__file__).resolve().parent / "out" / "kpi_views.duckdb"
UNITS = 1_000
FIRST_YEAR, YEARS = 1995, 30
TARGET_MOM_ONE_DISTRICT_MS = 100
TARGET_MONTHLY_FULL_S = 5
DISTRICT, UNIT_ID = "Đơn vị 0421", "bench-0421"

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
# Each district's month is one file, one load (restated: a second file); its name and time are the load's run record.
DEPARTMENT_FIGURES_SQL = """
insert into department_figures (
    unit_id, metric, month_start, as_of, basis, value, is_preliminary, annual_plan, source_row, source_column, load_id,
    superseded_by, superseded_at
)
select
    format('bench-{:04d}', u),
    metric,
    month_start,
    last_day(month_start),
    if(is_ytd, 'ytd', 'month'),
    case
        when unit = 'percent' then round(base * 100 / 5, 1)
        when is_ytd then round(base * (month_number + month_number * (month_number + 1) / 200.0), 0)
        else round(base * (1 + month_number / 100.0), 0)
    end * if(restated = 1, 0.98, 1),
    draw % 100 = 7,
    if(is_ytd, round(base * 12 * 1.1, 0), null),
    2 + hash(metric) % 14,
    'Giá trị',
    format('bench-load-{}-{}-{}', u, i, restated),
    if(restated = 1, format('bench-load-{}-{}-0', u, i), null),
    if(restated = 1, timestamptz '2025-01-01 00:00:00+00' + to_days(i), null)
from grid
cross join (values (0), (1)) as versions(restated)
where draw >= 100 and (restated = 0 or draw % 200 = 101)
order by i, u, metric, restated
"""

DEPARTMENT_LOADS_SQL = """
insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, status)
select distinct
    load_id,
    'ingest_departments',
    format('bench_{:04d}_{}.csv', cast(parts[3] as integer), strftime(month_start, '%Y-%m')),
    sha256(load_id),
    timestamptz '2025-01-01 00:00:00+00' + to_days(cast(parts[4] as integer)) - to_hours(cast(parts[5] as integer)),
    timestamptz '2025-01-01 00:00:00+00' + to_days(cast(parts[4] as integer)) - to_hours(cast(parts[5] as integer)),
    'success'
from (select load_id, month_start, string_split(load_id, '-') as parts from department_figures)
"""

# News facts: draws 100-249 restate a department month, 0-49 fill a department gap (draws < 100 are gaps).
NEWS_SQL = """
insert into news_figures (
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
    files = local_files(path)  # the published file and the writer's own, which a load starts from when it exists
    for leftover in (files.published, files.private, files.private.with_name(files.private.name + ".wal")):
        leftover.unlink(missing_ok=True)
    with Warehouse(path) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        con = wh.con
        con.execute(UNITS_SQL)
        con.execute(GRID_SQL)
        con.execute(DEPARTMENT_FIGURES_SQL)
        con.execute(DEPARTMENT_LOADS_SQL)
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
    wall, cpu = measured(lambda: con.execute(sql, params or []).fetchall(), runs)
    return wall, cpu, rows


def timed_refresh(con, forget: int, runs: int, full: bool = False) -> tuple[float, float, int]:
    """Time refreshes after forgetting the fingerprints of `forget` districts; return medians and districts done."""
    done = []

    def prepare() -> None:
        con.execute(
            "delete from materialized_inputs where unit_id in (select unit_id from materialized_inputs order by unit_id"
            f" limit {forget})"
        )

    def refresh() -> None:
        done.append(materialize.refresh(con, full=full))

    wall, cpu = measured(refresh, runs, prepare)
    assert all(result.method == ("full" if full else "incremental" if forget else "unchanged") for result in done), done
    return wall, cpu, done[-1].districts


def measured(action, runs: int, prepare=lambda: None) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` calls of `action`, each after an untimed `prepare`."""
    wall, cpu = [], []
    for _ in range(runs):
        prepare()
        started, cpu_started = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(wall), statistics.median(cpu)


def targets(con, runs: int, label: str = "") -> list[tuple]:
    """Time the issue's two targets: kpi_mom of one district (by name and by unit_id) and kpi_monthly in full."""
    return [
        (f"kpi_mom, one district, by name{label}",
         *timed(con, "select * from kpi_mom where district = ?", [DISTRICT], runs), TARGET_MOM_ONE_DISTRICT_MS / 1000),
        (f"kpi_mom, one district, by unit_id{label}",
         *timed(con, "select * from kpi_mom where unit_id = ?", [UNIT_ID], runs), TARGET_MOM_ONE_DISTRICT_MS / 1000),
        # every column of every row goes into the hash: nothing can be pruned or skipped
        (f"kpi_monthly in full, every column read{label}",
         *timed(con, "select count(*), bit_xor(hash(m)) from kpi_monthly as m", runs=max(3, runs // 2)),
         TARGET_MONTHLY_FULL_S),
    ]


def baseline(con, runs: int) -> list[tuple]:
    """Time the targets on plain views of the same files (nothing stored), then roll the change back."""
    con.execute("begin transaction")
    try:
        for (name,) in con.execute("select model from materialized_models").fetchall():
            con.execute(f"drop table {name}")
        views = migrate.view_files()
        for name in migrate.dependency_order(views):
            con.execute(views[name])  # the header is a comment: the file creates a view
        # no target: what the materialization is measured against
        return [(label, wall, cpu, rows, None) for label, wall, cpu, rows, _ in targets(con, runs, ", plain views")]
    finally:
        con.execute("rollback")


def verify(con) -> list[str]:
    """Compare every materialized table with its SQL computed afresh; return the tables that differ."""
    differing = []
    for name, select_sql in con.execute("select model, select_sql from materialized_models order by position").fetchall():
        stored = con.execute(f"select count(*), bit_xor(hash(t)) from {name} as t").fetchone()
        computed = con.execute(f"select count(*), bit_xor(hash(t)) from ({select_sql}) as t").fetchone()
        print(f"verify {name}: stored {stored[0]:,} rows, hash {stored[1]}; computed {computed[0]:,} rows, hash {computed[1]}")
        if stored != computed:
            differing.append(name)
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help=f"benchmark warehouse (default: {DEFAULT_PATH})")
    parser.add_argument("--rebuild", action="store_true", help="generate the data again even if the file exists")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query after one warm-up (default: 7)")
    parser.add_argument("--verify", action="store_true", help="compare the materialized tables with their SQL")
    parser.add_argument("--baseline", action="store_true", help="time the targets on plain views too (nothing stored)")
    args = parser.parse_args(argv)

    if args.rebuild or not args.path.exists():
        started = time.perf_counter()
        build(args.path)
        print(f"generated {args.path} in {time.perf_counter() - started:.1f} s")
    with Warehouse(args.path) as wh:
        started = time.perf_counter()
        initialised = wh.init(units=gazetteer().units, metrics=metric_catalogue())  # the views as sql/views has them now
        print(f"init in {time.perf_counter() - started:.1f} s (tables {', '.join(initialised.tables)};"
              f" refresh {initialised.refresh.method})")
        con = wh.con
        con.execute("set enable_progress_bar = false")
        print("observations: " + ", ".join(f"{key} {value:,}" for key, value in counts(con).items()))
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        version = con.execute("select version()").fetchone()[0]
        print(f"duckdb {version}, {threads} threads, {os.cpu_count()} cores,"
              f" load average {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
        few = max(3, args.runs // 2)
        results = [
            *targets(con, args.runs),
            *[
                (f"{view}, one district, by unit_id", *timed(con, f"select * from {view} where unit_id = ?", [UNIT_ID], args.runs), None)
                for view in ("kpi_yoy", "kpi_plan_progress")
            ],
            *[
                (f"{view}, one district, by unit_id", *timed(con, f"select * from {view} where unit_id = ?", [UNIT_ID], few), None)
                for view in ("kpi_latest", "kpi_lineage")
            ],
            ("refresh, nothing changed", *timed_refresh(con, 0, args.runs), None),
            ("refresh, 1 district changed", *timed_refresh(con, 1, args.runs), None),
            ("refresh, 30 districts changed", *timed_refresh(con, 30, few), None),
            ("refresh in full", *timed_refresh(con, 0, 3, full=True), None),
        ]
        monthly_rows = con.execute("select count(*) from kpi_monthly").fetchone()[0]
        differing = verify(con) if args.verify else []
        results += baseline(con, args.runs) if args.baseline else []
    print(f"kpi_mom rows for one district: {results[0][3]:,}; kpi_monthly rows: {monthly_rows:,}")
    print(f"load average after the runs {os.getloadavg()[0]:.1f}")
    failed = bool(differing)
    for label, wall, cpu, _, target in results:
        verdict = "" if target is None else ("ok" if wall < target else "TOO SLOW")
        failed |= target is not None and wall >= target
        scale, unit = (1000, "ms") if wall < 1 else (1, "s")
        goal = f"target < {target * scale:g} {unit}" if target is not None else ""
        print(f"{label:<52} median {wall * scale:8.1f} {unit} (CPU {cpu * scale:8.1f} {unit})  {goal:<18} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
