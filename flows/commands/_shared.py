"""Arguments and helpers several commands share."""

from __future__ import annotations

import argparse
import os
from datetime import date

from flows.output import FORMATS


class UserError(Exception):
    """An error the user can fix: printed as one line, exit status 2."""


def require_prefect_api() -> None:
    """Fail, saying how, unless PREFECT_API_URL names a Prefect server (deployments live there, not in a temporary one)."""
    if not os.environ.get("PREFECT_API_URL"):
        raise UserError(
            "PREFECT_API_URL is not set: start a server (`prefect server start`) and export "
            "PREFECT_API_URL=http://127.0.0.1:4200/api"
        )


def add_format(parser: argparse.ArgumentParser) -> None:
    """Add --format table|csv|json."""
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def month(text: str) -> date:
    """Parse a YYYY-MM argument into the month's first day: '2024-10' -> 2024-10-01."""
    try:
        year, month_number = text.split("-")
        return date(int(year), int(month_number), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2024-10") from None


def settings(args: argparse.Namespace):
    """Load settings with the global --warehouse override."""
    from flows.settings import ConfigError, load_settings

    try:
        return load_settings(warehouse=args.warehouse)
    except ConfigError as error:
        raise UserError(str(error)) from None


def district_filter(text: str) -> dict[str, str]:
    """Filter by unit id when the gazetteer knows the written form, else by the name as written."""
    from contracts.catalogue import gazetteer

    unit = gazetteer().resolve(text)
    return {"unit_id": unit.id} if unit else {"district": text}


def metric_code(text: str) -> str:
    """Resolve a metric code or label, or fail with the closest names."""
    from contracts.catalogue import metric_catalogue

    metric = metric_catalogue().resolve(text)
    if metric is None:
        hint = ", ".join(metric_catalogue().suggest(text))
        raise UserError(f"unknown metric {text!r}" + (f" (did you mean {hint}?)" if hint else ""))
    return metric.code
