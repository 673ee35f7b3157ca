"""dkpi kpi: read the KPI views, filtered by district, metric and months."""

from __future__ import annotations

from flows.commands._shared import UserError, add_format, district_filter, metric_code, month, settings

VIEWS = {
    "monthly": "kpi_monthly",
    "mom": "kpi_mom",
    "yoy": "kpi_yoy",
    "plan": "kpi_plan_progress",
    "latest": "kpi_latest",
    "scorecard": "kpi_scorecard",
    "reconciliation": "kpi_reconciliation",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser("kpi", help="show KPI figures (month over month by default)")
    parser.add_argument("--view", choices=VIEWS, default="mom", help="which KPI view (default: mom)")
    parser.add_argument("--district", help="district name ('Thanh Xuân', 'quan thanh xuan') or unit id")
    parser.add_argument("--metric", help="metric code or label ('budget_revenue', 'Thu NSNN'); not for --view scorecard")
    parser.add_argument("--from", dest="month_from", type=month, metavar="YYYY-MM")
    parser.add_argument("--to", dest="month_to", type=month, metavar="YYYY-MM")
    add_format(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    filters = {"month_from": args.month_from, "month_to": args.month_to}
    if args.district:
        filters.update(district_filter(args.district))
    if args.metric:
        filters["metric"] = metric_code(args.metric)
    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            wh.require_schema()
            result = wh.kpi(VIEWS[args.view], **filters)
    except (WarehouseError, ValueError) as error:
        raise UserError(str(error)) from None
    print(render(result.columns, result.rows, args.format), end="")
    return 0

