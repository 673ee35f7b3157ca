"""dkpi run: ingest everything the configuration lists (what the scheduled runs do)."""

from __future__ import annotations

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="ingest every configured source (dkpi.toml): department files, then news")
    parser.add_argument("--report", metavar="PATH",
                        help="then write the KPI report here (default: [report] out in the config, if set)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from dataclasses import replace
    from pathlib import Path

    config = settings(args)
    if args.report:
        config = replace(config, report_out=Path(args.report))
    if not config.department_inbox and not config.news_sources:
        raise UserError(f"nothing to ingest: no [departments] inbox and no [[news.sources]] in {config.config_path}")
    missing = [str(p) for p in config.department_inbox if not p.exists()]
    if missing:
        raise UserError(f"configured inbox not found: {', '.join(missing)} (in {config.config_path})")
    return refresh_and_report(config)


def refresh_and_report(config) -> int:
    """Run the refresh flow and print what it did; return the exit status."""
    from flows.commands.check import print_summary as print_checks
    from flows.commands.ingest_csv import print_summary as print_files
    from flows.commands.ingest_news import print_summary as print_news
    from flows.pipeline import refresh

    result = refresh(config)
    if "skipped" in result:
        print(f"skipped: {result['skipped']}")
        return 1
    status = 0
    if result["departments"]:
        print("Department files:")
        print_files(result["departments"])
        status |= any(o["status"] in ("failed", "skipped") for o in result["departments"])
    if result["news"] is not None:
        print("News:")
        status |= print_news(result["news"])
    print_checks(result["checks"])
    if result["report"] is not None:
        print(f"KPI report: {result['report']}")
    return int(status)
