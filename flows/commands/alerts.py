"""dkpi alerts: list the data-quality alerts with their status, what they say and since when."""

from __future__ import annotations

from flows.commands._shared import UserError, add_format, settings

STATUSES = ("open", "acknowledged", "resolved", "all")
# the table is for reading on a terminal: the id to acknowledge, what and how bad, then the message
TABLE_COLUMNS = ("id", "severity", "status", "check", "district", "metric", "period", "occurrences", "last_seen_at", "message")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "alerts",
        help="list data-quality alerts (open by default) with their messages",
        description="List the alerts the data-quality checks raised: id (acknowledge with `dkpi ack ID`), severity, "
        "status, check, district, metric, month, the message in Vietnamese, when first and last seen and how many "
        "runs found it. The most severe and most recently seen first.",
    )
    parser.add_argument("--status", choices=STATUSES, default="open", help="which alerts (default: open)")
    add_format(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    import duckdb

    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            wh.require_schema()
            result = wh.list_alerts(args.status)
    except WarehouseError as error:
        raise UserError(str(error)) from None
    except duckdb.CatalogException:
        raise UserError("this warehouse has no alerts table yet: run `dkpi init` (or any load) to upgrade it") from None
    if args.format == "table":
        positions = [result.columns.index(column) for column in TABLE_COLUMNS]
        print(render(TABLE_COLUMNS, [[row[i] for i in positions] for row in result.rows]), end="")
    else:
        print(render(result.columns, result.rows, args.format), end="")
    return 0
