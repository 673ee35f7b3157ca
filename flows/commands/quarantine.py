"""dkpi quarantine: list rejected rows (file, sheet, row, column, raw value, rule, message) and files not loaded."""

from __future__ import annotations

from flows.commands._shared import UserError, add_format, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "quarantine",
        help="list rejected rows with their reasons, and files that could not be loaded",
        description="List the rows the contract rejected, with file, sheet, row number, column, raw value, rule and "
        "a message in Vietnamese, and the files not loaded at all. Rows of a file since replaced by a corrected "
        "file are left out unless --history.",
    )
    parser.add_argument("--file", metavar="NAME", help="only this file (its name as loaded, e.g. tay_ho_10_2024.csv)")
    parser.add_argument(
        "--all", action="store_true",
        help="also rows skipped without error (totals, group headings, empty cells) and warnings on loaded figures",
    )
    parser.add_argument("--history", action="store_true", help="also rows of files replaced by a corrected file")
    add_format(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    severities = ("error", "skipped", "warning") if args.all else ("error",)
    try:
        with Warehouse(settings(args).warehouse, read_only=True) as wh:
            wh.require_schema()
            result = wh.quarantine(file=args.file, severities=severities, include_replaced=args.history)
    except WarehouseError as error:
        raise UserError(str(error)) from None
    columns = result.columns if args.all else [c for c in result.columns if c != "severity"]
    rows = result.rows if args.all else [tuple(v for c, v in zip(result.columns, row) if c != "severity") for row in result.rows]
    print(render(columns, rows, args.format), end="")
    return 0
