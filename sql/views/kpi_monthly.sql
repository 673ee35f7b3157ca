-- kpi_monthly: each metric's own monthly value and its year-to-date value, per district and month.
-- Grain: one row per district × metric × month_start, every month from the series' first to its last reported
-- month: a month with no figure is a row with null values (a gap), never skipped.
-- materialized: table ordered by unit_id, district, metric, month_start
-- Stored, not computed per query (20 s of CPU over 5 M observations): recomputed district by district at the end of
-- every run (warehouse/materialize.py); every window is partitioned by unit_id, district, as that needs.
-- The month's figures are those int_month_figures chose (department before news, latest cut-off). Then, for
-- additive metrics, the year to date at the end of a month is known when it has a full-month cumulative figure,
-- or when every month since the year's latest earlier full-month cumulative figure (since January when there is
-- none) has a full-month value: that figure plus those values. From it:
--   value     = the month's own figure; else January's cumulative figure; else this month's cumulative figure
--               minus the year to date at the end of the previous month;
--   ytd_value = the month's cumulative figure; else the year to date at the end of the previous month plus the
--               month's own figure.
-- A share or rate (not additive) takes its figure as it is: value = its month figure or else its cumulative
-- figure, ytd_value = its cumulative figure. Anything else is null: a value is never guessed. The flags say
-- whether any figure the row rests on (this month's, and the earlier ones added or subtracted) is preliminary,
-- an estimate or approximate.
create or replace view kpi_monthly as
with figures as (
    select
        int_month_figures.*,
        metrics.unit,
        coalesce(metrics.is_additive, false) as is_additive,
        month(int_month_figures.month_start) as month_number,
        -- months numbered with a gap of twelve between years: a range frame of 11 preceding then reaches back to
        -- January of the same year and never into the year before
        24 * year(int_month_figures.month_start) + month(int_month_figures.month_start) as month_key,
        -- a full-month cumulative figure: later month values of the year can be added to it
        int_month_figures.cumulative_value is not null and not int_month_figures.is_partial_month as is_base,
        -- the month figure's flags as counts in one number (1 preliminary, 100 estimate, 10000 approximate; a year
        -- has twelve months), so running sums of it can be subtracted to count the flags between two months
        coalesce(month_is_preliminary::integer, 0) + 100 * coalesce(month_is_estimate::integer, 0)
            + 10000 * coalesce(month_is_approximate::integer, 0) as month_flag_counts
    from int_month_figures
    left join dim_metric as metrics on metrics.metric = int_month_figures.metric
),
running as (
    -- the year's month values up to and including each month
    select
        *,
        lead(month_start) over series as next_reported_month,
        coalesce(sum(month_value) over year_so_far, 0) as month_sum,
        count(month_value) filter (where not is_partial_month) over year_so_far as full_months,
        coalesce(sum(month_flag_counts) over year_so_far, 0) as month_flag_sum
    from figures
    window
        series as (partition by unit_id, district, metric order by month_key),
        year_so_far as (
            partition by unit_id, district, metric order by month_key range between 11 preceding and current row
        )
),
based as (
    -- the series' latest full-month cumulative figure before each month, with the running values at it
    select
        *,
        last_value(
            if(is_base, {
                'month_key': month_key, 'value': cumulative_value, 'month_sum': month_sum, 'full_months': full_months,
                'month_flag_sum': month_flag_sum, 'is_preliminary': cumulative_is_preliminary,
                'is_estimate': cumulative_is_estimate, 'is_approximate': cumulative_is_approximate
            }, null) ignore nulls
        ) over (
            partition by unit_id, district, metric order by month_key rows between unbounded preceding and 1 preceding
        ) as latest_base
    from running
),
based_this_year as (
    select * exclude (latest_base), if(latest_base.month_key > 24 * year(month_start), latest_base, null) as base
    from based
),
previous_ytd as (
    -- the year to date at the end of the previous month: the base figure (0 without one) plus the month values
    -- since, known only when every month since the base (since January) has a full-month value
    select
        *,
        month_sum - coalesce(month_value, 0) as month_sum_before,
        full_months - (month_value is not null and not is_partial_month)::integer as full_months_before,
        month_flag_sum - month_flag_counts - coalesce(base.month_flag_sum, 0) as flag_counts_since_base
    from based_this_year
),
previous_ytd_known as (
    select
        *,
        full_months_before - coalesce(base.full_months, 0)
            = coalesce(month_key - base.month_key - 1, month_number - 1) as is_prev_ytd_known
    from previous_ytd
),
previous_ytd_valued as (
    select
        *,
        if(is_prev_ytd_known and is_additive,
            coalesce(base.value, 0) + month_sum_before - coalesce(base.month_sum, 0), null) as prev_ytd_value,
        coalesce(base.is_preliminary, false) or flag_counts_since_base % 100 > 0 as prev_ytd_is_preliminary,
        coalesce(base.is_estimate, false) or flag_counts_since_base // 100 % 100 > 0 as prev_ytd_is_estimate,
        coalesce(base.is_approximate, false) or flag_counts_since_base // 10000 > 0 as prev_ytd_is_approximate
    from previous_ytd_known
),
methods as (
    select
        *,
        case
            when month_value is not null then 'month_figure'
            when cumulative_value is null then null
            when not is_additive or month_number = 1 then 'cumulative_figure'
            when prev_ytd_value is not null then 'differenced'
        end as value_method,
        case
            when cumulative_value is not null then 'cumulative_figure'
            when month_value is not null and prev_ytd_value is not null
                then if(base.value is null, 'summed_months', 'cumulative_plus_months')
        end as ytd_method,
        -- the months missing between this one and the series' next reported month
        if(
            next_reported_month > month_start + interval 1 month,
            generate_series(month_start + interval 1 month, next_reported_month - interval 1 month, interval 1 month),
            []
        ) as gap_months
    from previous_ytd_valued
),
valued as (
    select
        *,
        case value_method
            when 'month_figure' then month_value
            when 'cumulative_figure' then cumulative_value
            when 'differenced' then cumulative_value - prev_ytd_value
        end as value,
        case
            when ytd_method = 'cumulative_figure' then cumulative_value
            when ytd_method is not null then prev_ytd_value + month_value
        end as ytd_value,
        -- a flag of any figure the value or the year to date rests on
        coalesce(month_is_preliminary, false) or coalesce(cumulative_is_preliminary, false)
            or ((value_method = 'differenced' or ytd_method like '%months') and prev_ytd_is_preliminary)
            as is_preliminary,
        coalesce(month_is_estimate, false) or coalesce(cumulative_is_estimate, false)
            or ((value_method = 'differenced' or ytd_method like '%months') and prev_ytd_is_estimate)
            as is_estimate,
        coalesce(month_is_approximate, false) or coalesce(cumulative_is_approximate, false)
            or ((value_method = 'differenced' or ytd_method like '%months') and prev_ytd_is_approximate)
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
        spine_month = month_start and coalesce(is_preliminary, false) as is_preliminary,
        spine_month = month_start as is_reported,
        if(spine_month = month_start, source_kind, null) as source_kind,
        if(spine_month = month_start, as_of, null) as as_of,
        spine_month = month_start and is_partial_month as is_partial_month,
        spine_month = month_start and coalesce(is_estimate, false) as is_estimate,
        spine_month = month_start and coalesce(is_approximate, false) as is_approximate,
        if(spine_month = month_start, value_method, null) as value_method,
        if(spine_month = month_start, ytd_method, null) as ytd_method
    from spine
)
select * from gaps_nulled;

comment on view kpi_monthly is 'Each metric''s own monthly value and its year-to-date value per district and month, department figures before news, gaps kept as null rows. Grain: district × metric × month_start.';
comment on column kpi_monthly.unit_id is 'Administrative unit (dim_unit); null for a unit outside the gazetteer.';
comment on column kpi_monthly.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_monthly.metric is 'Metric code (dim_metric).';
comment on column kpi_monthly.unit is 'VND (whole đồng), count or percent.';
comment on column kpi_monthly.month_start is 'First day of the month.';
comment on column kpi_monthly.value is 'The month''s own value: its month figure; else January''s cumulative figure; else this month''s cumulative figure minus the year to date at the end of the previous month (a share: its figure as it is). Null when unknown.';
comment on column kpi_monthly.ytd_value is 'Year-to-date value (January to the cut-off): the cumulative figure; else the month''s figure added to the year to date at the end of the previous month, which is known when every month since the year''s latest earlier full-month cumulative figure (since January without one) has a full-month value. Null when unknown.';
comment on column kpi_monthly.annual_plan is 'The annual plan stated with this month''s figures (kpi_plan_progress carries it through the year).';
comment on column kpi_monthly.is_preliminary is 'A figure the row''s value or ytd_value rests on is preliminary (Sơ bộ).';
comment on column kpi_monthly.is_reported is 'The month has a current actual figure (a gap row has none); it may give only a percentage.';
comment on column kpi_monthly.source_kind is 'department or news: the source of this month''s figures (department wins).';
comment on column kpi_monthly.as_of is 'Cut-off date of this month''s figures; null for a gap.';
comment on column kpi_monthly.is_partial_month is 'The cut-off falls before the month''s end (đến ngày 07/3): value and ytd_value cover the month only to as_of.';
comment on column kpi_monthly.is_estimate is 'A figure the row''s value or ytd_value rests on is an estimate (ước, dự kiến).';
comment on column kpi_monthly.is_approximate is 'A figure the row''s value or ytd_value rests on is a lower bound or round figure (hơn, khoảng): the value is not exact.';
comment on column kpi_monthly.value_method is 'How value was obtained: month_figure, cumulative_figure or differenced; null when value is null.';
comment on column kpi_monthly.ytd_method is 'How ytd_value was obtained: cumulative_figure, summed_months (the month values from January) or cumulative_plus_months (an earlier cumulative figure plus the month values since); null when ytd_value is null.';
