-- kpi_monthly: each metric's own monthly value and its year-to-date value, per district and month.
-- Grain: one row per district × metric × month_start, every month from the series' first to its last
-- reported month: a month with no figure is a row with null values (a gap), never skipped.
-- A year-to-date series becomes monthly by differencing within the year (January = its YTD); a monthly
-- series becomes year-to-date by summing from January, only when no month of the year is missing.
create or replace view kpi_monthly as
with observed as (
    select
        unit_id,
        district,
        metric,
        month_start,
        max(value) filter (where basis = 'month') as month_reported,
        max(value) filter (where basis = 'ytd') as ytd_reported,
        bool_or(is_preliminary) as is_preliminary,
        max(annual_plan) as annual_plan
    from stg_department_observations
    where basis in ('month', 'ytd')
    group by all
),
series as (
    select unit_id, district, metric, min(month_start) as first_month, max(month_start) as last_month
    from observed
    group by all
),
spine as (
    select
        unit_id,
        district,
        metric,
        cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month_start
    from series
),
joined as (
    select
        spine.*,
        observed.month_reported,
        observed.ytd_reported,
        coalesce(observed.is_preliminary, false) as is_preliminary,
        observed.annual_plan,
        observed.month_start is not null as is_reported,
        m.unit,
        m.is_additive,
        year(spine.month_start) as year
    from spine
    left join observed using (unit_id, metric, month_start)
    join dim_metric as m using (metric)
),
derived as (
    select
        *,
        lag(ytd_reported) over w as prev_ytd_reported,
        sum(month_reported) over w as month_running_sum,
        count(month_reported) over w as months_in_sum
    from joined
    window w as (partition by unit_id, metric, year order by month_start)
)
select
    unit_id,
    district,
    metric,
    unit,
    month_start,
    case
        when month_reported is not null then month_reported
        when not is_additive then ytd_reported
        when month(month_start) = 1 then ytd_reported
        else ytd_reported - prev_ytd_reported
    end as value,
    case
        when ytd_reported is not null then ytd_reported
        when is_additive and months_in_sum = month(month_start) then month_running_sum
    end as ytd_value,
    annual_plan,
    is_preliminary,
    is_reported
from derived
