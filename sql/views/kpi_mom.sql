-- kpi_mom: month-over-month change of each metric's monthly value and of its year-to-date value, per district.
-- Grain: one row per district × metric × month_start (as kpi_monthly). A change is never computed across a gap
-- (the previous month's figure is null, so is the change), and the monthly change is null when either month is
-- a partial month (a cut-off before the month's end: the two periods differ in length). The year-to-date
-- change compares with the previous month of the same year only: January's is null, the sum restarts.
create or replace view kpi_mom as
with monthly as (
    select * from kpi_monthly
),
compared as (
    select
        *,
        lag(value) over series as prev_value,
        lag(is_partial_month) over series as prev_is_partial_month,
        if(month(month_start) = 1, null, lag(ytd_value) over series) as prev_ytd_value
    from monthly
    window series as (partition by unit_id, district, metric order by month_start)
),
changes as (
    select
        *,
        if(is_partial_month or prev_is_partial_month, null, value - prev_value) as mom_change,
        ytd_value - prev_ytd_value as ytd_mom_change
    from compared
)
select
    district,
    unit_id,
    metric,
    unit,
    month_start,
    as_of,
    is_partial_month,
    value,
    prev_value,
    mom_change,
    round(100 * mom_change / nullif(abs(prev_value), 0), 2) as mom_pct,
    ytd_value,
    prev_ytd_value,
    ytd_mom_change,
    round(100 * ytd_mom_change / nullif(abs(prev_ytd_value), 0), 2) as ytd_mom_pct,
    source_kind,
    is_estimate,
    is_preliminary,
    is_approximate
from changes;
