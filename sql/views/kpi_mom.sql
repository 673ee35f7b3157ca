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

comment on view kpi_mom is 'Month-over-month change of each metric''s monthly value and of its year-to-date value, never across a gap. Grain: district × metric × month_start.';
comment on column kpi_mom.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_mom.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_mom.metric is 'Metric code.';
comment on column kpi_mom.unit is 'VND, count or percent.';
comment on column kpi_mom.month_start is 'First day of the month.';
comment on column kpi_mom.as_of is 'Cut-off date of the month''s figures.';
comment on column kpi_mom.is_partial_month is 'The month''s cut-off falls before its end.';
comment on column kpi_mom.value is 'The month''s own value (kpi_monthly.value).';
comment on column kpi_mom.prev_value is 'The previous month''s value; null after a gap.';
comment on column kpi_mom.mom_change is 'value − prev_value; null when either month is partial (periods of different length).';
comment on column kpi_mom.mom_pct is '100 × mom_change ÷ |prev_value|, 2 decimals; null when prev_value is 0.';
comment on column kpi_mom.ytd_value is 'Year-to-date value (kpi_monthly.ytd_value).';
comment on column kpi_mom.prev_ytd_value is 'The previous month''s year-to-date value, same year only (null in January).';
comment on column kpi_mom.ytd_mom_change is 'ytd_value − prev_ytd_value.';
comment on column kpi_mom.ytd_mom_pct is '100 × ytd_mom_change ÷ |prev_ytd_value|, 2 decimals.';
comment on column kpi_mom.source_kind is 'department or news: the source of the month''s figures.';
comment on column kpi_mom.is_estimate is 'The month''s value or ytd_value rests on an estimate.';
comment on column kpi_mom.is_preliminary is 'The month''s value or ytd_value rests on a preliminary figure.';
comment on column kpi_mom.is_approximate is 'The month''s value or ytd_value rests on a lower bound or round figure.';
