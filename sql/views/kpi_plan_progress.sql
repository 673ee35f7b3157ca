-- kpi_plan_progress: year-to-date progress of each additive metric against its annual plan, per district and month.
-- Grain: one row per district × metric × month_start of kpi_monthly, additive metrics only (a share's plan is a
-- level to reach, not a total to accumulate).
-- annual_plan: the plan stated with this month's figures, else the latest one stated earlier in the year
--   ('reported'); else implied by a cumulative figure and the % of plan stated with it, value ÷ (% / 100), this
--   month or the latest earlier in the year ('implied'); else a target for the year's total ('target').
-- pct_of_plan: ytd_value ÷ a reported plan ('computed'); else the % of plan stated with this month's cumulative
--   figure ('reported'); else ytd_value ÷ the implied or target plan ('computed').
-- pct_of_year_elapsed: the share of the year's twelve months elapsed at the cut-off, counting a partial month
--   by its days: (month − 1 + day ÷ days in the month) ÷ 12; the end of March is 25 %, 7 March is 18.55 %.
-- required_monthly_run_rate: (annual_plan − ytd_value) ÷ the months remaining after the cut-off; 0 when the
--   plan is already reached; null when nothing remains of the year (the December figure) or a term is unknown.
create or replace view kpi_plan_progress as
with monthly as (
    select kpi_monthly.*
    from kpi_monthly
    join dim_metric as metrics on metrics.metric = kpi_monthly.metric and metrics.is_additive
),
stated as (
    select unit_id, district, metric, month_start, cumulative_obs_id, cumulative_value, cumulative_pct_of_plan, annual_plan_obs_id
    from int_month_figures
),
targets as (
    select
        unit_id,
        district,
        metric,
        year(month_start) as year,
        arg_max(value, (-source_priority, as_of, loaded_at, obs_id)) as target_plan,
        arg_max(obs_id, (-source_priority, as_of, loaded_at, obs_id)) as target_obs_id
    from int_observations
    where is_target and value is not null and (basis = 'year' or (period_kind = 'cumulative' and month(month_start) = 12))
    group by unit_id, district, metric, year(month_start)
),
joined as (
    select
        monthly.*,
        stated.cumulative_pct_of_plan,
        stated.annual_plan_obs_id,
        -- a plan implied by the cumulative figure that is this month's year-to-date value and its % of plan
        if(monthly.ytd_method = 'cumulative_figure' and stated.cumulative_pct_of_plan > 0,
            monthly.ytd_value / (stated.cumulative_pct_of_plan / 100), null) as implied_plan,
        if(monthly.ytd_method = 'cumulative_figure' and stated.cumulative_pct_of_plan > 0,
            stated.cumulative_obs_id, null) as implied_plan_obs_id,
        targets.target_plan,
        targets.target_obs_id
    from monthly
    left join stated
        on stated.unit_id is not distinct from monthly.unit_id
        and stated.district = monthly.district
        and stated.metric = monthly.metric
        and stated.month_start = monthly.month_start
    left join targets
        on targets.unit_id is not distinct from monthly.unit_id
        and targets.district = monthly.district
        and targets.metric = monthly.metric
        and targets.year = year(monthly.month_start)
),
carried as (
    select
        *,
        last_value(annual_plan ignore nulls) over year_so_far as reported_plan,
        last_value(annual_plan_obs_id ignore nulls) over year_so_far as reported_plan_obs_id,
        last_value(implied_plan ignore nulls) over year_so_far as carried_implied_plan,
        last_value(implied_plan_obs_id ignore nulls) over year_so_far as carried_implied_plan_obs_id
    from joined
    window year_so_far as (
        partition by unit_id, district, metric, year(month_start) order by month_start
        rows between unbounded preceding and current row
    )
),
planned as (
    select
        *,
        coalesce(as_of, last_day(month_start)) as cut_off,
        case
            when reported_plan is not null then 'reported'
            when carried_implied_plan is not null then 'implied'
            when target_plan is not null then 'target'
        end as annual_plan_source
    from carried
),
progress as (
    select
        *,
        case annual_plan_source
            when 'reported' then reported_plan
            when 'implied' then carried_implied_plan
            when 'target' then target_plan
        end as plan,
        case annual_plan_source
            when 'reported' then reported_plan_obs_id
            when 'implied' then carried_implied_plan_obs_id
            when 'target' then target_obs_id
        end as plan_obs_id,
        month(cut_off) - 1 + day(cut_off) / day(last_day(cut_off)) as months_elapsed
    from planned
),
measured as (
    select
        *,
        case
            when ytd_value is not null and annual_plan_source = 'reported' then 'computed'
            when cumulative_pct_of_plan is not null then 'reported'
            when ytd_value is not null and plan is not null then 'computed'
        end as pct_of_plan_source
    from progress
)
select
    district,
    unit_id,
    metric,
    unit,
    month_start,
    as_of,
    is_partial_month,
    ytd_value,
    plan as annual_plan,
    annual_plan_source,
    case pct_of_plan_source
        when 'computed' then round(100 * ytd_value / nullif(plan, 0), 2)
        when 'reported' then cumulative_pct_of_plan
    end as pct_of_plan,
    pct_of_plan_source,
    round(100 * months_elapsed / 12, 2) as pct_of_year_elapsed,
    round(12 - months_elapsed, 2) as months_remaining,
    case
        when ytd_value is null or plan is null then null
        when ytd_value >= plan then 0
        when months_elapsed >= 12 then null
        else round((plan - ytd_value) / (12 - months_elapsed), 2)
    end as required_monthly_run_rate,
    plan_obs_id as annual_plan_obs_id,
    source_kind,
    is_estimate,
    is_preliminary,
    is_approximate
from measured;

comment on view kpi_plan_progress is 'Year-to-date progress of each additive metric against its annual plan and the monthly run rate still needed to reach it by December. Grain: district × metric × month_start.';
comment on column kpi_plan_progress.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_plan_progress.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_plan_progress.metric is 'Metric code (additive metrics only).';
comment on column kpi_plan_progress.unit is 'VND or count.';
comment on column kpi_plan_progress.month_start is 'First day of the month.';
comment on column kpi_plan_progress.as_of is 'Cut-off date of the month''s figures.';
comment on column kpi_plan_progress.is_partial_month is 'The month''s cut-off falls before its end.';
comment on column kpi_plan_progress.ytd_value is 'Year-to-date value at the cut-off.';
comment on column kpi_plan_progress.annual_plan is 'The year''s plan: reported (stated this month or earlier in the year), implied (value ÷ stated % of plan) or a target for the year.';
comment on column kpi_plan_progress.annual_plan_source is 'reported, implied or target; null when no plan is known.';
comment on column kpi_plan_progress.pct_of_plan is '100 × ytd_value ÷ annual_plan (computed, 2 decimals), or the % of plan stated with the cumulative figure (reported).';
comment on column kpi_plan_progress.pct_of_plan_source is 'computed or reported.';
comment on column kpi_plan_progress.pct_of_year_elapsed is '100 × (month − 1 + day of the cut-off ÷ days in its month) ÷ 12, 2 decimals: 25 at the end of March, 18.55 on 7 March.';
comment on column kpi_plan_progress.months_remaining is 'Months of the year after the cut-off: 12 − (month − 1 + day ÷ days in the month), 2 decimals.';
comment on column kpi_plan_progress.required_monthly_run_rate is '(annual_plan − ytd_value) ÷ months_remaining, 2 decimals; 0 when the plan is reached; null when no month remains or a term is unknown.';
comment on column kpi_plan_progress.annual_plan_obs_id is 'The observation the plan comes from (stated with it, implied from it, or the target).';
comment on column kpi_plan_progress.source_kind is 'department or news: the source of the month''s figures.';
comment on column kpi_plan_progress.is_estimate is 'ytd_value rests on an estimate.';
comment on column kpi_plan_progress.is_preliminary is 'ytd_value rests on a preliminary figure.';
comment on column kpi_plan_progress.is_approximate is 'ytd_value rests on a lower bound or round figure.';
