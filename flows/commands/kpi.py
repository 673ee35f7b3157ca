"""dkpi kpi: read the KPI views, filtered by district, metric and months."""

from __future__ import annotations

from flows.commands._shared import UserError, add_format, month, settings

VIEWS = {"monthly": "kpi_monthly", "mom": "kpi_mom"}


def register(subparsers) -> None:
    parser = subparsers.add_parser("kpi", help="show KPI figures (month over month by default)")
    parser.add_argument("--view", choices=VIEWS, default="mom", help="which KPI view (default: mom)")
    parser.add_argument("--district", help="district name ('Thanh Xuân', 'quan thanh xuan') or unit id")
    parser.add_argument("--metric", help="metric code or label ('budget_revenue', 'Thu NSNN')")
    parser.add_argument("--from", dest="month_from", type=month, metavar="YYYY-MM")
    parser.add_argument("--to", dest="month_to", type=month, metavar="YYYY-MM")
    add_format(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from contracts.catalogue import gazetteer, metric_catalogue
    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    filters = {"month_from": args.month_from, "month_to": args.month_to}
    if args.district:
        unit = gazetteer().resolve(args.district)
        filters.update({"unit_id": unit.id} if unit else {"district": args.district})
    if args.metric:
        metric = metric_catalogue().resolve(args.metric)
        if metric is None:
            hint = ", ".join(metric_catalogue().suggest(args.metric))
            raise UserError(f"unknown metric {args.metric!r}" + (f" (did you mean {hint}?)" if hint else ""))
        filters["metric"] = metric.code
    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            wh.require_schema()
            result = wh.kpi(VIEWS[args.view], **filters)
    except WarehouseError as error:
        raise UserError(str(error)) from None
    print(render(result.columns, result.rows, args.format), end="")
    return 0
