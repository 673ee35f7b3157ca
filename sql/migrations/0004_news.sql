-- 0004_news: the raw zone for fetched pages and the news articles read from them.

create table raw_pages (
    url           varchar not null,          -- the URL asked for
    final_url     varchar not null,          -- after redirects (same host only)
    status        integer not null,
    headers       json,                      -- content-type, etag, last-modified, content-length, …
    encoding      varchar,                   -- how the text was decoded (codec and how it was decided)
    fetched_at    timestamptz not null,
    sha256        varchar not null,          -- of the body bytes
    size_bytes    bigint not null,
    body_gzip     blob not null,             -- the body as received, gzip-compressed
    primary key (url, sha256)
);

create table news_articles (
    url            varchar not null,
    version        integer not null,         -- 1, 2, … each time the article's text or its facts change
    page_sha256    varchar not null,         -- raw_pages.sha256 it was read from
    text_sha256    varchar not null,
    facts_sha256   varchar not null,         -- of the extracted facts: a better extractor makes a new version
    title          varchar,
    published      date,
    districts      varchar[],
    text           varchar not null,         -- the article text the evidence offsets point into
    facts          integer not null,
    load_id        varchar not null,
    loaded_at      timestamptz not null,
    superseded_by  varchar,                  -- load_id of the next version; null = current
    superseded_at  timestamptz,
    primary key (url, version)
);

create table fetch_log (
    flow_run_id  varchar,                    -- the ingest_news Prefect flow run
    url          varchar not null,
    fetched_at   timestamptz not null,
    status       integer,                    -- HTTP status; null when no response
    outcome      varchar not null check (outcome in ('fetched', 'unchanged', 'failed')),
    attempts     integer,
    error        varchar                     -- why it failed, naming the URL
);

-- Every plan ratio a sentence gives, with its baseline ('city', 'council', 'adjusted', …); pct_of_plan is the first.
alter table observations add column plan_ratios json;
