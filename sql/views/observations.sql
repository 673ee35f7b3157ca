-- observations: every figure ever loaded, from department files and news articles, current and superseded, each
-- with where it came from. The columns are those of the table this view replaced (described in
-- sql/migrations/0001_core.sql, 0002 and 0004); migration 0008 says why department figures are stored apart, their
-- file's values once in load_runs, their district's name and their unit in dim_unit and dim_metric.
-- Grain: one row per observation (obs_id): 'file:<sha256>:[<sheet>!]<row>:<column>' for a department figure,
-- 'news:<url hash>:<version>:<n>' for a news fact.
create or replace view observations as
select
    -- built as the load used to store it: concat skips a null sheet
    concat('file:', runs.source_sha256, ':', figures.source_sheet || '!', figures.source_row, ':')
        || figures.source_column as obs_id,
    figures.unit_id,
    -- a load checks its units and metrics are in dim_unit and dim_metric; a unit removed since shows its id
    coalesce(units.name, figures.unit_id) as district,
    figures.metric,
    figures.month_start,
    figures.as_of,
    figures.basis,
    figures.value,
    metrics.unit,
    cast(null as varchar) as qualifier,
    figures.is_preliminary,
    false as is_estimate,
    false as is_target,
    figures.annual_plan,
    cast(null as double) as pct_of_plan,
    cast(null as double) as pct_of_same_period,
    cast(null as double) as growth_pct,
    'department' as source_kind,
    runs.source as source_name,
    runs.source_sha256,
    figures.source_row,
    figures.source_column,
    cast(null as varchar) as evidence,
    cast(null as integer) as evidence_start,
    cast(null as integer) as evidence_end,
    figures.load_id,
    runs.finished_at as loaded_at,  -- the run is recorded in the transaction that loads its figures
    figures.superseded_by,
    figures.superseded_at,
    runs.department,
    runs.submission,
    figures.source_sheet,
    cast(null as json) as plan_ratios
from department_figures as figures
join load_runs as runs on runs.load_id = figures.load_id
left join dim_unit as units on units.unit_id = figures.unit_id
left join dim_metric as metrics on metrics.metric = figures.metric
union all by name
select * from news_figures;

comment on view observations is 'Every figure loaded, from department files and news articles, current and superseded (superseded_by set), each with its source. Grain: obs_id.';
