-- 0001_core: the warehouse's public tables (names and columns are the contract; add, never rename).
-- Applied once by `dkpi init` / warehouse.migrate, recorded in schema_migrations.

create table dim_unit (
    unit_id     varchar primary key,         -- stable key, e.g. 'hn-thanh-xuan'
    name        varchar not null,            -- canonical name with diacritics: 'Thanh Xuân'
    unit_type   varchar not null,            -- quận | huyện | thị xã | thành phố | phường | xã
    full_name   varchar not null,            -- 'quận Thanh Xuân'
    province    varchar not null,
    aliases     varchar[] not null,          -- written forms, with and without diacritics
    valid_from  date,
    valid_to    date,                        -- last day the unit existed under this name
    note        varchar
);

create table dim_metric (
    metric       varchar primary key,        -- catalogue code
    label_vi     varchar not null,
    label_en     varchar not null,
    unit         varchar not null check (unit in ('VND', 'count', 'percent')),
    is_ytd       boolean not null,           -- normally reported year-to-date cumulative
    is_additive  boolean not null,           -- monthly values add up to the year
    aliases      varchar[] not null
);

create table raw_files (
    sha256       varchar primary key,        -- of the bytes as received
    file_name    varchar not null,           -- name when first received
    size_bytes   bigint not null,
    received_at  timestamptz not null,
    content      blob not null
);

create table load_runs (
    load_id           varchar primary key,
    flow              varchar not null,      -- ingest_departments | ingest_news | …
    flow_run_id       varchar,               -- Prefect flow run, when run by one
    source            varchar not null,      -- file name or URL
    source_sha256     varchar,
    started_at        timestamptz not null,
    finished_at       timestamptz,
    rows_in           bigint,
    rows_loaded       bigint,
    rows_quarantined  bigint,
    status            varchar not null check (status in ('success', 'unchanged', 'failed')),
    message           varchar
);

create table observations (
    obs_id              varchar primary key, -- source identity: 'file:<sha256>:<row>:<column>'
    unit_id             varchar,             -- dim_unit key; null for a unit outside the gazetteer (news)
    district            varchar not null,    -- canonical name, or as written when the unit is unknown
    metric              varchar not null,
    month_start         date not null,       -- month the figure belongs to
    as_of               date not null,       -- cut-off date (the month's last day for a full month)
    basis               varchar not null check (basis in ('ytd', 'month', 'quarter', 'half_year', 'year', 'other')),
    value               double,              -- base units: whole đồng, counts, percent as a number
    unit                varchar not null check (unit in ('VND', 'count', 'percent')),
    qualifier           varchar check (qualifier in ('more_than', 'about', 'estimate')),
    is_preliminary      boolean not null default false,
    is_estimate         boolean not null default false,
    is_target           boolean not null default false,
    annual_plan         double,
    pct_of_plan         double,
    pct_of_same_period  double,
    growth_pct          double,
    source_kind         varchar not null check (source_kind in ('department', 'news')),
    source_name         varchar not null,    -- file name or URL
    source_sha256       varchar,             -- raw_files.sha256 (or raw page hash for news)
    source_row          integer,             -- line number in the file, header included
    source_column       varchar,             -- header of the column the value came from
    evidence            varchar,             -- news: the sentence
    evidence_start      integer,
    evidence_end        integer,
    load_id             varchar not null,
    loaded_at           timestamptz not null,
    superseded_by       varchar,             -- load_id that replaced this figure; null = current
    superseded_at       timestamptz
);

create table quarantine (
    load_id         varchar not null,
    source_kind     varchar not null,
    source_name     varchar not null,
    source_sha256   varchar,
    row_number      integer,                 -- line number in the file, header included
    column_name     varchar,                 -- header as written in the file
    raw_value       varchar,
    rule            varchar not null,
    message         varchar not null,        -- in Vietnamese, for the person who fixes the file
    raw_row         varchar,                 -- every raw cell of the row, as JSON
    quarantined_at  timestamptz not null
);
