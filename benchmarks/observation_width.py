"""Benchmark: what each group of columns costs DuckDB to append, for the figures of one big file.

    .venv/bin/python benchmarks/observation_width.py [--rows 5000000] [--runs 3]

A department load appends every validated figure (warehouse.loads.insert_figures). Until migration 0008 it
appended them to an `observations` table of 33 columns; now to `department_figures`, the figures' own columns and
their load, with the rest kept once per load in `load_runs` and joined back by the `observations` view. This times
the same append — Arrow batches of one row group into a fresh DuckDB file, `create table … as select` — with the
columns in groups, each variant in its own subprocess, alternated over the runs:
- figures:            the 13 columns a file's figures bring (unit, metric, month, basis, value, unit, flags, row…);
- department_figures: what a load appends now: the figures but the district's name and the unit (the view takes
                      them from dim_unit and dim_metric), with their load_id and the two empty history columns,
                      without trying FSST (as the load does);
- + obs_id:           the figures plus the unique 'file:<sha256>:<row>:<column>' string, built as the load built it;
- + file constants:   the figures plus the seven values that are the same for every figure of a file (source_kind,
                      source_name, source_sha256, load_id, loaded_at, department, submission);
- + empty columns:    the figures plus the twelve columns a department figure leaves empty or false (news evidence,
                      history…);
- all:                everything: the 33 columns of the `observations` table before migration 0008.
It prints wall and CPU seconds per variant (medians) and each one's extra CPU over `figures`: why the load phase of
benchmarks/csv_load.py appends the narrow table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from datetime import date
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

FIGURES = "* exclude (source_row), cast(source_row as integer) as source_row"
OBS_ID = "concat($prefix, source_sheet || '!', source_row, ':') || source_column as obs_id"
CONSTANTS = (
    "'department' as source_kind, $name as source_name, $sha as source_sha256, $load_id as load_id,"
    " now() as loaded_at, 'tai_chinh_ke_hoach' as department, 'tai_chinh_ke_hoach|*|2024-10' as submission"
)
EMPTY = (
    "null::varchar as qualifier, false as is_estimate, false as is_target, null::double as pct_of_plan,"
    " null::double as pct_of_same_period, null::double as growth_pct, null::varchar as evidence,"
    " null::integer as evidence_start, null::integer as evidence_end, null::varchar as superseded_by,"
    " null::timestamptz as superseded_at, null::varchar as plan_ratios"
)
VARIANTS = {
    "figures": FIGURES,
    "department_figures": "* exclude (source_row, district, unit), cast(source_row as integer) as source_row,"
                          " $load_id as load_id, null::varchar as superseded_by, null::timestamptz as superseded_at",
    "+ obs_id": f"{FIGURES}, {OBS_ID}",
    "+ file constants": f"{FIGURES}, {CONSTANTS}",
    "+ empty columns": f"{FIGURES}, {EMPTY}",
    "all": f"{FIGURES}, {OBS_ID}, {CONSTANTS}, {EMPTY}",
}
SHA = "5d41402abc4b2a76b9719d911017c592" * 2
PARAMETERS = {"prefix": f"file:{SHA}:", "name": "phuong_xa_bao_cao_thang.csv", "sha": SHA, "load_id": "9f" * 16}


def figures(rows: int):
    """Validated figures shaped as validate_department gives them: 2,000 wards × 14 metrics × months."""
    import polars as pl

    index = pl.int_range(rows, dtype=pl.Int64, eager=True)
    months = (index // 28_000).cast(pl.Int32)
    month_start = pl.date_range(date(2000, 1, 1), date(2099, 12, 1), "1mo", eager=True)
    frame = pl.DataFrame({
        "unit_id": ("bm-phuong-" + ((index // 14) % 2000 + 1).cast(pl.String)),
        "metric": ("metric_" + (index % 14).cast(pl.String)),
        "month_start": month_start.gather(months),
        "value": (index % 9973).cast(pl.Float64) * 1.5e6,
        "source_row": (index + 2).cast(pl.Int32),
    })
    return frame.select(
        pl.col("unit_id").cast(pl.Categorical),
        pl.col("unit_id").str.replace("bm-phuong-", "Phường ").cast(pl.Categorical).alias("district"),
        pl.col("metric").cast(pl.Categorical),
        "month_start",
        pl.col("month_start").dt.month_end().alias("as_of"),
        pl.lit("ytd").cast(pl.Categorical).alias("basis"),
        "value",
        pl.lit("VND").cast(pl.Categorical).alias("unit"),
        pl.lit(False).alias("is_preliminary"),
        pl.lit(None, pl.Float64).alias("annual_plan"),
        pl.lit(None, pl.String).alias("source_sheet"),
        "source_row",
        pl.lit("Giá trị").cast(pl.Categorical).alias("source_column"),
    )


def columns(variant: str) -> list[str]:
    """The names of a variant's columns (a test checks 'all' against `observations`, 'department_figures' against
    the table)."""
    import duckdb

    con = duckdb.connect()
    con.register("incoming", figures(1).to_arrow())
    sql = VARIANTS[variant]
    used = {key: value for key, value in PARAMETERS.items() if f"${key}" in sql}
    return [row[0] for row in con.execute(f"describe select {sql} from incoming", used).fetchall()]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def side(variant: str, rows: int, database: Path) -> dict:
    """Append the figures with one variant's columns into a fresh file; time the append until it is on disk."""
    import duckdb

    from warehouse.loads import compression_without, in_row_groups

    batches = in_row_groups(figures(rows))
    con = duckdb.connect(str(database))
    con.register("incoming", batches)
    sql = VARIANTS[variant]
    used = {key: value for key, value in PARAMETERS.items() if f"${key}" in sql}
    started, cpu = time.perf_counter(), cpu_seconds()
    # the load appends department_figures without trying FSST (warehouse.loads.compression_without)
    with compression_without(con, "fsst") if variant == "department_figures" else nullcontext():
        con.execute(f"create table observations as select {sql} from incoming", used)
        con.execute("checkpoint")
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    columns = len(con.execute("describe observations").fetchall())
    con.close()
    return {"seconds": seconds, "cpu": cpu, "columns": columns}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--side", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        print(json.dumps(side(args.side, args.rows, args.database)))
        return 0
    results: dict[str, list[dict]] = {variant: [] for variant in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="dkpi-width-") as scratch:
        for run in range(args.runs):
            for number, variant in enumerate(VARIANTS):
                database = Path(scratch) / f"run{run}-{number}.duckdb"
                completed = subprocess.run(
                    [sys.executable, __file__, "--side", variant, "--rows", str(args.rows), "--database", str(database)],
                    capture_output=True, text=True, check=False,
                )
                if completed.returncode != 0:
                    raise SystemExit(f"{variant} failed:\n{completed.stderr}")
                results[variant].append(json.loads(completed.stdout.strip().splitlines()[-1]))
                database.unlink()
    median = statistics.median
    base = median(r["cpu"] for r in results["figures"])
    print(f"{args.rows:,} figures appended into a fresh DuckDB file, medians of {args.runs} run(s):")
    print(f"{'columns':<20}{'count':>6}{'seconds':>10}{'CPU s':>9}{'CPU over figures':>19}")
    for variant, measured in results.items():
        cpu = median(r["cpu"] for r in measured)
        print(f"{variant:<20}{measured[0]['columns']:>6}{median(r['seconds'] for r in measured):>10.2f}{cpu:>9.2f}"
              f"{cpu - base:>+19.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
