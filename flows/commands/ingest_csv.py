"""dkpi ingest-csv: load department files through the ingest_departments flow."""

from __future__ import annotations

import argparse
import re

from flows.commands._shared import UserError, settings


def department_code(text: str) -> str:
    """Accept a department code like the mapping files use: 'tai_chinh_ke_hoach'."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a department code (lower case, digits, _: tai_chinh_ke_hoach)")
    return text


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest-csv",
        help="load department files: CSV/TSV in any encoding, or xlsx workbooks (bad rows are quarantined)",
        description="Load department files (CSV/TSV/TXT in UTF-8, UTF-16 or Windows-1258; xlsx/xls/ods, every sheet). "
        "Exit 0 when the files were processed, even with quarantined rows; 1 when a file could not be read at all "
        "(or, with --strict, had any quarantined row).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of files")
    parser.add_argument("--strict", action="store_true", help="refuse a file with any quarantined row; exit 1")
    parser.add_argument(
        "--department", metavar="CODE", type=department_code,
        help="department the files come from (e.g. tai_chinh_ke_hoach), when no mapping recognises them; "
        "a corrected file of the same department, district and period replaces the earlier one",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.ingest_departments import expand_paths

    try:
        expand_paths(args.paths)
    except FileNotFoundError as error:
        raise UserError(str(error)) from None
    config = settings(args)
    return ingest(
        args.paths, config.warehouse, strict=args.strict, department=args.department,
        lock_wait=config.lock_wait_seconds, alerts=config.alerts,
    )


def ingest(
    paths: list[str], target: str, *, strict: bool = False, department: str | None = None,
    lock_wait: float | None = None, alerts=None,
) -> int:
    """Run the flow on the paths, print the per-file summary; return the exit status."""
    from contracts.department_mappings import MappingError, department_mappings
    from flows.ingest_departments import ingest_departments

    try:
        department_mappings()  # a broken mapping file stops the run before any file, naming the file and key
    except MappingError as error:
        raise UserError(str(error)) from None
    outcomes = ingest_departments(paths, target, strict=strict, department=department, lock_wait=lock_wait,
                                  alerts=alerts)
    print_summary(outcomes)
    return 1 if any(o["status"] in ("failed", "skipped") for o in outcomes) else 0


def print_summary(outcomes: list[dict]) -> None:
    """Print one line per file and the totals."""
    from flows.output import render

    columns = ["file", "status", "rows_in", "loaded", "quarantined", "skipped", "message"]
    rows = [
        (o["source"], o["status"], o["rows_in"], o["rows_loaded"], o["rows_quarantined"], o["rows_skipped"],
         o["message"] or "")
        for o in outcomes
    ]
    print(render(columns, rows), end="")
    quarantined = sum(o["rows_quarantined"] for o in outcomes)
    failed = [o["source"] for o in outcomes if o["status"] in ("failed", "skipped")]
    skipped = sum(o["rows_skipped"] for o in outcomes)
    print("rows_in = loaded + quarantined + skipped (skipped: totals, group headings, empty cells; not errors)")
    if quarantined:
        print(f"{quarantined} row(s) quarantined with their reasons: dkpi quarantine")
    if skipped:
        print(f"{skipped} row(s) skipped with their reasons: dkpi quarantine --all")
    if failed:
        print(f"not loaded: {', '.join(failed)}")
