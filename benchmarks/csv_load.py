"""Benchmark: a 5-million-row department CSV through our parse + validate + load, against DuckDB's own COPY of it.

    .venv/bin/python benchmarks/csv_load.py [--rows 5000000] [--keep DIR]

The file is generated in a temporary folder (never in the repository): Vietnamese headers, numbers as text in
Vietnamese format ('330.957,6', '1.151.248'), units 'tỷ đồng' / 'triệu đồng' / counts, a 'Lũy kế' column, and
one bad row in a thousand (unknown ward, unreadable number) so the quarantine path is exercised too.

Five million distinct (unit, metric, month) keys need more units than Hanoi's 30 districts: the file reports
2,000 wards ('Phường 1' … 'Phường 2000') and the benchmark hands the parser a gazetteer of those wards (the
`gazetteer=` argument of `parse_department_file`); everything else is the production code path.

Each side runs in its own subprocess so its peak memory (ru_maxrss) is its own:
- copy:  DuckDB `COPY … FROM` the file into a table of VARCHAR columns in a fresh database file (DuckDB's CSV
         reader cannot read '1.204,5' as a number, so text is what COPY can load);
- ours:  read the bytes, `parse_department_file`, `validate_department`, `load_department_file` into a fresh,
         initialised warehouse (initialising is setup, not timed).
Target: ours ≥ 50 % of COPY's rows per second, peak RSS < 2 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
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


def side_copy(path: Path, database: Path) -> dict:
    """DuckDB's own COPY of the file into VARCHAR columns."""
    import duckdb

    con = duckdb.connect(str(database))
    con.execute(
        "create table department_file (district varchar, metric varchar, period varchar, value varchar,"
        " unit varchar, cumulative varchar)"
    )
    started = time.perf_counter()
    con.execute(f"copy department_file from '{path}' (header true, delimiter ',', quote '\"')")
    seconds = time.perf_counter() - started
    rows = con.execute("select count(*) from department_file").fetchone()[0]
    con.close()
    return {"rows": rows, "seconds": seconds}


def side_ours(path: Path, database: Path) -> dict:
    """Our parse + validate + load, end to end, into a fresh warehouse."""
    from contracts.catalogue import gazetteer, metric_catalogue
    from contracts.department import validate_department
    from sources.departments import parse_department_file
    from warehouse import ReceivedFile, Submission, Warehouse

    units = wards()
    with Warehouse(database) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        started = time.perf_counter()
        received = ReceivedFile(path.name, path.read_bytes())
        parsed = parse_department_file(received.name, received.content, gazetteer=units, metrics=metric_catalogue())
        parsed_at = time.perf_counter()
        checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
        submission = Submission("benchmark", parsed.district_id, parsed.report_period)
        del parsed  # as the flow does: the parsed frame is not needed once validated
        validated_at = time.perf_counter()
        result = wh.load_department_file(
            received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
            rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped, submission=submission,
        )
        seconds = time.perf_counter() - started
    return {
        "rows": result.rows_in, "seconds": seconds, "parse": parsed_at - started, "validate": validated_at - parsed_at,
        "load": seconds - (validated_at - started), "loaded": result.rows_loaded,
        "quarantined": result.rows_quarantined, "skipped": result.rows_skipped,
    }


def run_side(side: str, path: Path, database: Path) -> dict:
    """Run one side in a fresh interpreter; return its timings and its own peak RSS."""
    completed = subprocess.run(
        [sys.executable, __file__, "--side", side, str(path), str(database)],
        capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"{side} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
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
        for stale in folder.glob("*.duckdb*"):
            stale.unlink()
        copy = run_side("copy", path, folder / "copy.duckdb")
        ours = run_side("ours", path, folder / "ours.duckdb")
    ratio = (ours["rows"] / ours["seconds"]) / (copy["rows"] / copy["seconds"])
    print(f"\n{'side':<34}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'peak RSS MB':>14}")
    for name, side in (("DuckDB COPY (VARCHAR columns)", copy), ("ours: parse + validate + load", ours)):
        print(f"{name:<34}{side['rows']:>12,}{side['seconds']:>10.2f}{side['rows'] / side['seconds']:>12,.0f}{side['peak_rss_mb']:>14,.0f}")
    print(f"\nours: parse {ours['parse']:.2f}s, validate {ours['validate']:.2f}s, load {ours['load']:.2f}s; "
          f"{ours['loaded']:,} loaded + {ours['quarantined']:,} quarantined + {ours['skipped']:,} skipped = {ours['rows']:,}")
    met = ratio >= 0.5 and ours["peak_rss_mb"] < 2048
    print(f"ratio ours/COPY rows per second: {ratio:.2f} (target ≥ 0.50); peak RSS {ours['peak_rss_mb']:,.0f} MB "
          f"(target < 2048): {'MET' if met else 'NOT MET'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
