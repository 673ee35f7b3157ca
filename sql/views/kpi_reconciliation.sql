-- kpi_reconciliation: news figures set against the department's figure for the same district, metric and period.
-- Grain: one row per current actual news figure with a value that has a department counterpart: a current
-- actual department figure with a value for the same district, metric, month_start, period kind (month or
-- cumulative) and cut-off date. When several department figures match, the one int_month_figures would prefer
-- (final before preliminary, most recently loaded …) is used. difference = news − department.
create or replace view kpi_reconciliation as
with reported as (
    select * from int_observations
    where not is_target and period_kind is not null and value is not null
),
news as (
    select * from reported where source_kind = 'news'
),
department as (
    select * from reported where source_kind = 'department'
),
matched as (
    select
        news.unit_id,
        news.district,
        news.metric,
        news.unit,
        news.month_start,
        news.as_of,
        news.period_kind,
        department.value as department_value,
        news.value as news_value,
        news.qualifier as news_qualifier,
        news.is_estimate as news_is_estimate,
        department.is_preliminary as department_is_preliminary,
        department.obs_id as department_obs_id,
        department.source_name as department_file,
        department.source_row as department_row,
        news.obs_id as news_obs_id,
        news.source_name as news_url,
        news.evidence as news_evidence
    from news
    join department
        on department.unit_id is not distinct from news.unit_id
        and department.district = news.district
        and department.metric = news.metric
        and department.month_start = news.month_start
        and department.period_kind = news.period_kind
        and department.as_of = news.as_of
    qualify row_number() over (
        partition by news.obs_id
        order by department.is_estimate, department.is_preliminary, department.is_approximate,
            department.loaded_at desc, department.obs_id desc
    ) = 1
)
select
    district,
    unit_id,
    metric,
    unit,
    month_start,
    as_of,
    period_kind,
    department_value,
    news_value,
    news_value - department_value as difference,
    round(100 * (news_value - department_value) / nullif(abs(department_value), 0), 2) as pct_difference,
    news_qualifier,
    news_is_estimate,
    department_is_preliminary,
    department_obs_id,
    department_file,
    department_row,
    news_obs_id,
    news_url,
    news_evidence
from matched;

comment on view kpi_reconciliation is 'News figures set against the department''s figure for the same district, metric, month, period kind and cut-off, with the difference. Grain: one row per current news figure with a department counterpart.';
comment on column kpi_reconciliation.district is 'Canonical unit name.';
comment on column kpi_reconciliation.unit_id is 'Administrative unit.';
comment on column kpi_reconciliation.metric is 'Metric code.';
comment on column kpi_reconciliation.unit is 'VND, count or percent.';
comment on column kpi_reconciliation.month_start is 'First day of the month.';
comment on column kpi_reconciliation.as_of is 'The cut-off date both figures share.';
comment on column kpi_reconciliation.period_kind is 'month or cumulative (year to date).';
comment on column kpi_reconciliation.department_value is 'The department''s figure.';
comment on column kpi_reconciliation.news_value is 'The news figure.';
comment on column kpi_reconciliation.difference is 'news_value − department_value.';
comment on column kpi_reconciliation.pct_difference is '100 × difference ÷ |department_value|, 2 decimals.';
comment on column kpi_reconciliation.news_qualifier is 'more_than, about or estimate as the article wrote it: hơn 5.606 tỷ is a lower bound.';
comment on column kpi_reconciliation.news_is_estimate is 'The news figure is an estimate.';
comment on column kpi_reconciliation.department_is_preliminary is 'The department figure is preliminary.';
comment on column kpi_reconciliation.department_obs_id is 'The department observation.';
comment on column kpi_reconciliation.department_file is 'The department file.';
comment on column kpi_reconciliation.department_row is 'Line number in the department file, header included.';
comment on column kpi_reconciliation.news_obs_id is 'The news observation.';
comment on column kpi_reconciliation.news_url is 'URL of the article.';
comment on column kpi_reconciliation.news_evidence is 'The sentence the news figure was read from.';
