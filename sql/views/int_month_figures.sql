-- int_month_figures: which reported figures stand for each district, metric and month, by the precedence rule.
-- Grain: one row per district × metric × month_start that has at least one current actual (non-target) figure
-- whose period is the month or cumulative from January (int_observations.period_kind).
-- Reused by kpi_monthly, kpi_yoy, kpi_plan_progress and kpi_lineage.
-- materialized: table ordered by unit_id, district, metric, month_start
-- Stored, not computed per query (8 s of CPU over 5 M observations): recomputed district by district at the end of
-- every run (warehouse/materialize.py); every group is keyed by unit_id, district, as that needs.
-- The rule. For each period kind (month, cumulative) the preferred figure is the first by:
--   a value before none (only a percentage); department before news; the later cut-off (as_of); an actual
--   before an estimate, final before preliminary, exact before approximate (hơn, khoảng); the most recently
--   loaded; then the greatest obs_id.
-- The month then takes one source: the department when either preferred figure is a department figure with a
-- value (department wins), else the news; a preferred figure of the other source is dropped. Both figures are
-- taken at one cut-off, the later of the two (among those with a value), so that they describe the same period;
-- a figure at an earlier cut-off is dropped. Percentages (of plan, of the same period) and the annual plan are
-- those stated with the chosen figures.
create or replace view int_month_figures as
with candidates as (
    select
        *,
        {
            'obs_id': obs_id, 'source_kind': source_kind, 'value': value, 'as_of': as_of,
            'is_preliminary': is_preliminary, 'is_estimate': is_estimate, 'is_approximate': is_approximate,
            'pct_of_same_period': pct_of_same_period, 'pct_of_plan': pct_of_plan, 'annual_plan': annual_plan
        } as figure,
        (
            value is not null, -source_priority, as_of, not is_estimate, not is_preliminary, not is_approximate,
            loaded_at, obs_id
        ) as preference
    from int_observations
    where not is_target and period_kind is not null
),
preferred as (
    -- the preferred figure of each period kind, every attribute in one struct: one arg_max per kind compares the
    -- preferences once (an arg_max per attribute cost 2.5x the time over 5 M observations)
    select
        unit_id,
        district,
        metric,
        month_start,
        count(*) as candidates,
        arg_max(figure, preference) filter (where period_kind = 'month') as m,
        arg_max(figure, preference) filter (where period_kind = 'cumulative') as c
    from candidates
    group by unit_id, district, metric, month_start
),
unpacked as (
    select
        unit_id,
        district,
        metric,
        month_start,
        candidates,
        m.obs_id as m_obs_id,
        m.source_kind as m_source_kind,
        m.value as m_value,
        m.as_of as m_as_of,
        m.is_preliminary as m_is_preliminary,
        m.is_estimate as m_is_estimate,
        m.is_approximate as m_is_approximate,
        m.pct_of_same_period as m_pct_of_same_period,
        m.annual_plan as m_annual_plan,
        c.obs_id as c_obs_id,
        c.source_kind as c_source_kind,
        c.value as c_value,
        c.as_of as c_as_of,
        c.is_preliminary as c_is_preliminary,
        c.is_estimate as c_is_estimate,
        c.is_approximate as c_is_approximate,
        c.pct_of_same_period as c_pct_of_same_period,
        c.pct_of_plan as c_pct_of_plan,
        c.annual_plan as c_annual_plan
    from preferred
),
sourced as (
    select
        *,
        case
            when m_value is not null and m_source_kind = 'department' then 'department'
            when c_value is not null and c_source_kind = 'department' then 'department'
            when m_value is not null or c_value is not null then 'news'
            when 'department' in (m_source_kind, c_source_kind) then 'department'
            else 'news'
        end as source_kind
    from unpacked
),
cut as (
    select
        *,
        coalesce(
            greatest(
                if(m_source_kind = source_kind and m_value is not null, m_as_of, null),
                if(c_source_kind = source_kind and c_value is not null, c_as_of, null)
            ),
            greatest(if(m_source_kind = source_kind, m_as_of, null), if(c_source_kind = source_kind, c_as_of, null))
        ) as cut_off
    from sourced
),
kept as (
    select
        *,
        coalesce(m_source_kind = source_kind and m_as_of = cut_off, false) as keep_month,
        coalesce(c_source_kind = source_kind and c_as_of = cut_off, false) as keep_cumulative
    from cut
)
select
    unit_id,
    district,
    metric,
    month_start,
    source_kind,
    cut_off as as_of,
    cut_off < last_day(month_start) as is_partial_month,
    candidates,
    if(keep_month, m_obs_id, null) as month_obs_id,
    if(keep_month, m_value, null) as month_value,
    if(keep_month, m_is_preliminary, null) as month_is_preliminary,
    if(keep_month, m_is_estimate, null) as month_is_estimate,
    if(keep_month, m_is_approximate, null) as month_is_approximate,
    if(keep_month, m_pct_of_same_period, null) as month_pct_of_same_period,
    if(keep_cumulative, c_obs_id, null) as cumulative_obs_id,
    if(keep_cumulative, c_value, null) as cumulative_value,
    if(keep_cumulative, c_is_preliminary, null) as cumulative_is_preliminary,
    if(keep_cumulative, c_is_estimate, null) as cumulative_is_estimate,
    if(keep_cumulative, c_is_approximate, null) as cumulative_is_approximate,
    if(keep_cumulative, c_pct_of_same_period, null) as cumulative_pct_of_same_period,
    if(keep_cumulative, c_pct_of_plan, null) as cumulative_pct_of_plan,
    coalesce(if(keep_cumulative, c_annual_plan, null), if(keep_month, m_annual_plan, null)) as annual_plan,
    case
        when keep_cumulative and c_annual_plan is not null then c_obs_id
        when keep_month and m_annual_plan is not null then m_obs_id
    end as annual_plan_obs_id
from kept;

comment on view int_month_figures is 'The figures chosen for each district, metric and month by the precedence rule (department before news, the latest cut-off, then actual, final, exact, most recently loaded). Grain: district × metric × month_start with a reported figure.';
comment on column int_month_figures.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column int_month_figures.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column int_month_figures.metric is 'Metric code.';
comment on column int_month_figures.month_start is 'First day of the month.';
comment on column int_month_figures.source_kind is 'The source chosen for the month: department when it gives a figure with a value, else news.';
comment on column int_month_figures.as_of is 'The cut-off both chosen figures share: the latest among the chosen source''s figures with a value.';
comment on column int_month_figures.is_partial_month is 'The cut-off falls before the month''s last day.';
comment on column int_month_figures.candidates is 'How many current actual figures (month or cumulative) the month had to choose from.';
comment on column int_month_figures.month_obs_id is 'The chosen figure of the month''s own value (basis month); null when none.';
comment on column int_month_figures.month_value is 'Value of the chosen month figure.';
comment on column int_month_figures.month_is_preliminary is 'The chosen month figure is preliminary.';
comment on column int_month_figures.month_is_estimate is 'The chosen month figure is an estimate.';
comment on column int_month_figures.month_is_approximate is 'The chosen month figure is a lower bound or round figure (hơn, khoảng).';
comment on column int_month_figures.month_pct_of_same_period is 'The % of the same period last year stated with the chosen month figure.';
comment on column int_month_figures.cumulative_obs_id is 'The chosen cumulative figure (year to date, Q1, H1 or the year); null when none.';
comment on column int_month_figures.cumulative_value is 'Value of the chosen cumulative figure.';
comment on column int_month_figures.cumulative_is_preliminary is 'The chosen cumulative figure is preliminary.';
comment on column int_month_figures.cumulative_is_estimate is 'The chosen cumulative figure is an estimate.';
comment on column int_month_figures.cumulative_is_approximate is 'The chosen cumulative figure is a lower bound or round figure.';
comment on column int_month_figures.cumulative_pct_of_same_period is 'The % of the same period last year stated with the chosen cumulative figure.';
comment on column int_month_figures.cumulative_pct_of_plan is 'The % of the annual plan stated with the chosen cumulative figure.';
comment on column int_month_figures.annual_plan is 'The annual plan stated with the chosen figures (the cumulative one first).';
comment on column int_month_figures.annual_plan_obs_id is 'The chosen figure the annual plan was stated with.';
