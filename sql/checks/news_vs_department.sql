-- news_vs_department: Báo chí đưa số liệu khác phòng ban (news and department figures disagree)
-- Purpose: a news figure that disagrees with the department's figure for the same district, metric, month, period
--   kind (the month's own value, or the year to date) and cut-off date (kpi_reconciliation) beyond what its writing
--   allows: the ranges the two figures stand for (int_figure_bounds: rounding, truncation, hơn, khoảng) do not
--   overlap. 'hơn 5.606 tỷ' agrees with 5.606,7 tỷ; 'hơn 1.421 tỷ' does not agree with 1.412,8 tỷ; '1,9 nghìn tỷ' is
--   precise only to 100 tỷ.
-- A row: one district × metric × month × period kind (subject: month | cumulative) with at least one disagreeing
--   article; the message names every such article, its figure and the department's file and row.
-- Severity: info when every disagreeing news figure is an estimate (ước: the department's final figure stands);
--   critical when one figure is more than scale_error_ratio times the other (a unit or scale error, a digit too
--   many); else warning.
-- Parameters (params below): scale_error_ratio.
with params as (
    select 1.5 as scale_error_ratio
),
compared as (
    select
        r.*,
        n.value_low > d.value_high * (1 + 1e-9) or n.value_high < d.value_low * (1 - 1e-9) as disagrees,
        greatest(abs(r.news_value), abs(r.department_value))
            / nullif(least(abs(r.news_value), abs(r.department_value)), 0) as ratio
    from kpi_reconciliation as r
    join int_figure_bounds as n on n.obs_id = r.news_obs_id
    join int_figure_bounds as d on d.obs_id = r.department_obs_id
),
disagreements as (
    select
        compared.*,
        case
            when ratio is null or ratio > params.scale_error_ratio then 'critical'
            when news_is_estimate then 'info'
            else 'warning'
        end as severity,
        vi_figure(news_value, unit, news_qualifier)
            || ' (lệch ' || if(pct_difference > 0, '+', '')
            || coalesce(vi_number(pct_difference, 2) || ' %', 'không so được') || ', ' || news_url || ')' as news_text
    from compared, params
    where disagrees
),
grouped as (
    select
        district,
        metric,
        month_start,
        period_kind,
        unit,
        any_value(department_value) as department_value,
        any_value(department_file) as department_file,
        any_value(department_row) as department_row,
        any_value(as_of) as as_of,
        list(severity) as severities,
        string_agg(news_text, '; ' order by news_url) as news_texts,
        list({
            'url': news_url, 'value': news_value, 'qualifier': news_qualifier, 'is_estimate': news_is_estimate,
            'pct_difference': pct_difference, 'evidence': news_evidence, 'as_of': as_of
        } order by news_url) as news
    from disagreements
    group by district, metric, month_start, period_kind, unit
)
select
    grouped.district,
    grouped.metric,
    grouped.month_start as period,
    grouped.period_kind as subject,
    worst_severity(severities) as severity,
    grouped.district || ' — ' || coalesce(metrics.label_vi, grouped.metric)
        || ' ' || vi_period(grouped.period_kind, grouped.as_of)
        || ': báo chí đưa ' || news_texts
        || ', phòng ban báo cáo ' || vi_figure(department_value, grouped.unit, null)
        || ' (' || department_file || coalesce(', dòng ' || department_row, '') || ')'
        || if(list_contains(severities, 'warning') or list_contains(severities, 'critical'), '.',
              '. Số báo chí là số ước tính; số phòng ban là số chính thức.')
        || ' (news and department figures disagree)' as message,
    {
        'department': {'value': department_value, 'file': department_file, 'row': department_row},
        'news': news
    } as details
from grouped
left join dim_metric as metrics on metrics.metric = grouped.metric
order by all;
