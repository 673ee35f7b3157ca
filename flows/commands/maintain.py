"""dkpi maintain: DuckLake upkeep — expire old snapshots, compact small files, delete files nothing uses."""

from __future__ import annotations

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "maintain",
        help="DuckLake upkeep: expire old snapshots, compact files, delete unused files",
        description="For a DuckLake warehouse: expire snapshots older than --expire-days (time travel to them ends), "
        "merge adjacent small files (and with --flush-inlined move the small inserts kept in the catalog into "
        "Parquet: readers already connected must then reconnect), then delete the data "
        "files that were scheduled for deletion more than --delete-after-days ago (readers still scanning them "
        "are not broken). Safe while loaders run. Schedule it daily or weekly (cron, or a Prefect deployment).",
    )
    parser.add_argument("--expire-days", type=float, default=30, help="keep snapshots this many days (default 30)")
    parser.add_argument("--delete-after-days", type=float, default=7,
                        help="delete unused files this many days after they were scheduled for deletion (default 7)")
    parser.add_argument("--flush-inlined", action="store_true",
                        help="also move small inserts kept in the catalog into Parquet files (connections open "
                        "elsewhere fail until they reconnect: run it when no reader or loader is connected)")
    parser.add_argument("--dry-run", action="store_true", help="say what would be expired and deleted; change nothing")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from warehouse import Warehouse, WarehouseError
    from warehouse.lake import lake_target

    target = settings(args).warehouse
    if lake_target(target) is None:  # said before opening it, which would start a writer session on the file
        raise UserError(f"{target} is a local file: dkpi maintain is for DuckLake warehouses (ducklake:postgres:…)")
    try:
        with Warehouse(target) as wh:
            done = wh.maintain(expire_days=args.expire_days, delete_after_days=args.delete_after_days,
                               dry_run=args.dry_run, flush_inlined=args.flush_inlined)
            target = wh.target
    except WarehouseError as error:
        raise UserError(str(error)) from None
    verb = "would be" if args.dry_run else "were"
    print(f"warehouse {target}")
    print(f"  snapshots older than {args.expire_days:g} days {verb} expired: {done.snapshots_expired}"
          f" ({done.snapshots_left} kept)")
    if args.flush_inlined and not args.dry_run:
        print(f"  rows moved from the catalog into Parquet: {done.rows_flushed}")
    if not args.dry_run:
        print(f"  small files merged: {done.files_merged} into {done.files_created}")
    print(f"  unused files {verb} deleted: {done.files_deleted}")
    return 0
