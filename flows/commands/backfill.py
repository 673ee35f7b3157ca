"""dkpi backfill: re-read stored department files and news pages for a range of months, without fetching."""

from __future__ import annotations

from flows.commands._shared import UserError, month, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "backfill",
        help="re-read stored files and pages with the current parsers (no fetching), with a progress bar",
        description="Re-run parsing and extraction over the raw zone: department files whose figures or report "
        "period fall within the months, and news pages published or reporting within them. What now comes "
        "out differently replaces its own earlier rows (kept in history); what is the same is left alone.",
    )
    parser.add_argument("--from", dest="month_from", type=month, metavar="YYYY-MM")
    parser.add_argument("--to", dest="month_to", type=month, metavar="YYYY-MM")
    parser.add_argument("--all", action="store_true", help="every stored file and page (the monthly rebuild)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.backfill import backfill

    if not args.all and not (args.month_from and args.month_to):
        raise UserError("give --from YYYY-MM and --to YYYY-MM, or --all")
    if args.month_from and args.month_to and args.month_from > args.month_to:
        raise UserError("--from is after --to")
    config = settings(args)
    summary = backfill(config.warehouse, args.month_from, args.month_to, lock_wait=config.lock_wait_seconds,
                       alerts=config.alerts)
    if "skipped" in summary:
        print(f"skipped: {summary['skipped']}")
        return 1
    print(
        f"department files: {summary['files']} read, {summary['files_changed']} changed, "
        f"{summary['files_unchanged']} unchanged, {summary['files_failed']} unreadable; "
        f"news pages: {summary['pages']} read, {summary['pages_changed']} changed ({summary['facts_loaded']} facts loaded)"
    )
    return 1 if summary["files_failed"] else 0
