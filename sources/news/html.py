"""Take an article's main text, title and date out of an HTML page with trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import trafilatura


_DATE_FROM_METADATA = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Page:
    """What trafilatura keeps of a page: the main text (paragraphs on their own lines), title and date."""

    text: str
    title: str | None
    published: date | None


def read_page(html: str | bytes, url: str | None = None) -> Page:
    """Extract a page's main text without reader comments, with its title and publication date when stated.

    Precision over recall: news pages list other stories with their lead sentences, and a lead that
    slipped into the text would lend another district's figures to this article. Likewise the date comes
    from the page's metadata only: a date guessed from the page's words may be a related story's.
    """
    document = trafilatura.bare_extraction(
        html, url=url, include_comments=False, favor_precision=True, with_metadata=True,
        date_extraction_params=_DATE_FROM_METADATA,
    )
    if document is None:
        return Page("", None, None)
    return Page(document.text or "", document.title or None, _iso_date(document.date))


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
