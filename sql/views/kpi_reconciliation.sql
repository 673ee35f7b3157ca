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
