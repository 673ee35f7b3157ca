-- kpi_lineage: every observation behind each month of each series, and what became of it.
-- Grain: one row per district × metric × month_start (a kpi_monthly row) × observation × role.
-- Chosen observations (is_chosen) and their role:
--   month_figure       the month's own figure;
--   cumulative_figure  the month's cumulative (year-to-date) figure;
--   previous_ytd       a figure making up the previous month's year-to-date value, subtracted from this
--                      month's cumulative figure to get the month's value (differenced);
--   summed_month       an earlier month's figure summed into this month's year-to-date value;
--   annual_plan        the figure whose plan kpi_plan_progress uses (stated earlier in the year, implied or a
--                      target), when it is not already listed.
-- Observations of the month that were not chosen (role candidate), with the reason: department_wins (a news
-- figure in a month the department reported), earlier_cut_off, no_value (only a percentage, while another figure
-- has a value), not_preferred (same cut-off: an actual, final, exact or more recently loaded figure of the
-- same period kind was preferred), target (not an actual), period_not_monthly (a period such as Q2 that is
-- neither the month nor cumulative from January), superseded (replaced by a later load: see superseded_by).
-- Each observation carries its provenance: file + row + column, or URL + sentence + offsets. The attributes
-- are read from the observations table itself, the only place that keeps superseded figures too.
create or replace view kpi_lineage as
with monthly as (
    select kpi_monthly.*, figures.month_obs_id, figures.cumulative_obs_id
    from kpi_monthly
    left join int_month_figures as figures
        on figures.unit_id is not distinct from kpi_monthly.unit_id
        and figures.district = kpi_monthly.district
        and figures.metric = kpi_monthly.metric
        and figures.month_start = kpi_monthly.month_start
),
chosen_here as (
    select unit_id, district, metric, month_start, month_obs_id as obs_id, 'month_figure' as role
    from monthly where month_obs_id is not null
    union all
    select unit_id, district, metric, month_start, cumulative_obs_id, 'cumulative_figure'
    from monthly where cumulative_obs_id is not null
),
ytd_parts as (
    -- the observations each month's year-to-date value rests on: its cumulative figure, or, when it was summed,
    -- the month figures of the year up to it
    select unit_id, district, metric, month_start as ytd_month, cumulative_obs_id as obs_id
    from monthly
    where ytd_method = 'cumulative_figure'
    union all
    select this.unit_id, this.district, this.metric, this.month_start, part.month_obs_id
    from monthly as this
    join monthly as part
        on part.unit_id is not distinct from this.unit_id and part.district = this.district
        and part.metric = this.metric and year(part.month_start) = year(this.month_start)
        and part.month_start <= this.month_start
    where this.ytd_method = 'summed_months'
),
earlier as (
    select this.unit_id, this.district, this.metric, this.month_start, parts.obs_id, 'previous_ytd' as role
    from monthly as this
    join ytd_parts as parts
        on parts.unit_id is not distinct from this.unit_id and parts.district = this.district
        and parts.metric = this.metric and parts.ytd_month = cast(this.month_start - interval 1 month as date)
    where this.value_method = 'differenced'
    union all
    select this.unit_id, this.district, this.metric, this.month_start, parts.obs_id, 'summed_month'
    from monthly as this
    join ytd_parts as parts
        on parts.unit_id is not distinct from this.unit_id and parts.district = this.district
        and parts.metric = this.metric and parts.ytd_month = this.month_start
    where this.ytd_method = 'summed_months' and parts.obs_id <> this.month_obs_id
),
plans as (
    select unit_id, district, metric, month_start, annual_plan_obs_id as obs_id, 'annual_plan' as role
    from kpi_plan_progress
    where annual_plan_obs_id is not null
),
chosen as (
    select * from chosen_here
    union all
    select * from earlier
    union all
    select plans.* from plans
    anti join chosen_here
        on chosen_here.unit_id is not distinct from plans.unit_id and chosen_here.district = plans.district
        and chosen_here.metric = plans.metric and chosen_here.month_start = plans.month_start
        and chosen_here.obs_id = plans.obs_id
),
candidates as (
    select
        monthly.unit_id,
        monthly.district,
        monthly.metric,
        monthly.month_start,
        candidate.obs_id,
        'candidate' as role,
        case
            when candidate.is_target then 'target'
            when candidate.period_kind is null then 'period_not_monthly'
            when candidate.source_kind <> monthly.source_kind and monthly.source_kind = 'department' then 'department_wins'
            when candidate.value is null then 'no_value'
            when candidate.as_of < monthly.as_of then 'earlier_cut_off'
            else 'not_preferred'
        end as reason
    from monthly
    join int_observations as candidate
        on candidate.unit_id is not distinct from monthly.unit_id and candidate.district = monthly.district
        and candidate.metric = monthly.metric and candidate.month_start = monthly.month_start
    where candidate.obs_id is distinct from monthly.month_obs_id
        and candidate.obs_id is distinct from monthly.cumulative_obs_id
),
superseded as (
    select monthly.unit_id, monthly.district, monthly.metric, monthly.month_start, history.obs_id,
        'candidate' as role, 'superseded' as reason
    from monthly
    join observations as history
        on history.metric = monthly.metric and history.month_start = monthly.month_start
        and (history.unit_id = monthly.unit_id or (history.unit_id is null and monthly.unit_id is null and history.district = monthly.district))
    where history.superseded_by is not null
),
listed as (
    select *, true as is_chosen, null as reason from chosen
    union all by name
    select *, false as is_chosen from candidates
    union all by name
    select *, false as is_chosen from superseded
)
select
    listed.district,
    listed.unit_id,
    listed.metric,
    listed.month_start,
    listed.role,
    listed.is_chosen,
    listed.reason,
    listed.obs_id,
    o.month_start as observation_month_start,
    o.source_kind,
    o.basis,
    o.as_of,
    o.value,
    o.unit,
    o.qualifier,
    o.is_preliminary,
    o.is_estimate,
    o.is_target,
    o.annual_plan,
    o.pct_of_plan,
    o.pct_of_same_period,
    o.growth_pct,
    o.source_name,
    o.source_row,
    o.source_column,
    o.evidence,
    o.evidence_start,
    o.evidence_end,
    o.source_sha256,
    o.load_id,
    o.loaded_at,
    o.superseded_by,
    o.superseded_at
from listed
join observations as o using (obs_id);
