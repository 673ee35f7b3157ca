"""Prefect flow `ingest_news`: discover article links, fetch politely in batches, keep raw pages, extract, validate, load."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from contracts.catalogue import gazetteer
from contracts.door import Validated
from contracts.news import facts_frame, validate_news
from flows.sample_site import serve_site
from flows.run_checks import checks_after_load
from flows.settings import AlertSettings, FetchSettings, NewsSource
from flows.tasks import prepare_warehouse
from sources.discovery import ARTICLE, FEED, SITEMAP, DiscoveredLink, DiscoveryError, detect_kind, discover
from sources.fetch.charset import decode_body
from sources.fetch.interface import FetchError, FetchResult
from sources.fetch.polite import PoliteFetcher
from sources.news import Article, extract_html, extract_text
from warehouse import Warehouse, WarehouseBusy, writing
from warehouse.news import ArticleVersion, Page, facts_fingerprint, load_article, log_fetch, stored_pages, validators

MAX_SITEMAP_DEPTH = 3


@dataclass(frozen=True)
class Target:
    """A page to fetch as an article, with what discovery knew about it."""

    url: str
    source: str
    district_hint: str | None = None
    published: date | None = None


@dataclass
class Summary:
    """Counts for the run summary; failures keep their URL and reason."""

    pages_fetched: int = 0
    pages_unchanged: int = 0
    pages_failed: int = 0
    facts_loaded: int = 0
    facts_quarantined: int = 0
    articles_changed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Summary) -> None:
        for name in ("pages_fetched", "pages_unchanged", "pages_failed", "facts_loaded", "facts_quarantined",
                     "articles_changed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures += other.failures

    def as_dict(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "failures"},
                "failures": [{"url": url, "error": error} for url, error in self.failures]}


@dataclass(frozen=True)
class Extraction:
    """One fetched page read into an article version with its facts split by the contract."""

    page: Page
    article: ArticleVersion
    checked: Validated


def _fetcher(settings: FetchSettings, sources: Iterable[NewsSource], extra_hosts: Iterable[str]) -> PoliteFetcher:
    sources = list(sources)
    hosts = {host for source in sources for host in source.allowed_hosts} | set(extra_hosts)
    return PoliteFetcher(
        hosts, user_agent=settings.user_agent, timeout_connect=settings.timeout_connect,
        timeout_read=settings.timeout_read, max_bytes=settings.max_bytes, max_retries=settings.max_retries,
        backoff_base=settings.backoff_base,
        host_rate_limits={host: source.rate_limit for source in sources for host in source.allowed_hosts},
    )


def _fetch(fetcher: PoliteFetcher, url: str, known: tuple[str | None, str | None] | None = None) -> FetchResult:
    etag, modified = known or (None, None)
    try:
        return fetcher.fetch(url, etag=etag, last_modified=modified)
    except FetchError as error:
        return FetchResult.failed(url, error, datetime.now(UTC))


@task(cache_policy=NONE)
def discover_source(fetcher: PoliteFetcher, source: NewsSource, limit: int) -> tuple[list[Target], list[FetchResult]]:
    """Fetch a source's start pages (feeds, sitemaps, listings) and list its article links; failures are returned."""
    targets: list[Target] = []
    failed: list[FetchResult] = []
    pending = [(url, 0) for url in source.start_urls]
    seen: set[str] = set()
    while pending and len(targets) < limit:
        url, depth = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        result = _fetch(fetcher, url)
        if result.error:
            failed.append(result)
            continue
        try:
            links = discover(url, result.text or "", allowed_hosts=source.allowed_hosts, link_pattern=source.link_pattern)
        except DiscoveryError as error:
            failed.append(replace(result, error=f"DiscoveryError: {error}"))
            continue
        for link in links:
            if link.kind == SITEMAP and depth < MAX_SITEMAP_DEPTH:
                pending.append((link.url, depth + 1))
            elif link.kind == ARTICLE:
                targets.append(_target(link, source))
    return _unique(targets)[:limit], failed


@task(cache_policy=NONE)
def fetch_batch(fetcher: PoliteFetcher, urls: list[str], known: dict) -> list[FetchResult]:
    """Fetch a batch of pages, conditionally when we hold validators; one page's failure is its own result."""
    return [_fetch(fetcher, url, known.get(url)) for url in urls]


@task(cache_policy=NONE)
def extract_batch(results: list[FetchResult], targets: dict[str, Target]) -> list[Extraction | FetchResult]:
    """Read each fetched page into facts and split them by the news contract (pure work)."""
    return [
        result if result.error or result.status == 304 else _extract_or_fail(_page(result), result, targets.get(result.url))
        for result in results
    ]


def _extract_or_fail(page: Page, result: FetchResult, target: Target | None) -> Extraction | FetchResult:
    """Extract a page; an extractor bug fails that page alone, with the reason, and keeps the run going."""
    try:
        return extract_page(page, target)
    except Exception as error:  # noqa: BLE001 - one bad page must not stop the batch; the reason is recorded
        return replace(result, error=f"ExtractionError: {type(error).__name__}: {error}")


@task(retries=2, retry_delay_seconds=[2, 10], cache_policy=NONE)
def load_batch(target: str, items: list[Extraction | FetchResult], run_id: str | None, log: bool = True) -> Summary:
    """Load each page in its own transaction and log every fetch; retried as a whole, each page is idempotent."""
    summary = Summary()
    with Warehouse(target) as wh:
        for item in items:
            if isinstance(item, FetchResult):
                outcome = "failed" if item.error else "unchanged"
                log_fetch(wh.con, run_id, item.url, item.fetched_at, item.status, outcome, item.attempts, item.error)
                if item.error:
                    summary.pages_failed += 1
                    summary.failures.append((item.url, item.error))
                else:
                    summary.pages_unchanged += 1
                continue
            result = load_article(
                wh.con, item.page, item.article, valid=item.checked.valid, rejected=item.checked.rejected,
                rows_in=item.checked.rows_in, flow_run_id=run_id,
            )
            changed = result.status == "success"
            if log:
                log_fetch(wh.con, run_id, item.page.url, item.page.fetched_at, item.page.status,
                          "fetched" if changed else "unchanged", None, None)
            summary.pages_fetched += changed
            summary.pages_unchanged += not changed
            summary.articles_changed += changed
            summary.facts_loaded += result.rows_loaded
            summary.facts_quarantined += result.rows_quarantined
    return summary


def _target(link: DiscoveredLink, source: NewsSource) -> Target:
    published = link.published.date() if link.published else None
    return Target(link.url, source.name, source.district_hint, published)


def _unique(targets: list[Target]) -> list[Target]:
    return list({target.url: target for target in reversed(targets)}.values())[::-1]


def _page(result: FetchResult) -> Page:
    encoding = f"{result.encoding} ({result.encoding_source})" if result.encoding else None
    return Page(result.url, result.final_url, result.status or 0, dict(result.headers), encoding, result.fetched_at,
                result.body or b"")


def extract_page(page: Page, target: Target | None) -> Extraction:
    """Extract an article from a page's HTML; a feed's date serves when the page states none.

    The body is decoded by the fetcher's charset rules, so a re-extraction from the raw zone reads the same text.
    """
    hint = target.district_hint if target else None
    html = decode_body(page.body, page.headers.get("content-type")).text
    article: Article = extract_html(html, url=page.url, gazetteer=gazetteer(), district_hint=hint)
    if article.published is None and target and target.published:
        article = extract_text(article.text, published=target.published, gazetteer=gazetteer(),
                               district_hint=hint, title=article.title, url=page.url)
    facts = [fact.to_dict() for fact in article.facts]
    checked = validate_news(facts_frame(facts, published=article.published, gazetteer=gazetteer()))
    districts = sorted({fact["district"] for fact in facts if fact.get("district")})
    version = ArticleVersion(page.url, article.title, article.published, article.text, districts,
                             facts_fingerprint(facts))
    return Extraction(page, version, checked)


def _expand_ad_hoc(fetcher: PoliteFetcher, urls: list[str], limit: int) -> tuple[list[Target], list[FetchResult]]:
    """Fetch each ad hoc URL once: a feed or sitemap yields targets, an article page its own result."""
    targets, results = [], []
    for url in urls:
        result = _fetch(fetcher, url)
        if not result.error and detect_kind(result.text or "") in (FEED, SITEMAP):
            source = NewsSource(name="ad hoc", start_urls=(url,), allowed_hosts=tuple(fetcher.allowed.hosts))
            found, failed = discover_source.fn(fetcher, source, limit)
            targets += found
            results += failed
        else:
            results.append(result)
    return targets, results


@flow(name="ingest_news", log_prints=False)
def ingest_news(
    warehouse: str,
    sources: list[NewsSource] | None = None,
    urls: list[str] | None = None,
    fetch: FetchSettings | None = None,
    lock_wait: float | None = None,
    alerts: AlertSettings | None = None,
    checks: bool = True,
) -> dict:
    """Ingest news: discover, fetch in batches, keep every page, load each article's facts once; then run the
    data-quality checks (unless `checks` is off: a flow that loads more runs them once at its end)."""
    logger = get_run_logger()
    settings = fetch or FetchSettings()
    try:
        with writing(warehouse, wait=lock_wait, purpose=f"ingest_news run {flow_run.id}"), ExitStack() as stack:
            prepare_warehouse(warehouse)
            sources = [stack.enter_context(serve_site(s)) if s.site_dir else s for s in (sources or [])]
            ad_hoc_hosts = {host for url in urls or [] if (host := _host(url))}
            fetcher = stack.enter_context(_fetcher(settings, sources, ad_hoc_hosts))
            summary = _run(warehouse, fetcher, sources, urls or [], settings, logger)
            checked = checks_after_load(warehouse, alerts, logger) if checks else None
    except WarehouseBusy as busy:
        logger.warning("ingest_news skipped: %s", busy)
        return {"skipped": str(busy)}
    logger.info(
        "ingest_news: %d page(s) fetched, %d unchanged, %d failed; %d fact(s) loaded, %d quarantined",
        summary.pages_fetched, summary.pages_unchanged, summary.pages_failed, summary.facts_loaded,
        summary.facts_quarantined,
    )
    for url, error in summary.failures:
        logger.warning("failed: %s — %s", url, error)
    return {**summary.as_dict(), "checks": checked}


def _run(warehouse: str, fetcher: PoliteFetcher, sources: list[NewsSource], urls: list[str],
         settings: FetchSettings, logger) -> Summary:
    summary = Summary()
    targets: list[Target] = []
    failed: list[FetchResult] = []
    for source in sources:
        found, errors = discover_source(fetcher, source, settings.max_articles_per_source)
        logger.info("%s: %d article link(s), %d start page(s) failed", source.name, len(found), len(errors))
        targets += found
        failed += errors
    found, fetched = _expand_ad_hoc(fetcher, urls, settings.max_articles_per_source)
    targets = _unique(targets + found)
    by_url = {target.url: target for target in targets}
    if failed or fetched:
        summary.add(load_batch(warehouse, extract_batch(failed + fetched, by_url), flow_run.id))
    for start in range(0, len(targets), settings.batch_size):
        batch = [target.url for target in targets[start:start + settings.batch_size]]
        with Warehouse(warehouse) as wh:
            known = validators(wh.con, batch)
        results = fetch_batch(fetcher, batch, known)
        summary.add(load_batch(warehouse, extract_batch(results, by_url), flow_run.id))
    return summary


def _host(url: str) -> str | None:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname


@flow(name="reextract_news", log_prints=False)
def reextract_news(
    warehouse: str, urls: list[str] | None = None, lock_wait: float | None = None, alerts: AlertSettings | None = None
) -> dict:
    """Read stored pages again with the current extractor; articles whose facts change get a new version; then run
    the data-quality checks."""
    logger = get_run_logger()
    try:
        with writing(warehouse, wait=lock_wait, purpose=f"reextract_news run {flow_run.id}"):
            prepare_warehouse(warehouse)
            with Warehouse(warehouse) as wh:
                pages = stored_pages(wh.con, urls)
            summary = Summary()
            for start in range(0, len(pages), 50):
                batch = pages[start:start + 50]
                summary.add(load_batch(warehouse, [extract_page(page, None) for page in batch], flow_run.id, log=False))
            checked = checks_after_load(warehouse, alerts, logger)
    except WarehouseBusy as busy:
        logger.warning("reextract_news skipped: %s", busy)
        return {"skipped": str(busy)}
    logger.info("reextract_news: %d page(s) read, %d article(s) changed, %d fact(s) loaded",
                len(pages), summary.articles_changed, summary.facts_loaded)
    return {**summary.as_dict(), "checks": checked}
