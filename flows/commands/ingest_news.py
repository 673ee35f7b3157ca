"""dkpi ingest-news: fetch article, feed or sitemap URLs ad hoc (or the configured sources) and load their facts."""

from __future__ import annotations

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "ingest-news",
        help="fetch news URLs (articles, RSS/Atom feeds, sitemaps) and load their facts",
        description="Fetch the given URLs politely (their hosts are allowed for this run); with no URL, the "
        "sources configured in dkpi.toml. Exit 0 when the run completed, even if some pages failed "
        "(they are listed); 1 when every page failed or the warehouse was busy.",
    )
    parser.add_argument("urls", nargs="*", metavar="URL")
    parser.set_defaults(handler=run)


def run(args) -> int:
    config = settings(args)
    bad = [url for url in args.urls if not url.startswith(("http://", "https://"))]
    if bad:
        raise UserError(f"not an http(s) URL: {', '.join(bad)}")
    if not args.urls and not config.news_sources:
        raise UserError(f"no URL given and no [[news.sources]] configured in {config.config_path or 'dkpi.toml'}")
    return ingest(config, urls=args.urls, sources=None if args.urls else list(config.news_sources))


def ingest(config, *, urls: list[str], sources) -> int:
    """Run the ingest_news flow and print its summary; return the exit status."""
    from flows.ingest_news import ingest_news

    from flows.commands.check import print_summary as print_checks

    summary = ingest_news(config.warehouse, sources=sources, urls=urls, fetch=config.fetch,
                          lock_wait=config.lock_wait_seconds, alerts=config.alerts)
    status = print_summary(summary)
    print_checks(summary.get("checks"))
    return status


def print_summary(summary: dict) -> int:
    """Print what the run did; return 1 when nothing could be fetched or the run was skipped."""
    if "skipped" in summary:
        print(f"skipped: {summary['skipped']}")
        return 1
    print(
        f"pages: {summary['pages_fetched']} fetched, {summary['pages_unchanged']} unchanged, "
        f"{summary['pages_failed']} failed; facts: {summary['facts_loaded']} loaded, "
        f"{summary['facts_quarantined']} quarantined"
    )
    for failure in summary["failures"]:
        print(f"  failed: {failure['url']}: {failure['error']}")
    attempted = summary["pages_fetched"] + summary["pages_unchanged"] + summary["pages_failed"]
    return 1 if attempted and summary["pages_failed"] == attempted else 0
