"""dkpi demo: load the bundled sample sources into a fresh demo warehouse and print the KPI table."""

from __future__ import annotations

from flows.settings import PROJECT_DIR

SAMPLES = PROJECT_DIR / "samples"
DEMO_WAREHOUSE = PROJECT_DIR / "warehouse" / "demo.duckdb"


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="run the whole pipeline on the bundled sample data")
    parser.add_argument("--months", type=int, default=2, help="how many recent months to print (default: 2)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.commands.ingest_csv import ingest
    from flows.output import render
    from warehouse import Warehouse

    target = args.warehouse or str(DEMO_WAREHOUSE)
    for leftover in (target, target + ".wal"):
        PROJECT_DIR.joinpath(leftover).unlink(missing_ok=True)
    print(f"Loading the sample department files (samples/departments) into {target} …")
    ingest([str(SAMPLES / "departments")], target)
    with Warehouse(target, read_only=True) as wh:
        mom = wh.query(
            "select district, metric, month_start, value, prev_value, mom_change, mom_pct from kpi_mom "
            "where month_start > (select max(month_start) from kpi_mom) - to_months(?) "
            "order by district, metric, month_start",
            [args.months],
        )
        quarantine = wh.quarantine()
        skipped = wh.query("select count(*) from quarantine where severity = 'skipped'").rows[0][0]
    print(f"\nMonth over month, last {args.months} month(s) (kpi_mom; VND in whole đồng):")
    print(render(mom.columns, mom.rows), end="")
    print("\nQuarantined rows (kept in the `quarantine` table; `dkpi quarantine`):")
    columns = [c for c in quarantine.columns if c != "severity"]
    print(render(columns, [row[:6] + row[7:] for row in quarantine.rows]), end="")
    print(f"{skipped} row(s) skipped without error (totals, headings, empty cells): dkpi quarantine --all")
    print(f"\nQuery it yourself: duckdb {target} \"select * from kpi_mom\"")
    return 0
