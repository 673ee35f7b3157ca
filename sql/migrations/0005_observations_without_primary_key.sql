-- 0005_observations_without_primary_key: observations without the obs_id primary key, same columns otherwise.
-- The key's index (an ART over long strings) made appending a million figures 2-3x slower, and DuckLake (where
-- the warehouse is going) has no primary keys at all. obs_id stays unique by construction instead:
-- 'file:<sha256>:[<sheet>!]<row>:<column>' for department figures (a file's bytes load once; repeated headers are
-- made distinct in sources/departments/headers.py) and 'news:<urlhash>:<version>:<n>' for news facts.
-- tests/warehouse/test_loads.py checks it after loading the samples twice and a corrected file.
-- DuckDB cannot drop a primary key, so the table is rebuilt: every column, type, default, NOT NULL and CHECK as
-- 0001, 0002 and 0004 left them, in the same order. The views are recreated after migrations (warehouse.migrate).

create table observations_rebuilt (
    obs_id              varchar not null,    -- source identity, unique by construction (see above)
    unit_id             varchar,
    district            varchar not null,
    metric              varchar not null,
    month_start         date not null,
    as_of               date not null,
    basis               varchar not null check (basis in ('ytd', 'month', 'quarter', 'half_year', 'year', 'other')),
    value               double,
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
    source_name         varchar not null,
    source_sha256       varchar,
    source_row          integer,
    source_column       varchar,
    evidence            varchar,
    evidence_start      integer,
    evidence_end        integer,
    load_id             varchar not null,
    loaded_at           timestamptz not null,
    superseded_by       varchar,
    superseded_at       timestamptz,
    department          varchar,             -- from 0002
    submission          varchar,             -- from 0002
    source_sheet        varchar,             -- from 0002
    plan_ratios         json                 -- from 0004
);

insert into observations_rebuilt by name select * from observations;
drop table observations;
alter table observations_rebuilt rename to observations;
