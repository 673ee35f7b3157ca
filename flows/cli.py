"""The `dkpi` command line: one module per command under flows/commands, imported only to build the parser."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from flows.commands._shared import UserError

# Command modules in help order. Each defines register(subparsers) and keeps heavy imports
# (prefect, duckdb, polars) inside its handler so `dkpi extract` and `dkpi --help` start fast.
COMMAND_MODULES = (
    "init",
    "ingest_csv",
    "ingest_news",
    "extract",
    "reextract",
    "backfill",
    "run",
    "serve",
    "deploy",
    "maintain",
    "kpi",
    "explain",
    "quarantine",
    "alerts",
    "ack",
    "check",
    "report",
    "sql",
    "docs",
    "demo",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="dkpi",
        description="District KPI warehouse: Vietnamese news and department files -> DuckDB.",
    )
    parser.add_argument(
        "--warehouse",
        help="warehouse file, or a DuckLake catalog 'ducklake:postgres:<conninfo> [data_path=…]' "
        "(default: $DKPI_WAREHOUSE or warehouse/dkpi.duckdb)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"flows.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one dkpi command and return its exit status."""
    # Air-gapped sites: a temporary Prefect server started for a run must not try to send telemetry.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(f"dkpi {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
