"""Benchmark: rows per second loading department files with 1, 2 and 4 concurrent loader processes, into DuckLake
(catalog in PostgreSQL, Parquet files in a local folder) and into the local DuckDB file, in the same run.

    .venv/bin/python benchmarks/ducklake_load.py [--files 8] [--rows-per-file 100000] [--loaders 1 2 4] [--runs N]

The files are generated in a temporary folder, in the format of benchmarks/csv_load.py (Vietnamese headers and
numbers, a bad row in a thousand), each about its own 2000 / files wards: as districts send their own reports,
no two files restate the same figure. A throwaway PostgreSQL server is started (tests/support/postgres.py, Debian's
package, on 127.0.0.1 with fsync off, like the tests); each DuckLake run gets a fresh catalog database and data
folder, each local run a fresh file.

Each loader is a process of its own doing the flow's work on its share of the files (round robin): read the bytes,
`parse_department_file`, `validate_department`, `load_department_file` (one transaction per file). Imports, the
warehouse's initialisation and Pandera's first validation happen before the clock; then all loaders start at once
and the time is from that moment to the end of the last one. Local loaders write the one file in turn (its
writer lock; the runs publish as they finish), so adding loaders there only adds parsing in parallel. With --runs N
every (target, loaders) is run N times, alternating, and the median is reported: on a shared machine the load
changes from one minute to the next (the load average is printed beside each result).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from benchmarks.csv_load import HEADER, METRICS, WARDS, vn_number, wards  # noqa: E402

FIRST_YEAR = 2001


def generate(path: Path, ward_numbers: range, rows: int) -> int:
    """Write one file of `rows` figures about these wards, month after month; return the data rows written."""
    written, month_index = 0, 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        while written < rows:
            year, month = FIRST_YEAR + month_index // 12, month_index % 12 + 1
            for ward in ward_numbers:
                for label, unit, cumulative, size in METRICS:
                    if written == rows:
                        break
                    written += 1
                    value = str(int(size) + ward % 7) if isinstance(size, int) else vn_number(size * month + ward % 11, 1)
                    if written % 1000 == 0:
                        value += ",x"
                    out.write(f'Phường {ward},{label},{month:02d}/{year},"{value}",{unit},{cumulative}\n')
            month_index += 1
    return written


def worker(target: str, go: Path, paths: list[str]) -> None:
    """Load the files once `go` exists; print the rows read and the wall time from `go` to the last commit."""
    from contracts.catalogue import metric_catalogue
    from contracts.department import validate_department
    from sources.departments import parse_department_file
    from warehouse import ReceivedFile, Submission, Warehouse

    units, metrics = wards(), metric_catalogue()
    validate_department(parse_department_file("warm.csv", HEADER.encode() + b"Phuong 1,x,01/2024,1,,\n",
                                              gazetteer=units, metrics=metrics).frame)
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    started, rows = go.stat().st_mtime, 0
    with Warehouse(target) as wh:
        for path in map(Path, paths):
            received = ReceivedFile(path.name, path.read_bytes())
            parsed = parse_department_file(received.name, received.content, gazetteer=units, metrics=metrics)
            checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
            result = wh.load_department_file(
                received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
                rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped,
                submission=Submission(f"benchmark-{path.stem}", parsed.district_id, parsed.report_period),
            )
            rows += result.rows_in
    print(json.dumps({"rows": rows, "seconds": time.time() - started}), flush=True)


def initialise(target: str) -> None:
    from contracts.catalogue import gazetteer, metric_catalogue
    from warehouse import Warehouse

    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())


def run(target: str, files: list[Path], loaders: int, folder: Path) -> dict:
    """Start the loaders, wait until each is ready, start them together; return rows, seconds and rows/s."""
    initialise(target)
    go = folder / f"go-{time.monotonic_ns()}"
    shares = [[str(path) for path in files[index::loaders]] for index in range(loaders)]
    processes = [
        subprocess.Popen([sys.executable, __file__, "--worker", target, str(go), *share], stdout=subprocess.PIPE,
                         text=True, stdin=subprocess.DEVNULL)
        for share in shares
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready", f"a loader of {target} did not start"
    go.touch()
    results = []
    for process in processes:
        output, _ = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"a loader of {target} failed (exit {process.returncode})")
        results.append(json.loads(output.strip().splitlines()[-1]))
    rows, seconds = sum(r["rows"] for r in results), max(r["seconds"] for r in results)
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds, "loaded": loaded_rows(target)}


def loaded_rows(target: str) -> int:
    from warehouse import Warehouse

    with Warehouse(target, read_only=True) as wh:
        return wh.query("select count(*) from observations where superseded_by is null").rows[0][0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--rows-per-file", type=int, default=100_000)
    parser.add_argument("--loaders", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--runs", type=int, default=1, help="runs of each; the median is reported")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        target, go, *paths = args.worker
        worker(target, Path(go), paths)
        return 0
    with tempfile.TemporaryDirectory(prefix="dkpi-bench-") as tmp:
        folder = Path(tmp)
        span = WARDS // args.files
        files = [folder / f"phuong_{n:02d}.csv" for n in range(args.files)]
        for number, path in enumerate(files):
            generate(path, range(number * span + 1, (number + 1) * span + 1), args.rows_per_file)
        from tests.support.postgres import PostgresServer

        postgres = PostgresServer().start()
        try:
            results: dict[tuple[str, int], list] = {}
            for number in range(args.runs):
                for loaders in args.loaders:
                    name = f"{loaders}-{number}"
                    local = str(folder / f"local-{name}.duckdb")
                    lake = f"ducklake:postgres:{postgres.create_database(f'bench_{number}_{loaders}')} " \
                           f"data_path={folder / f'lake-{name}'}"
                    for kind, target in (("local file", local), ("DuckLake", lake)):
                        result = run(target, files, loaders, folder) | {"load": os.getloadavg()[0]}
                        results.setdefault((kind, loaders), []).append(result)
                        print(f"{kind:<11} {loaders} loader(s): {result['rows']:,} rows in {result['seconds']:.2f} s",
                              file=sys.stderr, flush=True)
        finally:
            postgres.stop()
    report(results)
    return 0


def report(results: dict[tuple[str, int], list]) -> None:
    """Print the median of each (target, loaders), with the runs' range of load averages."""
    print(f"\n{'target':<12}{'loaders':>8}{'runs':>6}{'rows':>12}{'median s':>10}{'rows/s':>12}{'current rows':>14}"
          f"{'load avg':>12}")
    for (kind, loaders), runs in sorted(results.items(), key=lambda item: (item[0][1], item[0][0] != "local file")):
        seconds = statistics.median(r["seconds"] for r in runs)
        loads = [r["load"] for r in runs]
        print(f"{kind:<12}{loaders:>8}{len(runs):>6}{runs[0]['rows']:>12,}{seconds:>10.2f}"
              f"{runs[0]['rows'] / seconds:>12,.0f}{runs[-1]['loaded']:>14,}{min(loads):>6.1f}–{max(loads):<5.1f}")


if __name__ == "__main__":
    sys.exit(main())
