-- kpi_lineage: every observation behind each month of each series, and what became of it.
-- Grain: one row per district × metric × month_start (a kpi_monthly row) × observation × role.
-- Chosen observations (is_chosen) and their role:
--   month_figure       the month's own figure;
--   cumulative_figure  the month's cumulative (year-to-date) figure;
--   previous_ytd       a figure making up the year to date at the end of the previous month, subtracted from
--                      this month's cumulative figure to get the month's value (differenced);
--   base_cumulative    the earlier full-month cumulative figure this month's year to date adds month values to;
--   summed_month       an earlier month's figure added into this month's year to date;
--   annual_plan        the figure whose plan kpi_plan_progress uses (stated earlier in the year, implied or a
--                      target), when it is not already listed.
-- Observations of the month that were not chosen (role candidate), with the reason: department_wins (a news
-- figure in a month the department reported), earlier_cut_off, no_value (only a percentage, while another figure
-- has a value), not_preferred (same cut-off: an actual, final, exact or more recently loaded figure of the
-- same period kind was preferred), target (not an actual), period_not_monthly (a period such as Q2 that is
-- neither the month nor cumulative from January), superseded (replaced by a later load: see superseded_by).
-- Rows come ordered by district, metric, month, chosen first, role and obs_id.
-- Each observation carries its provenance: file + row + column, or URL + sentence + offsets. The attributes
-- are read from `observations` itself, the only place that keeps superseded figures too.
create or replace view kpi_lineage as
with chosen as (
    -- each CTE is used once: DuckDB materialises a CTE used twice, and a filter on district would not reach the scan
    select unit_id, district, metric, month_start, figure.obs_id, figure.role
    from (
        select
            *,
            unnest([
                {'obs_id': month_obs_id, 'role': 'month_figure'},
                {'obs_id': cumulative_obs_id, 'role': 'cumulative_figure'}
            ]) as figure
        from int_month_figures
    )
    where figure.obs_id is not null
),
earlier_parts as (
    -- the earlier months of the year, for months whose value or year to date rests on the year to date before
    select
        this.unit_id,
        this.district,
        this.metric,
        this.month_start,
        this.value_method,
        part.month_start as part_month,
        part.month_obs_id,
        part.cumulative_obs_id,
        part.cumulative_value is not null and not part.is_partial_month as part_is_base
    from kpi_monthly as this
    join int_month_figures as part
        on part.unit_id is not distinct from this.unit_id and part.district = this.district
        and part.metric = this.metric and year(part.month_start) = year(this.month_start)
        and part.month_start < this.month_start
    where this.value_method = 'differenced' or this.ytd_method in ('summed_months', 'cumulative_plus_months')
),
earlier_based as (
    select
        *,
        max(if(part_is_base, part_month, null)) over (partition by unit_id, district, metric, month_start) as base_month
    from earlier_parts
),
earlier as (
    -- that year to date is the latest full-month cumulative figure (the base) plus the month figures after it
    select
        unit_id,
        district,
        metric,
        month_start,
        case
            when part_month = base_month then cumulative_obs_id
            when base_month is null or part_month > base_month then month_obs_id
        end as obs_id,
        case
            when value_method = 'differenced' then 'previous_ytd'
            when part_month = base_month then 'base_cumulative'
            else 'summed_month'
        end as role
    from earlier_based
),
plans as (
    -- the plan's observation, unless it is one of the month's own figures
    select plan.unit_id, plan.district, plan.metric, plan.month_start, plan.annual_plan_obs_id as obs_id, 'annual_plan' as role
    from kpi_plan_progress as plan
    left join int_month_figures as figures
        on figures.unit_id is not distinct from plan.unit_id and figures.district = plan.district
        and figures.metric = plan.metric and figures.month_start = plan.month_start
    where plan.annual_plan_obs_id is not null
        and plan.annual_plan_obs_id is distinct from figures.month_obs_id
        and plan.annual_plan_obs_id is distinct from figures.cumulative_obs_id
),
matched as (
    -- the month's current figures of either source: a unit of the gazetteer joined by plain equality, so a filter on
    -- unit_id reaches the scan of the observations (DuckDB carries none through `is not distinct from`), a unit
    -- outside it (null unit_id) by name in a second branch
    select monthly.unit_id, monthly.district, monthly.metric, monthly.month_start, monthly.source_kind as month_source_kind,
        monthly.as_of as month_as_of, candidate.* exclude (unit_id, district, metric, month_start)
    from kpi_monthly as monthly
    join int_observations as candidate
        on candidate.unit_id = monthly.unit_id and candidate.district = monthly.district
        and candidate.metric = monthly.metric and candidate.month_start = monthly.month_start
    union all
    select monthly.unit_id, monthly.district, monthly.metric, monthly.month_start, monthly.source_kind as month_source_kind,
        monthly.as_of as month_as_of, candidate.* exclude (unit_id, district, metric, month_start)
    from kpi_monthly as monthly
    join int_observations as candidate
        on candidate.unit_id is null and monthly.unit_id is null and candidate.district = monthly.district
        and candidate.metric = monthly.metric and candidate.month_start = monthly.month_start
),
candidates as (
    select
        candidate.unit_id,
        candidate.district,
        candidate.metric,
        candidate.month_start,
        candidate.obs_id,
        'candidate' as role,
        case
            when candidate.is_target then 'target'
            when candidate.period_kind is null then 'period_not_monthly'
            when candidate.source_kind <> candidate.month_source_kind and candidate.month_source_kind = 'department'
                then 'department_wins'
            when candidate.value is null then 'no_value'
            when candidate.as_of < candidate.month_as_of then 'earlier_cut_off'
            else 'not_preferred'
        end as reason
    from matched as candidate
    left join int_month_figures as figures
        on figures.unit_id is not distinct from candidate.unit_id and figures.district = candidate.district
        and figures.metric = candidate.metric and figures.month_start = candidate.month_start
    where candidate.obs_id is distinct from figures.month_obs_id
        and candidate.obs_id is distinct from figures.cumulative_obs_id
),
superseded as (
    select monthly.unit_id, monthly.district, monthly.metric, monthly.month_start, history.obs_id,
        'candidate' as role, 'superseded' as reason
    from kpi_monthly as monthly
    join observations as history
        on history.metric = monthly.metric and history.month_start = monthly.month_start
        and (history.unit_id = monthly.unit_id or (history.unit_id is null and monthly.unit_id is null and history.district = monthly.district))
    where history.superseded_by is not null
),
listed as not materialized (
    -- used twice below: inlined in each use, so a filter on the view still reaches every scan
    select *, true as is_chosen, null as reason from chosen
    union all by name
    select *, true as is_chosen, null as reason from earlier where obs_id is not null
    union all by name
    select *, true as is_chosen, null as reason from plans
    union all by name
    select *, false as is_chosen from candidates
    union all by name
    select *, false as is_chosen from superseded
),
sourced as (
    -- each figure with its source; the observations of a unit of the gazetteer are found through its unit_id too (a
    -- filter on it then skips every other unit's rows before their obs_id is built), those of a unit outside it
    -- (null unit_id: news only) by obs_id alone
    select
        listed.*,
        o.month_start as observation_month_start,
        o.* exclude (obs_id, unit_id, district, metric, month_start, department, submission, source_sheet, plan_ratios)
    from listed
    join observations as o on o.obs_id = listed.obs_id and o.unit_id = listed.unit_id
    union all
    select
        listed.*,
        o.month_start as observation_month_start,
        o.* exclude (obs_id, unit_id, district, metric, month_start, department, submission, source_sheet, plan_ratios)
    from listed
    join observations as o on o.obs_id = listed.obs_id and o.unit_id is null and listed.unit_id is null
)
select
    sourced.district,
    sourced.unit_id,
    sourced.metric,
    sourced.month_start,
    sourced.role,
    sourced.is_chosen,
    sourced.reason,
    sourced.obs_id,
    sourced.observation_month_start,
    sourced.source_kind,
    sourced.basis,
    sourced.as_of,
    sourced.value,
    sourced.unit,
    sourced.qualifier,
    sourced.is_preliminary,
    sourced.is_estimate,
    sourced.is_target,
    sourced.annual_plan,
    sourced.pct_of_plan,
    sourced.pct_of_same_period,
    sourced.growth_pct,
    sourced.source_name,
    sourced.source_row,
    sourced.source_column,
    sourced.evidence,
    sourced.evidence_start,
    sourced.evidence_end,
    sourced.source_sha256,
    sourced.load_id,
    sourced.loaded_at,
    sourced.superseded_by,
    sourced.superseded_at
from sourced
-- In the order a reader follows a series (chosen figures first). The order also keeps DuckDB 1.5.5 from hanging:
-- without it, fetching a few thousand rows of this view for one district on 5 M observations parks every thread
-- for good (uninterruptible; like duckdb/duckdb#24961), while the same query ordered answers in seconds.
order by sourced.district, sourced.metric, sourced.month_start, not sourced.is_chosen, sourced.role, sourced.obs_id;

comment on view kpi_lineage is 'Every observation behind each month of each series, with its role (month_figure, cumulative_figure, previous_ytd, base_cumulative, summed_month, annual_plan) or the reason it was not used, and its file row or URL and sentence. Grain: district × metric × month_start × observation × role.';
comment on column kpi_lineage.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_lineage.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_lineage.metric is 'Metric code.';
comment on column kpi_lineage.month_start is 'The KPI month (a kpi_monthly row) the observation bears on.';
comment on column kpi_lineage.role is 'month_figure, cumulative_figure, previous_ytd (subtracted to get a differenced value), base_cumulative (the earlier cumulative figure a year to date adds to), summed_month (added into a year to date), annual_plan, or candidate (not used).';
comment on column kpi_lineage.is_chosen is 'The observation is used by the month''s figures.';
comment on column kpi_lineage.reason is 'Why a candidate was not used: department_wins, earlier_cut_off, no_value, not_preferred, target, period_not_monthly or superseded.';
comment on column kpi_lineage.obs_id is 'The observation (observations.obs_id).';
comment on column kpi_lineage.observation_month_start is 'The month the observation itself belongs to (an earlier month for previous_ytd and summed_month).';
comment on column kpi_lineage.source_kind is 'department or news.';
comment on column kpi_lineage.basis is 'Period the figure covers as stated: ytd, month, quarter, half_year, year or other.';
comment on column kpi_lineage.as_of is 'Cut-off date of the figure.';
comment on column kpi_lineage.value is 'The figure in base units; null when only a percentage was given.';
comment on column kpi_lineage.unit is 'VND, count or percent.';
comment on column kpi_lineage.qualifier is 'more_than, about or estimate.';
comment on column kpi_lineage.is_preliminary is 'The figure is preliminary.';
comment on column kpi_lineage.is_estimate is 'The figure is flagged an estimate.';
comment on column kpi_lineage.is_target is 'The figure is a target, not an actual.';
comment on column kpi_lineage.annual_plan is 'The annual plan stated with the figure.';
comment on column kpi_lineage.pct_of_plan is 'The % of plan stated with the figure.';
comment on column kpi_lineage.pct_of_same_period is 'The % of the same period last year stated with the figure.';
comment on column kpi_lineage.growth_pct is 'The growth stated with the figure.';
comment on column kpi_lineage.source_name is 'File name (department) or article URL (news).';
comment on column kpi_lineage.source_row is 'Line number in the file, header included (department).';
comment on column kpi_lineage.source_column is 'Header of the column the figure came from (department).';
comment on column kpi_lineage.evidence is 'The sentence the figure was read from (news).';
comment on column kpi_lineage.evidence_start is 'Character offset where the evidence begins in the article text (news).';
comment on column kpi_lineage.evidence_end is 'Character offset just past the end of the evidence (news).';
comment on column kpi_lineage.source_sha256 is 'SHA-256 of the file or page.';
comment on column kpi_lineage.load_id is 'The load that wrote the figure.';
comment on column kpi_lineage.loaded_at is 'When the figure was loaded.';
comment on column kpi_lineage.superseded_by is 'The load that replaced the figure (reason superseded); null for a current figure.';
comment on column kpi_lineage.superseded_at is 'When the figure was replaced.';
