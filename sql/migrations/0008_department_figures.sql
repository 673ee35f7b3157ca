-- 0008_department_figures: department figures get a narrow table of their own; `observations` becomes a view
-- (sql/views/observations.sql) with the same name, columns and rows as the table it replaces.
--
-- Why: a department file brings millions of figures, and appending the 33 columns of `observations` cost DuckDB
-- 2.3x the CPU of the figures' own columns (benchmarks/observation_width.py): seven of them are the same for every
-- figure of a file (source_kind, source_name, source_sha256, loaded_at, department, submission and the load), one is
-- a long unique string built from others (obs_id), twelve are news-only and empty. Those values are now kept once per
-- load, in `load_runs` (which already held them: one row per load, recorded in the same transaction, so its
-- finished_at is the figures' loaded_at), and the view puts them back beside each figure, with obs_id built as the
-- load built it: 'file:<sha256>:[<sheet>!]<row>:<column>'.
-- A department figure's district name and unit are attributes of its unit and metric: the contract loads a figure only
-- for a unit of the gazetteer (dim_unit) and in its metric's unit (dim_metric), both seeded from the catalogues at
-- the start of every run, so the view takes them from there (two more strings a figure need not repeat).
-- News facts are few, each with its own sentence: they stay in the table as it was, renamed `news_figures`.
-- Writers change `department_figures` / `news_figures` (warehouse/loads.py, warehouse/news.py); readers keep
-- reading `observations`.

create table department_figures (
    unit_id             varchar not null,    -- dim_unit key: the district's name is dim_unit.name
    metric              varchar not null,    -- dim_metric key: the value's unit is dim_metric.unit
    month_start         date not null,
    as_of               date not null,
    basis               varchar not null check (basis in ('ytd', 'month', 'quarter', 'half_year', 'year', 'other')),
    value               double,              -- base units of the metric's unit: whole đồng, counts, percent as a number
    is_preliminary      boolean not null default false,
    annual_plan         double,
    source_sheet        varchar,             -- workbook sheet; null for CSV/TSV
    source_row          integer,             -- line number in the file, header included
    source_column       varchar,             -- header of the column the value came from
    load_id             varchar not null,    -- load_runs.load_id: the file's name, hash, department, submission, time
    superseded_by       varchar,             -- load_id that replaced this figure; null = current
    superseded_at       timestamptz
);

-- A department figure whose load has no run record (never written by a load, which records its run in the same
-- transaction; possible only in a hand-edited warehouse) gets one from its own columns, so the view keeps it.
insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, status, message, department,
                       submission)
select
    load_id, 'ingest_departments', any_value(source_name), any_value(source_sha256), min(loaded_at), min(loaded_at),
    'success', 'run record made by migration 0008 from the figures of this load', any_value(department),
    any_value(submission)
from observations
where source_kind = 'department' and load_id not in (select load_id from load_runs)
group by load_id;

insert into department_figures by name
select
    unit_id, metric, month_start, as_of, basis, value, is_preliminary, annual_plan, source_sheet, source_row,
    source_column, load_id, superseded_by, superseded_at
from observations
where source_kind = 'department';

delete from observations where source_kind = 'department';
alter table observations rename to news_figures;
