"""Benchmark: a 5-million-row department CSV through our parse + validate + load, against DuckDB's own COPY of it.

    .venv/bin/python benchmarks/csv_load.py [--rows 5000000] [--runs N] [--keep DIR]

The file is generated in a temporary folder (never in the repository): Vietnamese headers, numbers as text in
Vietnamese format ('330.957,6', '1.151.248'), units 'tỷ đồng' / 'triệu đồng' / counts, a 'Lũy kế' column, and
one bad row in a thousand (unknown ward, unreadable number) so the quarantine path is exercised too.

Five million distinct (unit, metric, month) keys need more units than Hanoi's 30 districts: the file reports
2,000 wards ('Phường 1' … 'Phường 2000') and the benchmark hands the parser a gazetteer of those wards (the
`gazetteer=` argument of `parse_department_file`) and seeds them into `dim_unit` when it initialises the warehouse
(untimed), as a run seeds its catalogue's units; everything else is the production code path.

Each side runs in its own subprocess on a fresh database file, so its peak memory (ru_maxrss) is its own; with
--runs N the two sides alternate N times and the medians are reported, since a shared machine's load changes
from one minute to the next (the load average is printed beside every run, and CPU seconds, which move less).
- copy:  DuckDB `COPY … FROM` the file into a table of VARCHAR columns in a fresh database file (DuckDB's CSV
         reader cannot read '1.204,5' as a number, so text is what COPY can load), then `checkpoint`, so
         the rows are in the database file as ours are;
- ours:  one run of the flow's work on a fresh, initialised warehouse (initialising is setup, not timed): open
         the writer session, read the bytes, `parse_department_file`, `validate_department`,
         `load_department_file` (one transaction: the figures are committed), then the refresh of the
         materialized KPI tables that leaving the session would do first (timed apart: after 5 M new figures in
         2,000 districts it is a whole recomputation), and leaving the session, which checkpoints the writer's file
         and publishes a copy for readers (warehouse.connection). Everything a one-file run waits for is timed.
         Pandera imports its polars backend on the first validation (0.3-0.5 s, with hypothesis when the dev
         tools are installed); like both sides' imports, that one-off is paid before the clock and printed.
Two ratios of rows per second are printed: parse + validate + load (from the bytes to the committed figures, what
the target compares with COPY) and the whole run (with the refresh and publishing).
Target: parse + validate + load ≥ 50 % of COPY's rows per second, peak RSS of the whole run < 2 GB. Results, and where the time goes: README.md,
section Performance.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

HEADER = "Phường/xã,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\n"
WARDS = 2000
# (label as written, unit as written, cumulative, typical monthly size)
METRICS = (
    ("Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", "có", 40.0),
    ("Chi ngân sách địa phương", "triệu đồng", "có", 9000.0),
    ("Giải ngân vốn đầu tư công", "tỷ đồng", "có", 12.0),
    ("Giá trị sản xuất", "tỷ đồng", "có", 300.0),
    ("Tổng mức bán lẻ hàng hóa", "triệu đồng", "có", 80000.0),
    ("Doanh nghiệp thành lập mới", "doanh nghiệp", "không", 12),
    ("Giải quyết việc làm", "lao động", "không", 60),
    ("Cấp giấy phép xây dựng", "giấy phép", "không", 7),
    ("Xử lý vi phạm trật tự xây dựng", "vụ", "không", 5),
    ("Quyết định xử phạt vi phạm hành chính", "quyết định", "không", 30),
    ("Số tiền xử phạt", "triệu đồng", "không", 150.0),
    ("Cấp giấy chứng nhận quyền sử dụng đất", "giấy chứng nhận", "không", 20),
    ("Nghiệm thu công trình", "công trình", "không", 2),
    ("Tỷ trọng thương mại - dịch vụ", "%", "không", 58.0),
)
FIRST_YEAR = 2010
PHASES = ("parse", "validate", "load", "refresh", "publish")
LOAD_PHASES = PHASES[:3]  # what the target compares with COPY: from the file's bytes to its figures committed


def vn_number(value: float, decimals: int) -> str:
    """Write a number the Vietnamese way: 1204.5 -> '1.204,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def generate(path: Path, rows: int, seed: int = 5) -> int:
    """Write the benchmark file; return the number of data rows."""
    rng = random.Random(seed)
    months = -(-rows // (WARDS * len(METRICS)))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for month_index in range(months):
            year, month = FIRST_YEAR + month_index // 12, month_index % 12 + 1
            for ward in range(1, WARDS + 1):
                for label, unit, cumulative, size in METRICS:
                    if written == rows:
                        break
                    written += 1
                    if isinstance(size, int):
                        value = str(rng.randint(0, size * 2))
                    elif cumulative == "có":
                        value = vn_number(size * month * (0.9 + 0.2 * rng.random()) + size * month, 1)
                    else:
                        value = vn_number(size * (0.8 + 0.4 * rng.random()), 1 if unit != "%" else 2)
                    name = f"Phường {ward}"
                    if written % 1000 == 0:  # one bad row in a thousand
                        name, value = (f"Phường {ward} Bắc", value) if written % 2000 == 0 else (name, value + ",x")
                    lines.append(f'{name},{label},{month:02d}/{year},"{value}",{unit},{cumulative}\n')
                if len(lines) >= 100_000:
                    out.writelines(lines)
                    lines.clear()
        out.writelines(lines)
    return written


def wards():
    """Return the benchmark's gazetteer: 2,000 wards with Vietnamese names."""
    from sources.gazetteer import Gazetteer, Unit

    return Gazetteer(Unit(f"bm-phuong-{n}", f"Phường {n}", "phường", "Benchmark") for n in range(1, WARDS + 1))


def cpu_seconds() -> float:
    """CPU time of this process, all threads: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def side_copy(path: Path, database: Path) -> dict:
    """DuckDB's own COPY of the file into VARCHAR columns, until it is checkpointed into the database file."""
    import duckdb

    con = duckdb.connect(str(database))
    con.execute(
        "create table department_file (district varchar, metric varchar, period varchar, value varchar,"
        " unit varchar, cumulative varchar)"
    )
    started, cpu = time.perf_counter(), cpu_seconds()
    con.execute(f"copy department_file from '{path}' (header true, delimiter ',', quote '\"')")
    con.execute("checkpoint")
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    rows = con.execute("select count(*) from department_file").fetchone()[0]
    con.close()
    return {"rows": rows, "seconds": seconds, "cpu": cpu}


def side_ours(path: Path, database: Path) -> dict:
    """Our parse + validate + load, end to end, as one run of the flow: a writer session that publishes when it closes."""
    from contracts.catalogue import gazetteer, metric_catalogue
    from contracts.department import validate_department
    from sources.departments import parse_department_file
    from warehouse import ReceivedFile, Submission, Warehouse
    from warehouse.loads import compacted_while

    units = wards()
    with Warehouse(database) as wh:  # the wards are units of the warehouse too, as a run seeds its gazetteer's
        wh.init(units=[*gazetteer().units, *units.units], metrics=metric_catalogue())
    # Pandera imports its polars backend (and hypothesis, a dev-only dependency) on the first validation: a
    # one-off per process, like the imports of either side, so it is paid here and reported, not timed.
    warm = time.perf_counter()
    validate_department(parse_department_file("warm.csv", HEADER.encode() + b"Phuong 1,x,01/2024,1,,\n", gazetteer=units,
                                              metrics=metric_catalogue()).frame)
    first_use = time.perf_counter() - warm
    marks = [(time.perf_counter(), cpu_seconds())]
    with Warehouse(database) as wh:
        received = ReceivedFile(path.name, path.read_bytes())
        # as the flow does: the file is hashed and compressed for raw_files while it is parsed, and once parsed
        # only that compact form is held
        received, parsed = compacted_while(received, lambda: parse_department_file(
            received.name, received.content, gazetteer=units, metrics=metric_catalogue()
        ))
        marks.append((time.perf_counter(), cpu_seconds()))
        checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
        submission = Submission("benchmark", parsed.district_id, parsed.report_period)
        del parsed  # as the flow does: the parsed frame is not needed once validated
        marks.append((time.perf_counter(), cpu_seconds()))
        result = wh.load_department_file(
            received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
            rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped, submission=submission,
        )
        marks.append((time.perf_counter(), cpu_seconds()))
        # What leaving the session would do first, timed on its own: bring the materialized KPI tables up to date
        # (after 5 M new figures in 2,000 districts, a whole recomputation).
        refreshed = wh.refresh_materialized()
        marks.append((time.perf_counter(), cpu_seconds()))
    # Leaving the session finds the tables current, checkpoints the writer's file and publishes a copy for readers
    # (warehouse.connection): what a one-file run waits for, so it is timed.
    marks.append((time.perf_counter(), cpu_seconds()))
    steps = list(zip(marks, marks[1:]))
    phases = {phase: end[0] - begin[0] for phase, (begin, end) in zip(PHASES, steps)}
    phases_cpu = {f"{phase}_cpu": end[1] - begin[1] for phase, (begin, end) in zip(PHASES, steps)}
    return {
        "rows": result.rows_in, "seconds": marks[-1][0] - marks[0][0], "cpu": marks[-1][1] - marks[0][1], **phases,
        "load_seconds": sum(phases[phase] for phase in LOAD_PHASES), "refresh_method": refreshed.method,
        **phases_cpu,
        "first_use": first_use, "loaded": result.rows_loaded, "quarantined": result.rows_quarantined,
        "skipped": result.rows_skipped,
    }


def run_side(side: str, path: Path, database: Path) -> dict:
    """Run one side in a fresh interpreter on a fresh database; return its timings, peak RSS and the load average."""
    for stale in database.parent.glob(f"{database.stem}*"):
        stale.unlink()
    completed = subprocess.run(
        [sys.executable, __file__, "--side", side, str(path), str(database)],
        capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{side} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1]) | {"load_average": os.getloadavg()[0]}


def report(runs: list[tuple[dict, dict]]) -> tuple[float, float, float]:
    """Print every run and the medians; return the median ratios (load, whole run) and the highest peak RSS of ours."""
    print(f"\n{'run':<5}{'side':<32}{'rows':>12}{'seconds':>9}{'CPU s':>8}{'rows/s':>12}{'peak RSS MB':>13}{'load avg':>10}")
    load_ratios, run_ratios = [], []
    for number, (copy, ours) in enumerate(runs, 1):
        for name, side in (("DuckDB COPY (VARCHAR columns)", copy), ("ours: the whole run", ours)):
            print(f"{number:<5}{name:<32}{side['rows']:>12,}{side['seconds']:>9.2f}{side['cpu']:>8.2f}"
                  f"{side['rows'] / side['seconds']:>12,.0f}{side['peak_rss_mb']:>13,.0f}{side['load_average']:>10.1f}")
        # same rows on both sides: the ratio of rows per second is the inverse ratio of seconds
        load_ratios.append(copy["seconds"] / ours["load_seconds"])
        run_ratios.append(copy["seconds"] / ours["seconds"])
        phases = ", ".join(f"{phase} {ours[phase]:.2f}s (CPU {ours[phase + '_cpu']:.2f}s)" for phase in PHASES)
        print(f"     ours: {phases} (refresh: {ours['refresh_method']}; first use of the contract "
              f"{ours['first_use']:.2f}s, untimed); {ours['loaded']:,} loaded + {ours['quarantined']:,} quarantined + "
              f"{ours['skipped']:,} skipped = {ours['rows']:,}; ratio: parse + validate + load {load_ratios[-1]:.2f}, "
              f"whole run {run_ratios[-1]:.2f}")
    median = statistics.median
    ours_runs = [ours for _, ours in runs]
    print()
    for label, total, suffix in (("seconds", "seconds", ""), ("CPU s", "cpu", "_cpu")):
        phases = " + ".join(f"{phase} {median(o[phase + suffix] for o in ours_runs):.2f}" for phase in PHASES)
        print(f"median of {len(runs)} run(s), {label}: COPY {median(c[total] for c, _ in runs):.2f}; "
              f"ours {median(o[total] for o in ours_runs):.2f} = {phases}")
    return median(load_ratios), median(run_ratios), max(o["peak_rss_mb"] for o in ours_runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=1, help="measure both sides this many times, alternating")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep the files")
    parser.add_argument("--side", choices=("copy", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        measured = (side_copy if args.side == "copy" else side_ours)(*args.files)
        measured["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(measured))
        return 0
    with tempfile.TemporaryDirectory(prefix="dkpi-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "phuong_xa_bao_cao_thang.csv"
        started = time.perf_counter()
        rows = generate(path, args.rows)
        print(f"generated {rows:,} rows, {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - started:.1f}s: {path}")
        runs = [
            (run_side("copy", path, folder / "copy.duckdb"), run_side("ours", path, folder / "ours.duckdb"))
            for _ in range(args.runs)
        ]
    load_ratio, run_ratio, peak = report(runs)
    met = load_ratio >= 0.5 and peak < 2048
    print(f"rows per second, ours/COPY: parse + validate + load {load_ratio:.2f} (target ≥ 0.50); the whole run, with the "
          f"KPI tables' refresh and publishing, {run_ratio:.2f}; peak RSS of the whole run {peak:,.0f} MB (target < 2048): "
          f"{'MET' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
