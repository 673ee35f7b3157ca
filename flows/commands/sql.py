"""dkpi sql: run one read-only SQL query against the warehouse."""

from __future__ import annotations

from flows.commands._shared import UserError, add_format, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("sql", help="run a read-only SQL query")
    parser.add_argument("query", metavar="QUERY", help='e.g. "select * from kpi_mom limit 10"')
    add_format(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    import duckdb

    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            result = wh.query(args.query)
    except WarehouseError as error:
        raise UserError(str(error)) from None
    except duckdb.Error as error:
        raise UserError(str(error).splitlines()[0]) from None
    print(render(result.columns, result.rows, args.format), end="")
    return 0
