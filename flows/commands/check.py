"""dkpi check: run the data-quality checks now, update the alerts and send the notifications that are due."""

from __future__ import annotations

from flows.commands._shared import settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "check",
        help="run the data-quality checks now; alerts that are new, re-opened or resolved are sent",
        description="Run every check in sql/checks against the warehouse (as every load does at its end), update "
        "the alerts and deliver the notifications due by the [alerts] routes. Exit 0 when every check ran (whatever "
        "it found: see `dkpi alerts`), 1 when a check could not run or the warehouse was busy.",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.run_checks import run_checks

    config = settings(args)
    return print_summary(run_checks(config.warehouse, alerts=config.alerts, lock_wait=config.lock_wait_seconds))


def print_summary(summary: dict | None) -> int:
    """Print what a checks run did; return 1 when a check could not run or the run did not happen."""
    if summary is None:
        return 0
    if "skipped" in summary or "error" in summary:
        print(f"checks: not run: {summary.get('skipped') or summary['error']}")
        return 1
    print(
        f"checks: {summary['checks']} run, {len(summary['failed_checks'])} failed; alerts: {summary['opened']} new, "
        f"{summary['reopened']} re-opened, {summary['still_failing']} still failing, {summary['resolved']} resolved; "
        f"notifications: {summary['deliveries']} delivered, {summary['failed_deliveries']} failed (dkpi alerts)"
    )
    for failed in summary["failed_checks"]:
        print(f"  check {failed['check']} could not run: {failed['error']}")
    return 1 if summary["failed_checks"] else 0
