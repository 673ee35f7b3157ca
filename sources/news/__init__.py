"""Read KPI facts out of Vietnamese news about district People's Committee meetings.

Pure parsing: text (or an HTML page, through trafilatura) in, `Fact`s out; no I/O. The caller passes the
`Gazetteer` of known units (the CLI passes `contracts.catalogue.gazetteer()`).
"""

from __future__ import annotations

from datetime import date

from sources.gazetteer import Gazetteer
from sources.news.comparisons import PlanRatio
from sources.news.document import split_header
from sources.news.extract import extract_text
from sources.news.facts import Article, Fact

__all__ = ["Article", "Fact", "PlanRatio", "extract_html", "extract_text", "split_header"]


def extract_html(
    html: str | bytes,
    *,
    url: str | None = None,
    published: date | None = None,
    gazetteer: Gazetteer | None = None,
    district_hint: str | None = None,
) -> Article:
    """Read the facts of an HTML page; offsets index into trafilatura's text; the page's date serves if none is given."""
    from sources.news.html import read_page  # trafilatura is imported only when a page is read

    page = read_page(html, url)
    return extract_text(
        page.text, published=published or page.published, gazetteer=gazetteer, district_hint=district_hint,
        title=page.title, url=url,
    )
