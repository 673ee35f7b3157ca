-- kpi_latest: the latest known figure of each metric per district, with its changes and progress against plan.
-- Grain: one row per district × metric: the latest month_start whose value or ytd_value is known (a month
-- reporting only a percentage does not count), with the comparisons of kpi_mom, kpi_yoy and kpi_plan_progress.
create or replace view kpi_latest as
with latest as (
    select *
    from kpi_monthly
    where value is not null or ytd_value is not null
    qualify row_number() over (partition by unit_id, district, metric order by month_start desc) = 1
),
mom as (
    select unit_id, district, metric, month_start, mom_change, mom_pct, ytd_mom_change, ytd_mom_pct from kpi_mom
),
yoy as (
    select unit_id, district, metric, month_start, yoy_pct, yoy_source, ytd_yoy_pct, ytd_yoy_source from kpi_yoy
),
plan as (
    select unit_id, district, metric, month_start, annual_plan, pct_of_plan, pct_of_year_elapsed from kpi_plan_progress
),
-- Units in the gazetteer join their comparisons on unit_id by plain equality, so that a reader's filter on unit_id
-- reaches kpi_mom, kpi_yoy and kpi_plan_progress (through `is not distinct from` DuckDB 1.5 computes them for every
-- district: 15 s instead of 1.7 s for one district on 5 M observations); a unit outside it (null unit_id) joins on
-- its name in the second branch.
joined as (
    select
        latest.* exclude (annual_plan),
        mom.* exclude (unit_id, district, metric, month_start),
        yoy.* exclude (unit_id, district, metric, month_start),
        plan.* exclude (unit_id, district, metric, month_start)
    from latest
    left join mom using (unit_id, district, metric, month_start)
    left join yoy using (unit_id, district, metric, month_start)
    left join plan using (unit_id, district, metric, month_start)
    where latest.unit_id is not null
    union all by name
    select
        latest.* exclude (annual_plan),
        mom.* exclude (unit_id, district, metric, month_start),
        yoy.* exclude (unit_id, district, metric, month_start),
        plan.* exclude (unit_id, district, metric, month_start)
    from latest
    left join mom on mom.unit_id is null and (mom.district, mom.metric, mom.month_start) = (latest.district, latest.metric, latest.month_start)
    left join yoy on yoy.unit_id is null and (yoy.district, yoy.metric, yoy.month_start) = (latest.district, latest.metric, latest.month_start)
    left join plan on plan.unit_id is null and (plan.district, plan.metric, plan.month_start) = (latest.district, latest.metric, latest.month_start)
    where latest.unit_id is null
)
select
    district,
    unit_id,
    metric,
    unit,
    month_start,
    as_of,
    is_partial_month,
    value,
    ytd_value,
    mom_change,
    mom_pct,
    ytd_mom_pct,
    yoy_pct,
    yoy_source,
    ytd_yoy_pct,
    ytd_yoy_source,
    annual_plan,
    pct_of_plan,
    pct_of_year_elapsed,
    source_kind,
    is_estimate,
    is_preliminary,
    is_approximate
from joined;

comment on view kpi_latest is 'The latest known figure of each metric per district (the latest month whose value or year-to-date value is known) with its month-over-month, year-over-year and plan comparisons. Grain: district × metric.';
comment on column kpi_latest.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_latest.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_latest.metric is 'Metric code.';
comment on column kpi_latest.unit is 'VND, count or percent.';
comment on column kpi_latest.month_start is 'The latest month whose value or ytd_value is known.';
comment on column kpi_latest.as_of is 'Cut-off date of that month''s figures.';
comment on column kpi_latest.is_partial_month is 'The cut-off falls before the month''s end.';
comment on column kpi_latest.value is 'The month''s own value.';
comment on column kpi_latest.ytd_value is 'Year-to-date value.';
comment on column kpi_latest.mom_change is 'Change on the previous month (kpi_mom).';
comment on column kpi_latest.mom_pct is 'Change on the previous month in % (kpi_mom).';
comment on column kpi_latest.ytd_mom_pct is 'Change of the year-to-date value on the previous month in % (kpi_mom).';
comment on column kpi_latest.yoy_pct is 'Change on the same month last year in % (kpi_yoy).';
comment on column kpi_latest.yoy_source is 'data or ratio (kpi_yoy).';
comment on column kpi_latest.ytd_yoy_pct is 'Change of the year-to-date value on last year in % (kpi_yoy).';
comment on column kpi_latest.ytd_yoy_source is 'data or ratio (kpi_yoy).';
comment on column kpi_latest.annual_plan is 'The year''s plan (kpi_plan_progress).';
comment on column kpi_latest.pct_of_plan is 'Year-to-date value as % of the plan (kpi_plan_progress).';
comment on column kpi_latest.pct_of_year_elapsed is 'Share of the year elapsed at the cut-off in % (kpi_plan_progress).';
comment on column kpi_latest.source_kind is 'department or news.';
comment on column kpi_latest.is_estimate is 'The figures rest on an estimate.';
comment on column kpi_latest.is_preliminary is 'The figures rest on a preliminary figure.';
comment on column kpi_latest.is_approximate is 'The figures rest on a lower bound or round figure.';
