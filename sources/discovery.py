"""Find article URLs in a source's start pages: RSS/Atom feeds, sitemaps and sitemap indexes, listing pages.

Pure functions of (page URL, decoded text). Whether a fetched HTML page really is an article is left to the
extractor, which has its main text to judge by; discovery narrows links to articles with the source's link
pattern, applied to feed, sitemap and listing links alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import feedparser
import lxml.etree
import lxml.html

from sources.urls import HostAllowlist, absolute_link

# Page kinds, told apart by detect_kind.
FEED = "feed"
SITEMAP = "sitemap"
HTML = "html"
UNKNOWN = "unknown"
# Link kinds: an article to fetch and extract, or a child sitemap to fetch and discover from again.
ARTICLE = "article"

_ROOT_KINDS = {"rss": FEED, "feed": FEED, "rdf": FEED, "urlset": SITEMAP, "sitemapindex": SITEMAP}
_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)
_FIRST_ELEMENT = re.compile(r"<([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)")
_HTML_ELEMENT = re.compile(r"<(html|body)\b", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
_SNIFF_CHARS = 65536


@dataclass(frozen=True)
class DiscoveredLink:
    """A link found on a start page, with what the page said about it."""

    url: str
    title: str | None = None
    published: datetime | None = None  # UTC; a feed's published/updated, a sitemap's news date or lastmod
    kind: str = ARTICLE  # article | sitemap


class DiscoveryError(ValueError):
    """A start page that discovery cannot read links from."""


def detect_kind(text: str) -> str:
    """Tell a feed from a sitemap from an HTML page by its root element: '<?xml ...?><urlset ...>' -> 'sitemap'."""
    head = _PROLOG.sub("", text[:_SNIFF_CHARS])
    first = _FIRST_ELEMENT.search(head)
    kind = _ROOT_KINDS.get(first.group(2).lower()) if first else None
    if kind is None and _HTML_ELEMENT.search(head):
        kind = HTML
    return kind or UNKNOWN


def discover(url: str, text: str, *, allowed_hosts: Iterable[str],
             link_pattern: str | re.Pattern[str] | None = None) -> list[DiscoveredLink]:
    """List the article (and child sitemap) links of a start page on allowed hosts, deduplicated, in page order."""
    kind = detect_kind(text)
    if kind == FEED:
        links = feed_links(url, text)
    elif kind == SITEMAP:
        links = sitemap_links(url, text)
    elif kind == HTML and link_pattern is not None:
        links = listing_links(url, text)
    elif kind == HTML:
        raise DiscoveryError(f"{url}: a listing page needs the source's link_pattern to pick article links")
    else:
        raise DiscoveryError(f"{url}: neither a feed, a sitemap nor an HTML page")
    return _kept(links, HostAllowlist(allowed_hosts), re.compile(link_pattern) if link_pattern else None)


def feed_links(url: str, text: str) -> list[DiscoveredLink]:
    """List the entries of an RSS 0.9x/1.0/2.0 or Atom feed with their titles and dates, links made absolute."""
    # feedparser reads only bytes as a document (a str may be taken for a URL or file name).
    parsed = feedparser.parse(_xml_bytes(text), response_headers={"content-location": url})
    links = []
    for entry in parsed.entries:
        target = absolute_link(url, entry.get("link") or "")
        if target:
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            published = datetime(*stamp[:6], tzinfo=UTC) if stamp else None
            links.append(DiscoveredLink(target, _clean(entry.get("title")), published))
    return links


def sitemap_links(url: str, text: str) -> list[DiscoveredLink]:
    """List a sitemap's pages (with Google News title and date when given) or a sitemap index's child sitemaps."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(_xml_bytes(text), parser=parser)
    if root is None:
        return []
    is_index = lxml.etree.QName(root).localname == "sitemapindex"
    entries = root.xpath("*[local-name()='sitemap']" if is_index else "*[local-name()='url']")
    return [link for entry in entries if (link := _sitemap_entry(url, entry, is_index))]


def listing_links(url: str, text: str) -> list[DiscoveredLink]:
    """List every <a href> of an HTML page, absolute (honouring <base href>), titled by its text or title attribute."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        document = lxml.html.fromstring(text.encode("utf-8"), parser=parser)
    except lxml.etree.ParserError:  # an empty or whitespace-only page
        return []
    base = next(iter(document.xpath("//base/@href")), None)
    page = (absolute_link(url, base) if base else None) or url
    return [
        DiscoveredLink(target, _clean(anchor.text_content()) or _clean(anchor.get("title")))
        for anchor in document.iter("a")
        if (target := absolute_link(page, anchor.get("href") or ""))
    ]


def _sitemap_entry(url: str, entry: lxml.etree._Element, is_index: bool) -> DiscoveredLink | None:
    """Read one <url> or <sitemap> entry."""
    target = absolute_link(url, _child_text(entry, "loc") or "")
    if target is None:
        return None
    if is_index:
        return DiscoveredLink(target, published=_w3c_datetime(_child_text(entry, "lastmod")), kind=SITEMAP)
    published = _child_text(entry, "news", "publication_date") or _child_text(entry, "lastmod")
    return DiscoveredLink(target, _clean(_child_text(entry, "news", "title")), _w3c_datetime(published))


def _child_text(element: lxml.etree._Element, *path: str) -> str | None:
    """Return the text at a path of local names, whatever the namespace: (url, 'news', 'title') -> 'Thu ngân sách …'."""
    steps = "/".join(f"*[local-name()='{name}']" for name in path)
    found = element.xpath(f"{steps}/text()")
    return str(found[0]).strip() if found else None


def _w3c_datetime(value: str | None) -> datetime | None:
    """Read a sitemap date in UTC: '2024-11-08T10:15:00+07:00' -> 03:15 UTC; a bare date -> its midnight UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _kept(links: Iterable[DiscoveredLink], hosts: HostAllowlist,
          pattern: re.Pattern[str] | None) -> list[DiscoveredLink]:
    """Keep links on allowed hosts (articles also matching the pattern), one per URL, first title and date kept."""
    by_url: dict[str, DiscoveredLink] = {}
    for link in _wanted(links, hosts, pattern):
        seen = by_url.get(link.url)
        by_url[link.url] = link if seen is None else replace(
            seen, title=seen.title or link.title, published=seen.published or link.published
        )
    return list(by_url.values())


def _wanted(links: Iterable[DiscoveredLink], hosts: HostAllowlist,
            pattern: re.Pattern[str] | None) -> Iterator[DiscoveredLink]:
    """Yield the links discovery should return."""
    for link in links:
        if hosts.allows(link.url) and (link.kind != ARTICLE or pattern is None or pattern.search(link.url)):
            yield link


def _xml_bytes(text: str) -> bytes:
    """Encode decoded XML as UTF-8 for a parser, dropping a declaration that names the original charset."""
    return _XML_DECLARATION.sub("", text, count=1).encode("utf-8")


def _clean(text: str | None) -> str | None:
    """Collapse whitespace; None for nothing left: '  Thu ngân\\n sách ' -> 'Thu ngân sách'."""
    cleaned = " ".join((text or "").split())
    return cleaned or None
