-- mom_jump: Số liệu tháng bất thường so với chuỗi (a month's value far outside its series)
-- Purpose: a month's own value (kpi_monthly.value: the current figures after source precedence) that lies far from
--   the series' usual level: the robust z = |x − median| / (1.4826 · MAD) over all the district × metric's full,
--   exact monthly values exceeds z_threshold. When MAD is 0 (at least half the months share one value) the scale is
--   1.2533 · the mean absolute deviation instead, which is 0 only when every month is the same: then nothing is an
--   outlier. The jump must also be material: at least min_relative_deviation of the median, and for counts beyond
--   count_noise_factor · √median (a count's ordinary month-to-month noise). Values rather than changes, so a one-month
--   slip is one alert, not two (the jump in and the jump back); likewise a year-to-date series differenced into
--   months, where one wrong cumulative figure makes its month too high or low and the next one off the other way: only
--   the first is reported, and a negative month (the year to date fell) is ytd_falls' to report. Partial months (cut
--   off before the month's end) and approximate values (resting on a hơn/khoảng figure) are left out of the series.
-- A row: one district × metric × month whose value is an outlier of its series (with at least min_months months).
-- Severity: critical when the value is more than scale_error_ratio times the median or less than 1/ratio of it (a
--   unit or scale error: triệu read as tỷ); else warning.
-- Parameters (params below): z_threshold, min_months, min_relative_deviation, count_noise_factor, scale_error_ratio.
with params as (
    select
        5.0 as z_threshold,
        6 as min_months,
        0.5 as min_relative_deviation,
        3.0 as count_noise_factor,
        5.0 as scale_error_ratio
),
months as (
    select unit_id, district, metric, unit, month_start, value, value_method, source_kind
    from kpi_monthly
    where value is not null and not is_partial_month and not is_approximate
),
centred as (
    select
        *,
        count(*) over series as months_in_series,
        median(value) over series as series_median,
        lag(value) over (partition by unit_id, district, metric order by month_start) as prev_value,
        lag(month_start) over (partition by unit_id, district, metric order by month_start) as prev_month
    from months
    window series as (partition by unit_id, district, metric)
),
scaled as (
    select
        *,
        abs(value - series_median) as deviation,
        median(abs(value - series_median)) over series as mad,
        avg(abs(value - series_median)) over series as mean_absolute_deviation
    from centred
    window series as (partition by unit_id, district, metric)
),
scored as (
    select
        scaled.*,
        deviation / nullif(if(mad > 0, 1.4826 * mad, 1.2533 * mean_absolute_deviation), 0) as robust_z,
        sign(value - series_median) as direction,
        -- a negative value differenced from a year to date that fell: ytd_falls reports it
        value_method = 'differenced' and value < 0 as is_fall
    from scaled
),
judged as (
    select
        scored.*,
        coalesce(
            robust_z > z_threshold
                and months_in_series >= min_months
                and deviation >= min_relative_deviation * abs(series_median)
                and (unit <> 'count' or deviation > count_noise_factor * sqrt(greatest(abs(series_median), 1))),
            false
        ) as is_outlier
    from scored, params
),
outliers as (
    select *
    from (
        select
            *,
            -- the month after a wrong year-to-date figure is off the other way: the same slip, reported once
            coalesce(
                value_method = 'differenced' and prev_month = month_start - interval 1 month
                    and (lag(is_fall) over series or (lag(is_outlier) over series and lag(direction) over series = -direction)),
                false
            ) as is_rebound
        from judged
        window series as (partition by unit_id, district, metric order by month_start)
    )
    where is_outlier and not is_fall and not is_rebound
)
select
    outliers.district,
    outliers.metric,
    outliers.month_start as period,
    if(value > scale_error_ratio * series_median or value * scale_error_ratio < series_median, 'critical', 'warning')
        as severity,
    outliers.district || ' — ' || coalesce(metrics.label_vi, outliers.metric) || ' tháng '
        || strftime(month_start, '%m/%Y') || ': ' || vi_figure(value, outliers.unit, null)
        || if(value_method = 'differenced', ' (hiệu hai số lũy kế)', '')
        || ', khác xa mức thường thấy của chuỗi'
        || ' (trung vị ' || vi_figure(round_significant(series_median, 5), outliers.unit, null)
        || ' của ' || months_in_series || ' tháng; z = ' || vi_number(robust_z, 1) || ' > ' || vi_number(z_threshold, 1)
        || ')' || coalesce('; tháng ' || strftime(prev_month, '%m/%Y')
                           || ' là ' || vi_figure(prev_value, outliers.unit, null), '')
        || '. (the month''s value jumps far outside its series)' as message,
    {
        'value': value, 'value_method': value_method, 'source_kind': source_kind, 'median': series_median, 'mad': mad,
        'robust_z': robust_z, 'months': months_in_series, 'previous_month': prev_month, 'previous_value': prev_value
    } as details
from outliers
cross join params
left join dim_metric as metrics on metrics.metric = outliers.metric
order by all;
