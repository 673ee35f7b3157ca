"""dkpi ingest-csv: load department files through the ingest_departments flow."""

from __future__ import annotations

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest-csv",
        help="load department CSV files (rows failing the contract are quarantined)",
        description="Load department files. Exit 0 when the files were processed, even with quarantined rows; "
        "1 when a file could not be read at all (or, with --strict, had any quarantined row).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of files")
    parser.add_argument("--strict", action="store_true", help="refuse a file with any quarantined row; exit 1")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.ingest_departments import expand_paths

    try:
        expand_paths(args.paths)
    except FileNotFoundError as error:
        raise UserError(str(error)) from None
    config = settings(args)
    return ingest(args.paths, config.warehouse, strict=args.strict, lock_wait=config.lock_wait_seconds)


def ingest(paths: list[str], target: str, *, strict: bool = False, lock_wait: float | None = None) -> int:
    """Run the flow on the paths, print the per-file summary; return the exit status."""
    from flows.ingest_departments import ingest_departments

    outcomes = ingest_departments(paths, target, strict=strict, lock_wait=lock_wait)
    print_summary(outcomes)
    return 1 if any(o["status"] in ("failed", "skipped") for o in outcomes) else 0


def print_summary(outcomes: list[dict]) -> None:
    """Print one line per file and the totals."""
    from flows.output import render

    columns = ["file", "status", "rows_in", "loaded", "quarantined", "message"]
    rows = [
        (o["source"], o["status"], o["rows_in"], o["rows_loaded"], o["rows_quarantined"], o["message"] or "")
        for o in outcomes
    ]
    print(render(columns, rows), end="")
    quarantined = sum(o["rows_quarantined"] for o in outcomes)
    failed = [o["source"] for o in outcomes if o["status"] in ("failed", "skipped")]
    if quarantined:
        print(f"{quarantined} row(s) quarantined with their reasons: dkpi quarantine")
    if failed:
        print(f"not loaded: {', '.join(failed)}")
