"""dkpi ack: acknowledge an alert, so it is not sent again while it keeps failing."""

from __future__ import annotations

import getpass

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ack",
        help="acknowledge an alert: it stays quiet while it keeps failing, and resolves when its check passes",
        description="Acknowledge the alert with this id (or a unique prefix of it, at least 4 characters, as "
        "`dkpi alerts` shows). It is not sent again while its check keeps failing at the same or a lower severity; "
        "it opens again if the severity rises, and resolves by itself when the check passes.",
    )
    parser.add_argument("alert_id", metavar="ID")
    parser.add_argument("--by", default=None, help="who acknowledges (default: the current user)")
    parser.add_argument("--note", default=None, help="why, or what is being done about it")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from datetime import UTC, datetime

    from flows.output import render
    from warehouse import Warehouse, WarehouseError

    config = settings(args)
    try:
        with Warehouse(config.warehouse, wait=config.lock_wait_seconds) as wh:
            wh.require_schema()
            result = wh.acknowledge(args.alert_id.lower(), by=args.by or getpass.getuser(), note=args.note,
                                    now=datetime.now(UTC))
    except WarehouseError as error:
        raise UserError(str(error)) from None
    row = dict(zip(result.columns, result.rows[0], strict=True))
    print(f"acknowledged {row['id']} ({row['severity']}, {row['check']}) by {row['acknowledged_by']}")
    print(render(["message"], [[row["message"]]]), end="")
    return 0
