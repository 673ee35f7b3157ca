"""dkpi reextract: read the stored raw pages again with the current extractor, without fetching."""

from __future__ import annotations

from flows.commands._shared import settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "reextract", help="re-read stored news pages with the current extractor (no fetching)"
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="only these pages (default: every stored page)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.ingest_news import reextract_news

    config = settings(args)
    summary = reextract_news(config.warehouse, urls=args.urls or None, lock_wait=config.lock_wait_seconds,
                             alerts=config.alerts)
    if "skipped" in summary:
        print(f"skipped: {summary['skipped']}")
        return 1
    print(f"articles changed: {summary['articles_changed']}; facts loaded: {summary['facts_loaded']}, "
          f"quarantined: {summary['facts_quarantined']}")
    return 0
