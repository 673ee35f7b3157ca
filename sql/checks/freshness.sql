-- freshness: Chuỗi số liệu chậm cập nhật (a series has no new figure)
-- Purpose: a district × metric whose newest figure (cut-off date of any current actual figure, department or news)
--   lags the newest figure in the whole warehouse by more than the metric's freshness_days (dim_metric, from
--   contracts/reference/metrics.toml). Lateness is measured against what the warehouse has from everyone else, not
--   against today: a warehouse of 2024–25 history (the bundled samples) does not make every series late forever, while
--   a district whose office stopped sending, or a metric that stopped being reported, stands out. A cut-off later
--   than the figure was loaded is a forecast, not news, and does not move the warehouse's newest date. A unit that
--   ceased to exist (dim_unit.valid_to) before that date is not late.
-- A row: one district × metric whose newest figure is too old (period null: the whole series).
-- Severity: warning.
-- Parameters: freshness_days per metric (dim_metric; 45 for monthly reports: a month behind the others is normal,
--   two months is late).
with figures as (
    select unit_id, district, metric, as_of, source_name
    from int_observations
    where not is_target and value is not null and as_of <= loaded_at
),
newest_overall as (
    select max(as_of) as newest from figures
),
series as (
    select unit_id, district, metric, max(as_of) as newest, arg_max(source_name, as_of) as newest_source
    from figures
    group by unit_id, district, metric
),
late as (
    select
        series.*,
        newest_overall.newest as warehouse_newest,
        datediff('day', series.newest, newest_overall.newest) as days_behind,
        metrics.freshness_days,
        metrics.label_vi
    from series
    cross join newest_overall
    join dim_metric as metrics on metrics.metric = series.metric
    left join dim_unit as units on units.unit_id = series.unit_id
    where datediff('day', series.newest, newest_overall.newest) > metrics.freshness_days
        and (units.valid_to is null or units.valid_to >= newest_overall.newest)
)
select
    district,
    metric,
    cast(null as date) as period,
    'warning' as severity,
    district || ' — ' || coalesce(label_vi, metric) || ': chưa có số liệu mới; số liệu gần nhất đến ngày '
        || strftime(newest, '%d/%m/%Y') || ' (' || newest_source || '), chậm ' || days_behind
        || ' ngày so với số liệu mới nhất trong kho (' || strftime(warehouse_newest, '%d/%m/%Y') || '); ngưỡng '
        || freshness_days || ' ngày. (no new figure for this series)' as message,
    {
        'newest_as_of': newest, 'newest_source': newest_source, 'warehouse_newest_as_of': warehouse_newest,
        'days_behind': days_behind, 'freshness_days': freshness_days
    } as details
from late
order by all;
