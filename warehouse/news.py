"""News loads: raw pages kept once, article versions, their facts as observations; idempotent per page."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb
import polars as pl

from warehouse.loads import LoadResult, new_load_id, record_run, store_quarantine_rows
from warehouse.transactions import transaction

FLOW = "ingest_news"


@dataclass(frozen=True)
class Page:
    """A fetched page as the raw zone keeps it."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    encoding: str | None
    fetched_at: datetime
    body: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True)
class ArticleVersion:
    """What the extractor read from a page: the text the evidence offsets point into, and the facts."""

    url: str
    title: str | None
    published: date | None
    text: str
    districts: list[str]
    facts_sha256: str

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def facts_fingerprint(facts: list[dict]) -> str:
    """Hash an article's facts canonically: the same page read by the same rules gives the same hash."""
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def validators(con: duckdb.DuckDBPyConnection, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Return each URL's ETag and Last-Modified from its latest stored page, for conditional GETs."""
    if not urls:
        return {}
    rows = con.execute(
        """
        select url, headers->>'etag', headers->>'last-modified'
        from raw_pages where url in (select unnest(?))
        qualify row_number() over (partition by url order by fetched_at desc) = 1
        """,
        [urls],
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows}


def store_page(con: duckdb.DuckDBPyConnection, page: Page) -> None:
    """Keep a page body once per URL and content hash, compressed (the caller holds the page's lock on DuckLake)."""
    con.execute(
        "insert into raw_pages (url, final_url, status, headers, encoding, fetched_at, sha256, size_bytes, body_gzip)"
        " select $1, $2, $3, $4, $5, $6, $7, $8, $9 where not exists (select 1 from raw_pages where url = $1 and sha256 = $7)",
        [
            page.url, page.final_url, page.status, json.dumps(page.headers), page.encoding, page.fetched_at,
            page.sha256, len(page.body), gzip.compress(page.body, mtime=0),
        ],
    )


def log_fetch(
    con: duckdb.DuckDBPyConnection, flow_run_id: str | None, url: str, fetched_at: datetime, status: int | None,
    outcome: str, attempts: int | None, error: str | None,
) -> None:
    """Record one fetch attempt's outcome: fetched, unchanged (304 or same bytes) or failed."""
    con.execute(
        "insert into fetch_log (flow_run_id, url, fetched_at, status, outcome, attempts, error) values (?, ?, ?, ?, ?, ?, ?)",
        [flow_run_id, url, fetched_at, status, outcome, attempts, error],
    )


def load_article(
    con: duckdb.DuckDBPyConnection,
    page: Page,
    article: ArticleVersion,
    *,
    valid: pl.DataFrame,
    rejected: pl.DataFrame,
    rows_in: int,
    flow_run_id: str | None = None,
) -> LoadResult:
    """Load one page in one transaction; a new text or new facts make a new version that replaces the old one's facts."""
    started_at = datetime.now(UTC)

    def load() -> LoadResult:
        load_id = new_load_id()
        store_page(con, page)
        current = con.execute(
            "select version, text_sha256, facts_sha256 from news_articles where url = ? and superseded_by is null",
            [article.url],
        ).fetchone()
        if current and current[1:] == (article.text_sha256, article.facts_sha256):
            result = LoadResult(load_id, article.url, "unchanged")
        else:
            version = (current[0] + 1) if current else 1
            _supersede_article(con, article.url, load_id)
            _insert_article(con, page, article, version, load_id, facts=valid.height)
            _insert_facts(con, valid, page, article, version, load_id)
            store_quarantine_rows(con, rejected, load_id=load_id, source_kind="news", source_name=article.url,
                                  source_sha256=page.sha256)
            quarantined = rejected.get_column("source_row").n_unique() if rejected.height else 0
            result = LoadResult(load_id, article.url, "success", rows_in, valid.height, quarantined)
        record_run(con, result, flow=FLOW, sha256=page.sha256, flow_run_id=flow_run_id, started_at=started_at)
        return result

    # The page's URL and the article's (the same unless redirected) are locked: versions are numbered per article.
    return transaction(con, load, what=f"loading {article.url}", locks=[f"page:{page.url}", f"article:{article.url}"])


def page_urls_between(con: duckdb.DuckDBPyConnection, month_from: date | None, month_to: date | None) -> list[str]:
    """List stored pages whose article was published, or reports figures, within the months (None: every page)."""
    if month_from is None and month_to is None:
        return [row[0] for row in con.execute("select distinct url from raw_pages order by url").fetchall()]
    rows = con.execute(
        """
        select distinct url from (
            select url, date_trunc('month', published) as month from news_articles where superseded_by is null
            union all
            select source_name, month_start from news_figures where superseded_by is null
        )
        where month between coalesce(?, date '0001-01-01') and coalesce(?, date '9999-12-01')
        order by url
        """,
        [month_from, month_to],
    ).fetchall()
    return [row[0] for row in rows]


def stored_pages(con: duckdb.DuckDBPyConnection, urls: list[str] | None = None) -> list[Page]:
    """Return the latest stored page of every URL (or of the given ones), decompressed, for re-extraction."""
    rows = con.execute(
        """
        select url, final_url, status, headers, encoding, fetched_at, body_gzip from raw_pages
        where ? is null or url in (select unnest(?))
        qualify row_number() over (partition by url order by fetched_at desc) = 1
        order by url
        """,
        [urls, urls or []],
    ).fetchall()
    return [
        Page(url, final_url, status, json.loads(headers or "{}"), encoding, fetched_at, gzip.decompress(body))
        for url, final_url, status, headers, encoding, fetched_at, body in rows
    ]


def _supersede_article(con: duckdb.DuckDBPyConnection, url: str, load_id: str) -> None:
    for table, condition in (("news_articles", "url = ?"), ("news_figures", "source_name = ?")):
        con.execute(
            f"update {table} set superseded_by = ?, superseded_at = now() where {condition} and superseded_by is null",
            [load_id, url],
        )


def _insert_article(con, page: Page, article: ArticleVersion, version: int, load_id: str, *, facts: int) -> None:
    con.execute(
        "insert into news_articles (url, version, page_sha256, text_sha256, facts_sha256, title, published, districts,"
        " text, facts, load_id, loaded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())",
        [
            article.url, version, page.sha256, article.text_sha256, article.facts_sha256, article.title,
            article.published, article.districts, article.text, facts, load_id,
        ],
    )


def _insert_facts(con, valid: pl.DataFrame, page: Page, article: ArticleVersion, version: int, load_id: str) -> None:
    if valid.height == 0:
        return
    key = hashlib.sha256(article.url.encode()).hexdigest()[:16]
    rows = valid.select(
        (pl.lit(f"news:{key}:{version}:") + pl.col("source_row").cast(pl.String)).alias("obs_id"),
        "unit_id", "district", "metric",
        pl.col("as_of").dt.month_start().alias("month_start"),
        "as_of",
        pl.col("period").alias("basis"),
        "value", "unit", "qualifier",
        (pl.col("qualifier") == "estimate").fill_null(False).alias("is_estimate"),
        "is_target", "pct_of_plan", "plan_ratios", "pct_of_same_period", "growth_pct",
        pl.lit("news").alias("source_kind"),
        pl.lit(article.url).alias("source_name"),
        pl.lit(page.sha256).alias("source_sha256"),
        "evidence",
        pl.col("start").cast(pl.Int32).alias("evidence_start"),
        pl.col("end").cast(pl.Int32).alias("evidence_end"),
        pl.lit(load_id).alias("load_id"),
        pl.lit(datetime.now(UTC)).alias("loaded_at"),
    )
    con.register("incoming_facts", rows.to_arrow())
    con.execute("insert into news_figures by name select * replace (plan_ratios::json as plan_ratios) from incoming_facts")
    con.unregister("incoming_facts")
