-- kpi_mom: month-over-month change of each metric's monthly value, per district.
-- Grain: one row per district × metric × month_start (as kpi_monthly); after a gap month the change is null,
-- it is never computed across the gap.
create or replace view kpi_mom as
with monthly as (
    select * from kpi_monthly
),
compared as (
    select
        unit_id,
        district,
        metric,
        unit,
        month_start,
        value,
        lag(value) over (partition by unit_id, metric order by month_start) as prev_value
    from monthly
)
select
    district,
    unit_id,
    metric,
    unit,
    month_start,
    value,
    prev_value,
    value - prev_value as mom_change,
    round(100 * (value - prev_value) / nullif(abs(prev_value), 0), 2) as mom_pct
from compared
