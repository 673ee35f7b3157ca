"""dkpi report: write the KPI report, one HTML file that opens offline (scorecards, charts, alerts, sources)."""

from __future__ import annotations

from flows.commands._shared import UserError, district_filter, month, settings
from flows.settings import PROJECT_DIR

DEFAULT_OUT = PROJECT_DIR / "out" / "report.html"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="write the KPI report: one self-contained HTML file (charts work offline)"
    )
    parser.add_argument("--district", help="only this district ('Thanh Xuân', 'quan thanh xuan' or a unit id)")
    parser.add_argument("--month", type=month, metavar="YYYY-MM",
                        help="report month (default: each district's latest month with figures)")
    parser.add_argument("--out", metavar="PATH",
                        help="file to write (default: [report] out in the config, else out/report.html)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from reports import read_report, write_report
    from warehouse import WarehouseError

    config = settings(args)
    try:
        report = read_report(config.warehouse, month=args.month, timezone=config.schedules.timezone,
                             **(district_filter(args.district) if args.district else {}))
    except WarehouseError as error:
        raise UserError(str(error)) from None
    if not report.districts:
        wanted = f" for {args.district}" if args.district else ""
        until = f" up to {args.month:%Y-%m}" if args.month else ""
        raise UserError(f"no KPI figures{wanted}{until} in {config.warehouse}: nothing to report")
    path = write_report(report, args.out or config.report_out or DEFAULT_OUT)
    districts = ", ".join(f"{d.name} {d.month:%m/%Y}" for d in report.districts)
    print(f"{path}\n  {len(report.districts)} district(s): {districts}")
    return 0
