-- ytd_falls: Số lũy kế từ đầu năm giảm (a year-to-date value falls)
-- Purpose: an additive metric's year-to-date value (kpi_monthly: the current figures, after source precedence) that
--   is lower than the previous reported month's of the same year, beyond the precision either was written with
--   (int_figure_bounds; a year-to-date value summed from exact month figures is exact, one resting on an approximate
--   figure without a range of its own is not compared). Month values are never negative, so a year to date cannot
--   fall: one of the two figures is wrong, or the earlier one was revised down.
-- A row: one district × metric × month whose year-to-date value is below the previous reported month's.
-- Severity: critical when the previous value is more than scale_error_ratio times this one (a unit or scale error,
--   a month's own value given as the year to date); else warning.
-- Parameters (params below): scale_error_ratio.
with params as (
    select 1.5 as scale_error_ratio
),
series as (
    select
        monthly.unit_id, monthly.district, monthly.metric, monthly.unit, monthly.month_start, monthly.as_of,
        monthly.ytd_value, monthly.ytd_method, monthly.source_kind,
        coalesce(bounds.value_low, if(monthly.is_approximate, null, monthly.ytd_value)) as ytd_low,
        coalesce(bounds.value_high, if(monthly.is_approximate, null, monthly.ytd_value)) as ytd_high,
        if(monthly.ytd_method = 'cumulative_figure',
            observations.source_name || coalesce(' dòng ' || observations.source_row, ''),
            'tổng các tháng từ tháng 1') as source_text
    from kpi_monthly as monthly
    join dim_metric as metrics on metrics.metric = monthly.metric and metrics.is_additive
    left join int_month_figures as figures
        on figures.unit_id is not distinct from monthly.unit_id and figures.district = monthly.district
        and figures.metric = monthly.metric and figures.month_start = monthly.month_start
    left join int_figure_bounds as bounds
        on bounds.obs_id = figures.cumulative_obs_id and monthly.ytd_method = 'cumulative_figure'
    left join observations on observations.obs_id = figures.cumulative_obs_id and monthly.ytd_method = 'cumulative_figure'
    where monthly.ytd_value is not null
),
compared as (
    select
        *,
        lag(month_start) over year_so_far as prev_month,
        lag(as_of) over year_so_far as prev_as_of,
        lag(ytd_value) over year_so_far as prev_ytd_value,
        lag(ytd_low) over year_so_far as prev_low,
        lag(source_text) over year_so_far as prev_source_text
    from series
    window year_so_far as (partition by unit_id, district, metric, year(month_start) order by month_start)
),
fallen as (
    select compared.*, prev_ytd_value / nullif(ytd_value, 0) as ratio
    from compared
    where ytd_high < prev_low * (1 - 1e-9)
)
select
    fallen.district,
    fallen.metric,
    fallen.month_start as period,
    if(ratio is null or ratio > params.scale_error_ratio, 'critical', 'warning') as severity,
    fallen.district || ' — ' || coalesce(metrics.label_vi, fallen.metric) || ': số lũy kế '
        || vi_period('ytd', as_of) || ' là ' || vi_figure(ytd_value, fallen.unit, null) || ' (' || source_text
        || '), thấp hơn số ' || vi_period('ytd', prev_as_of) || ' là ' || vi_figure(prev_ytd_value, fallen.unit, null)
        || ' (' || prev_source_text || '), giảm ' || vi_figure(prev_ytd_value - ytd_value, fallen.unit, null)
        || '. (the year-to-date value falls)' as message,
    {
        'ytd_value': ytd_value, 'ytd_method': ytd_method, 'source': source_text,
        'previous_month': prev_month, 'previous_ytd_value': prev_ytd_value, 'previous_source': prev_source_text
    } as details
from fallen
cross join params
left join dim_metric as metrics on metrics.metric = fallen.metric
order by all;
