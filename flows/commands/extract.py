"""dkpi extract: read the KPI facts of news articles (HTML pages or UTF-8 text files) as a table or JSON lines."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

_HTML_SUFFIXES = (".html", ".htm")
_COLUMNS = (
    "district", "metric", "value", "qualifier", "as_of", "period", "% plan", "% same period", "growth %", "target",
)
_RIGHT_ALIGNED = {2, 6, 7, 8}  # numbers read best right-aligned


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the extract command."""
    parser = subparsers.add_parser(
        "extract",
        help="read KPI facts from news articles (.html/.htm pages or UTF-8 text files)",
        description="Read every catalogued KPI figure of each article. Text files may open with corpus-style "
        "'URL: …' / 'TITLE: …' lines and a blank line. No warehouse is needed.",
    )
    parser.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD",
                        help="publication date, for cut-offs written without a year (default: the page's, else none)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per input, one per line")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Extract and print the facts of every path."""
    import json

    from contracts.catalogue import gazetteer

    units = gazetteer()
    for path in args.paths:
        article = read_article(path, args.published, units)
        if args.json:
            print(json.dumps({
                "source": str(path), "title": article.title,
                "published": article.published.isoformat() if article.published else None,
                "facts": [fact.to_dict() for fact in article.facts],
            }, ensure_ascii=False))
        else:
            print(render_table(str(path), article))
    return 0


def read_article(path: Path, published: date | None, units):
    """Read one file as an article: HTML through trafilatura, anything else as UTF-8 text with an optional header."""
    from flows.cli import UserError
    from sources.news import extract_html, extract_text, split_header

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {path}: {error.strerror or error}") from error
    if path.suffix.lower() in _HTML_SUFFIXES:
        return extract_html(raw, published=published, gazetteer=units)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8 or as .html") from error
    header, body = split_header(text)
    return extract_text(body, published=published, gazetteer=units, title=header.get("title"), url=header.get("url"))


def render_table(source: str, article) -> str:
    """Lay an article's facts out in aligned columns, figures written the Vietnamese way."""
    from sources.numbers import format_number, format_vnd

    def percent(value: float | None) -> str:
        return f"{format_number(value)}%" if value is not None else ""

    def value(fact) -> str:
        if fact.unit == "VND":
            return format_vnd(fact.value)
        return percent(fact.value) if fact.unit == "percent" else format_number(fact.value)

    rows = [
        (
            fact.district or "?", fact.metric, value(fact), fact.qualifier or "",
            fact.as_of.isoformat() if fact.as_of else "", fact.period, percent(fact.pct_of_plan),
            percent(fact.pct_of_same_period), percent(fact.growth_pct), "yes" if fact.is_target else "",
        )
        for fact in article.facts
    ]
    heading = f"{source}: {article.title or '(no title)'}"
    if article.published:
        heading += f" ({article.published.isoformat()})"
    if not rows:
        return f"{heading}\n  no KPI figures found\n"
    widths = [max(len(row[index]) for row in [_COLUMNS, *rows]) for index in range(len(_COLUMNS))]

    def line(row) -> str:
        cells = (cell.rjust(width) if index in _RIGHT_ALIGNED else cell.ljust(width)
                 for index, (cell, width) in enumerate(zip(row, widths)))
        return ("  " + "  ".join(cells)).rstrip()

    lines = [line(row) for row in [_COLUMNS, *rows]]
    lines.insert(1, "  " + "  ".join("-" * width for width in widths))
    return "\n".join([heading, *lines, ""])


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2024-11-08") from error
