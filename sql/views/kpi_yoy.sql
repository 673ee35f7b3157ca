-- kpi_yoy: year-over-year change of each metric's monthly value and of its year-to-date value, per district.
-- Grain: one row per district × metric × month_start (as kpi_monthly).
-- From data when the same month last year has a figure covering the same part of its month (both full months, or
-- both cut off on the same day); else from the ratio stated with the figure (bằng X% so với cùng kỳ): the change
-- is then X − 100 as stated, and last year's figure is implied as value ÷ (X / 100). yoy_source says which.
-- Growth rates stated without 'so với cùng kỳ' (tăng X%) are not used: their baseline is not always last year.
create or replace view kpi_yoy as
with monthly as (
    select * from kpi_monthly
),
stated as (
    select
        unit_id,
        district,
        metric,
        month_start,
        month_obs_id,
        month_pct_of_same_period,
        cumulative_pct_of_same_period
    from int_month_figures
),
metrics as (
    select metric, is_additive from dim_metric
),
last_year as (
    select
        *,
        lag(value, 12) over series as ly_value,
        lag(ytd_value, 12) over series as ly_ytd_value,
        lag(as_of, 12) over series as ly_as_of,
        lag(is_partial_month, 12) over series as ly_is_partial_month,
        lag(is_estimate, 12) over series as ly_is_estimate,
        lag(is_preliminary, 12) over series as ly_is_preliminary,
        lag(is_approximate, 12) over series as ly_is_approximate
    from monthly
    window series as (partition by unit_id, district, metric order by month_start)
),
joined as (
    select
        last_year.*,
        coalesce(metrics.is_additive, false) as is_additive,
        month(last_year.month_start) as month_number,
        stated.month_obs_id,
        stated.month_pct_of_same_period,
        stated.cumulative_pct_of_same_period,
        -- the two periods cover the same part of their months
        (not last_year.is_partial_month and not last_year.ly_is_partial_month)
            or (last_year.is_partial_month and last_year.ly_is_partial_month and day(last_year.as_of) = day(last_year.ly_as_of))
            as is_like_for_like
    from last_year
    left join stated
        on stated.unit_id is not distinct from last_year.unit_id
        and stated.district = last_year.district
        and stated.metric = last_year.metric
        and stated.month_start = last_year.month_start
    left join metrics on metrics.metric = last_year.metric
),
ratios as (
    select
        *,
        -- the ratio stated with the figure the value (or the year-to-date value) is: in January an additive
        -- metric's cumulative figure is the month's figure, and a share's value is its cumulative figure
        coalesce(
            month_pct_of_same_period,
            if((is_additive and month_number = 1) or (not is_additive and month_obs_id is null), cumulative_pct_of_same_period, null)
        ) as value_pct_of_same_period,
        coalesce(
            cumulative_pct_of_same_period,
            if(is_additive and month_number = 1, month_pct_of_same_period, null)
        ) as ytd_pct_of_same_period
    from joined
),
sourced as (
    select
        *,
        case
            when value is not null and ly_value is not null and is_like_for_like then 'data'
            when value_pct_of_same_period is not null then 'ratio'
        end as yoy_source,
        case
            when ytd_value is not null and ly_ytd_value is not null and is_like_for_like then 'data'
            when ytd_pct_of_same_period is not null then 'ratio'
        end as ytd_yoy_source
    from ratios
),
compared as (
    select
        *,
        case yoy_source
            when 'data' then ly_value
            when 'ratio' then value / nullif(value_pct_of_same_period / 100, 0)
        end as prev_year_value,
        case ytd_yoy_source
            when 'data' then ly_ytd_value
            when 'ratio' then ytd_value / nullif(ytd_pct_of_same_period / 100, 0)
        end as prev_year_ytd_value
    from sourced
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
    prev_year_value,
    value - prev_year_value as yoy_change,
    case yoy_source
        when 'data' then round(100 * (value - prev_year_value) / nullif(abs(prev_year_value), 0), 2)
        when 'ratio' then round(value_pct_of_same_period - 100, 2)
    end as yoy_pct,
    yoy_source,
    ytd_value,
    prev_year_ytd_value,
    ytd_value - prev_year_ytd_value as ytd_yoy_change,
    case ytd_yoy_source
        when 'data' then round(100 * (ytd_value - prev_year_ytd_value) / nullif(abs(prev_year_ytd_value), 0), 2)
        when 'ratio' then round(ytd_pct_of_same_period - 100, 2)
    end as ytd_yoy_pct,
    ytd_yoy_source,
    source_kind,
    is_estimate or (coalesce(yoy_source = 'data' or ytd_yoy_source = 'data', false) and ly_is_estimate) as is_estimate,
    is_preliminary or (coalesce(yoy_source = 'data' or ytd_yoy_source = 'data', false) and ly_is_preliminary)
        as is_preliminary,
    is_approximate or (coalesce(yoy_source = 'data' or ytd_yoy_source = 'data', false) and ly_is_approximate)
        as is_approximate
from compared;

comment on view kpi_yoy is 'Year-over-year change of each metric''s monthly and year-to-date values: from the same month last year, or from the stated % of the same period. Grain: district × metric × month_start.';
comment on column kpi_yoy.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_yoy.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_yoy.metric is 'Metric code.';
comment on column kpi_yoy.unit is 'VND, count or percent.';
comment on column kpi_yoy.month_start is 'First day of the month.';
comment on column kpi_yoy.as_of is 'Cut-off date of the month''s figures.';
comment on column kpi_yoy.is_partial_month is 'The month''s cut-off falls before its end.';
comment on column kpi_yoy.value is 'The month''s own value.';
comment on column kpi_yoy.prev_year_value is 'The same month last year: its value (yoy_source data) or value ÷ (stated % ÷ 100) (yoy_source ratio, approximate).';
comment on column kpi_yoy.yoy_change is 'value − prev_year_value.';
comment on column kpi_yoy.yoy_pct is 'Data: 100 × yoy_change ÷ |prev_year_value|; ratio: the stated % − 100, as stated. 2 decimals.';
comment on column kpi_yoy.yoy_source is 'data (same month last year, same part of the month) or ratio (bằng X% so với cùng kỳ stated with the month''s figure); null when neither.';
comment on column kpi_yoy.ytd_value is 'Year-to-date value.';
comment on column kpi_yoy.prev_year_ytd_value is 'Year-to-date value of the same month last year, from data or implied by the stated ratio.';
comment on column kpi_yoy.ytd_yoy_change is 'ytd_value − prev_year_ytd_value.';
comment on column kpi_yoy.ytd_yoy_pct is 'As yoy_pct, for the year-to-date value.';
comment on column kpi_yoy.ytd_yoy_source is 'data or ratio, as yoy_source, for the year-to-date value.';
comment on column kpi_yoy.source_kind is 'department or news: the source of the month''s figures.';
comment on column kpi_yoy.is_estimate is 'A figure compared (this year''s, or last year''s when from data) is an estimate.';
comment on column kpi_yoy.is_preliminary is 'A figure compared is preliminary.';
comment on column kpi_yoy.is_approximate is 'A figure compared is a lower bound or round figure.';
