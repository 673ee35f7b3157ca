-- plan_drift: Kế hoạch năm thay đổi mà không nêu điều chỉnh (the year's plan moves with no adjustment stated)
-- Purpose: within one source kind (department files, or news), the plan behind a year's progress figures moves from
--   one reported month to the next by more than max_drift although no adjustment is stated. A month's plan is the one
--   stated with its year-to-date figure (annual_plan), else the one its % of plan implies: value ÷ (% / 100), as a
--   range from the precision both were written with (int_figure_bounds), so 'hơn 7 nghìn tỷ, đạt 107,13 %' implies
--   anything from 6.534 to 7.468 tỷ and never drifts by rounding. Each month takes its latest, final, exact figure.
-- Stated adjustment: the month's % of plan is against the adjusted plan ('dự toán sau điều chỉnh': baseline
--   'adjusted') and the previous one's was not, or the other way round; or the two name different plans (city,
--   council). A month whose plan returns to the one two reported months before is the end of a one-month slip: only
--   the slip is reported.
-- A row: one district × metric × month × source kind (subject: department | news) whose plan moved.
-- Severity: critical when the two plans differ by more than scale_error_ratio times; else warning.
-- Parameters (params below): max_drift (0.02 = 2 %), scale_error_ratio.
with params as (
    select 0.02 as max_drift, 1.5 as scale_error_ratio
),
figures as (
    select
        o.*,
        json_extract_string(history.plan_ratios, '$[0].baseline') as baseline,
        b.value_low, b.value_high, b.annual_plan_low, b.annual_plan_high, b.pct_of_plan_low, b.pct_of_plan_high
    from int_observations as o
    join observations as history using (obs_id)
    join int_figure_bounds as b using (obs_id)
    where not o.is_target and o.period_kind = 'cumulative' and (o.annual_plan > 0 or (o.value is not null and o.pct_of_plan > 0))
),
monthly as (
    -- one figure per source kind and month: the latest cut-off, an actual, final, exact, most recently loaded
    select *
    from figures
    qualify row_number() over (
        partition by source_kind, unit_id, district, metric, month_start
        order by as_of desc, is_estimate, is_preliminary, is_approximate, loaded_at desc, obs_id desc
    ) = 1
),
plans as (
    select
        *,
        coalesce(annual_plan, value / (pct_of_plan / 100)) as plan,
        coalesce(annual_plan_low, value_low / (pct_of_plan_high / 100)) as plan_low,
        coalesce(annual_plan_high, value_high / (pct_of_plan_low / 100)) as plan_high,
        if(annual_plan is not null, null, if(baseline = 'council_initial', 'council', baseline)) as plan_baseline,
        if(annual_plan is not null,
            'kế hoạch ghi ' || vi_figure(annual_plan, unit, null),
            vi_figure(value, unit, qualifier) || ' đạt ' || vi_number(pct_of_plan, 2) || ' % kế hoạch')
            || ', ' || source_name || coalesce(' dòng ' || source_row, '') as basis_text
    from monthly
),
sequenced as (
    select
        *,
        lag(month_start) over series as prev_month,
        lag(plan) over series as prev_plan,
        lag(plan_low) over series as prev_low,
        lag(plan_high) over series as prev_high,
        lag(plan_baseline) over series as prev_baseline,
        lag(basis_text) over series as prev_basis_text,
        lag(plan_low, 2) over series as before_low,
        lag(plan_high, 2) over series as before_high
    from plans
    window series as (partition by source_kind, unit_id, district, metric, year(month_start) order by month_start)
),
drifted as (
    select sequenced.*, greatest(plan, prev_plan) / nullif(least(plan, prev_plan), 0) as ratio
    from sequenced, params
    where (plan_low > prev_high * (1 + max_drift) or plan_high < prev_low * (1 - max_drift))
        -- no adjustment stated
        and (plan_baseline = 'adjusted') is not distinct from (prev_baseline = 'adjusted')
        and not coalesce(plan_baseline not in ('plan', 'adjusted') and prev_baseline not in ('plan', 'adjusted')
                         and plan_baseline <> prev_baseline, false)
        -- not the return from a one-month slip
        and not coalesce(plan_low <= before_high * (1 + max_drift) and plan_high >= before_low * (1 - max_drift), false)
)
select
    drifted.district,
    drifted.metric,
    drifted.month_start as period,
    drifted.source_kind as subject,
    if(ratio is null or ratio > params.scale_error_ratio, 'critical', 'warning') as severity,
    drifted.district || ' — ' || coalesce(metrics.label_vi, drifted.metric)
        || if(drifted.source_kind = 'news', ' (báo chí)', ' (phòng ban)')
        || ': kế hoạch năm ' || year(drifted.month_start)
        || ' theo số liệu tháng ' || strftime(drifted.month_start, '%m/%Y')
        || ' là ' || vi_figure(round_significant(plan, 5), drifted.unit, null) || ' (' || basis_text || ')'
        || ', khác kế hoạch theo số liệu tháng ' || strftime(prev_month, '%m/%Y')
        || ' là ' || vi_figure(round_significant(prev_plan, 5), drifted.unit, null) || ' (' || prev_basis_text || ')'
        || ', lệch ' || if(plan > prev_plan, '+', '') || vi_number(100 * (plan - prev_plan) / prev_plan, 2)
        || ' %, mà không nêu điều chỉnh dự toán. (the plan moved with no adjustment stated)' as message,
    {
        'plan': plan, 'plan_low': plan_low, 'plan_high': plan_high, 'baseline': plan_baseline,
        'previous_month': prev_month, 'previous_plan': prev_plan, 'previous_baseline': prev_baseline,
        'value': value, 'pct_of_plan': pct_of_plan, 'annual_plan': annual_plan,
        'source': source_name, 'row': source_row, 'evidence': evidence
    } as details
from drifted
cross join params
left join dim_metric as metrics on metrics.metric = drifted.metric
order by all;
