-- kpi_monthly: each metric's own monthly value and its year-to-date value, per district and month.
-- Grain: one row per district × metric × month_start, every month from the series' first to its last reported
-- month: a month with no figure is a row with null values (a gap), never skipped.
-- The month's figures are those int_month_figures chose (department before news, latest cut-off). Then:
--   value     = the month's own figure; else (additive metrics) January's cumulative figure, or this month's
--               cumulative figure minus the previous month's year-to-date value when that one covers the whole
--               previous month; a share or rate (not additive) takes its cumulative figure as it is;
--   ytd_value = the month's cumulative figure; else (additive metrics) the sum of the month values from
--               January, only when every earlier month of the year has a full-month value.
-- Anything else is null: a value is never guessed. The flags say whether any figure the row rests on (this
-- month's, and the earlier months' when differenced or summed) is preliminary, an estimate or approximate.
create or replace view kpi_monthly as
with figures as (
    select
        int_month_figures.*,
        metrics.unit,
        coalesce(metrics.is_additive, false) as is_additive,
        month(int_month_figures.month_start) as month_number,
        -- months numbered with a gap of twelve between years: a range frame of 11 preceding then reaches back to
        -- January of the same year and never into the year before
        24 * year(int_month_figures.month_start) + month(int_month_figures.month_start) as month_key
    from int_month_figures
    left join dim_metric as metrics on metrics.metric = int_month_figures.metric
),
windowed as (
    select
        *,
        lead(month_start) over series as next_reported_month,
        lag(month_key) over series = month_key - 1 as prev_month_reported,
        lag(cumulative_value) over series as prev_row_cumulative_value,
        lag(as_of) over series as prev_row_as_of,
        lag(cumulative_is_preliminary) over series as prev_row_cumulative_is_preliminary,
        lag(cumulative_is_estimate) over series as prev_row_cumulative_is_estimate,
        lag(cumulative_is_approximate) over series as prev_row_cumulative_is_approximate,
        sum(month_value) over earlier_months as month_sum_before,
        count(month_value) filter (where not is_partial_month) over earlier_months as full_months_before,
        bool_or(month_is_preliminary) over earlier_months as months_before_preliminary,
        bool_or(month_is_estimate) over earlier_months as months_before_estimate,
        bool_or(month_is_approximate) over earlier_months as months_before_approximate
    from figures
    window
        series as (partition by unit_id, district, metric order by month_key),
        earlier_months as (
            partition by unit_id, district, metric order by month_key range between 11 preceding and 1 preceding
        )
),
previous_month as (
    -- the previous row is the previous month of the same year only when that month was reported
    select
        *,
        if(prev_month_reported, prev_row_cumulative_value, null) as prev_cumulative_value,
        if(prev_month_reported, prev_row_as_of, null) as prev_as_of,
        if(prev_month_reported, prev_row_cumulative_is_preliminary, null) as prev_cumulative_is_preliminary,
        if(prev_month_reported, prev_row_cumulative_is_estimate, null) as prev_cumulative_is_estimate,
        if(prev_month_reported, prev_row_cumulative_is_approximate, null) as prev_cumulative_is_approximate
    from windowed
),
previous_ytd as (
    select
        *,
        full_months_before = month_number - 1 as earlier_months_full,
        prev_as_of = month_start - 1 as prev_is_full_month,
        -- the previous month's year-to-date value: its cumulative figure, or the sum of the year's month values;
        -- and whether a figure it rests on carries a flag
        case
            when prev_cumulative_value is not null then prev_cumulative_value
            when is_additive and month_number > 1 and full_months_before = month_number - 1 then month_sum_before
        end as prev_ytd_value,
        coalesce(if(prev_cumulative_value is not null, prev_cumulative_is_preliminary, months_before_preliminary), false)
            as prev_ytd_is_preliminary,
        coalesce(if(prev_cumulative_value is not null, prev_cumulative_is_estimate, months_before_estimate), false)
            as prev_ytd_is_estimate,
        coalesce(if(prev_cumulative_value is not null, prev_cumulative_is_approximate, months_before_approximate), false)
            as prev_ytd_is_approximate
    from previous_month
),
methods as (
    select
        *,
        case
            when month_value is not null then 'month_figure'
            when cumulative_value is null then null
            when not is_additive or month_number = 1 then 'cumulative_figure'
            when prev_is_full_month and prev_ytd_value is not null then 'differenced'
        end as value_method,
        case
            when cumulative_value is not null then 'cumulative_figure'
            when is_additive and month_value is not null and earlier_months_full then 'summed_months'
        end as ytd_method,
        -- the months missing between this one and the series' next reported month
        if(
            next_reported_month > month_start + interval 1 month,
            generate_series(month_start + interval 1 month, next_reported_month - interval 1 month, interval 1 month),
            []
        ) as gap_months
    from previous_ytd
),
valued as (
    select
        *,
        case value_method
            when 'month_figure' then month_value
            when 'cumulative_figure' then cumulative_value
            when 'differenced' then cumulative_value - prev_ytd_value
        end as value,
        case ytd_method
            when 'cumulative_figure' then cumulative_value
            when 'summed_months' then coalesce(month_sum_before, 0) + month_value
        end as ytd_value,
        coalesce(month_is_preliminary, false) or coalesce(cumulative_is_preliminary, false)
            or (value_method is not distinct from 'differenced' and prev_ytd_is_preliminary)
            or (ytd_method is not distinct from 'summed_months' and coalesce(months_before_preliminary, false))
            as is_preliminary,
        coalesce(month_is_estimate, false) or coalesce(cumulative_is_estimate, false)
            or (value_method is not distinct from 'differenced' and prev_ytd_is_estimate)
            or (ytd_method is not distinct from 'summed_months' and coalesce(months_before_estimate, false))
            as is_estimate,
        coalesce(month_is_approximate, false) or coalesce(cumulative_is_approximate, false)
            or (value_method is not distinct from 'differenced' and prev_ytd_is_approximate)
            or (ytd_method is not distinct from 'summed_months' and coalesce(months_before_approximate, false))
            as is_approximate
    from methods
),
spine as (
    -- each reported month followed by the gap months after it, one row each
    select *, cast(unnest(list_prepend(month_start, gap_months)) as date) as spine_month
    from valued
),
gaps_nulled as (
    select
        unit_id,
        district,
        metric,
        unit,
        spine_month as month_start,
        if(spine_month = month_start, value, null) as value,
        if(spine_month = month_start, ytd_value, null) as ytd_value,
        if(spine_month = month_start, annual_plan, null) as annual_plan,
        spine_month = month_start and is_preliminary as is_preliminary,
        spine_month = month_start as is_reported,
        if(spine_month = month_start, source_kind, null) as source_kind,
        if(spine_month = month_start, as_of, null) as as_of,
        spine_month = month_start and is_partial_month as is_partial_month,
        spine_month = month_start and is_estimate as is_estimate,
        spine_month = month_start and is_approximate as is_approximate,
        if(spine_month = month_start, value_method, null) as value_method,
        if(spine_month = month_start, ytd_method, null) as ytd_method
    from spine
)
select * from gaps_nulled;
