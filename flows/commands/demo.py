"""dkpi demo: load the bundled sample sources into a fresh demo warehouse, print the KPI table and write the
KPI report beside the warehouse (warehouse/demo.html)."""

from __future__ import annotations

from flows.settings import PROJECT_DIR

SAMPLES = PROJECT_DIR / "samples"
DEMO_WAREHOUSE = PROJECT_DIR / "warehouse" / "demo.duckdb"


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help="run the whole pipeline on the bundled sample data")
    parser.add_argument("--months", type=int, default=2, help="how many recent months to print (default: 2)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dataclasses import replace

    from flows.commands.run import refresh_and_report
    from flows.output import render
    from flows.settings import DEFAULT_CONFIG, load_settings
    from warehouse import Warehouse
    from warehouse.connection import local_files

    target = args.warehouse or str(DEMO_WAREHOUSE)
    files = local_files(target)
    report = files.published.with_suffix(".html")
    for leftover in (files.published, files.private, files.private.with_name(files.private.name + ".wal"), report):
        leftover.unlink(missing_ok=True)
    # The demo always runs the bundled samples (the default config), whatever DKPI_CONFIG says; the refresh
    # writes the report as a scheduled run does.
    config = replace(load_settings(config=str(DEFAULT_CONFIG)), warehouse=target, report_out=report)
    print(f"Loading the sample department files and the sample news site into {target} …")
    refresh_and_report(config)
    with Warehouse(target, read_only=True) as wh:
        mom = wh.query(
            "select district, metric, month_start, value, prev_value, mom_change, mom_pct from kpi_mom "
            "where month_start > (select max(month_start) from kpi_mom) - to_months(?) "
            "order by district, metric, month_start",
            [args.months],
        )
        news = wh.query(
            "select district, metric, as_of, value, pct_of_plan, source_name as url from observations "
            "where source_kind = 'news' and superseded_by is null and not is_target and as_of >= date '2025-01-01' "
            "order by district, metric, as_of limit 12"
        )
        quarantine = wh.quarantine()
        skipped = wh.query("select count(*) from quarantine where severity = 'skipped'").rows[0][0]
        alerts = wh.list_alerts("open")
    print(f"\nMonth over month, last {args.months} month(s) (kpi_mom; VND in whole đồng):")
    print(render(mom.columns, mom.rows), end="")
    print("\nNews facts read from the sample site (first rows; observations where source_kind = 'news'):")
    print(render(news.columns, news.rows), end="")
    print("\nQuarantined rows (kept in the `quarantine` table; `dkpi quarantine`):")
    columns = [c for c in quarantine.columns if c != "severity"]
    print(render(columns, [row[:6] + row[7:] for row in quarantine.rows]), end="")
    print(f"{skipped} row(s) skipped without error (totals, headings, empty cells): dkpi quarantine --all")
    print("\nOpen alerts (data-quality checks; the whole message: dkpi alerts; acknowledge: dkpi ack ID):")
    short = ("id", "severity", "check", "district", "metric", "period", "message")
    positions = [alerts.columns.index(column) for column in short]
    print(render(short, [[_clip(row[i]) if column == "message" else row[i] for column, i in zip(short, positions)]
                         for row in alerts.rows]), end="")
    print(f"\nQuery it yourself: duckdb {target} \"select * from kpi_mom\"")
    print(f"\nKPI report (scorecards, charts, alerts, sources; opens offline in a browser):\n{report}")
    return 0


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
