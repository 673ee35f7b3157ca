-- settled_month_restated: Số liệu của tháng đã chốt bị sửa (a settled month is restated)
-- Purpose: a current figure that differs from the figure that stood when its month was settled. A figure settles
--   settled_after_days after its month ended, or after it was first loaded when that was later (history loaded late
--   is open to correction for as long as a new month is): by then the month's report and the correction the month
--   after have come in. The settled figure is the one loaded last by that date. A figure is the same one across
--   loads when it has the same district, metric, month, basis and cut-off (and, for news, the same article). It is
--   restated when the current figure was loaded after the settlement date, from other bytes (a corrected file or a
--   changed article, not the same file read again by a better parser), and the two do not agree within the
--   precision they were written with (int_figure_bounds). A preliminary (Sơ bộ) or estimated settled figure that is
--   later made final is the normal course of reporting and is not alerted. Put the settled figure back and the alert
--   resolves.
-- A row: one district × metric × month × basis (subject) with a restated figure; the message names both figures and
--   the files or articles they came from.
-- Severity: critical when one figure is more than scale_error_ratio times the other; else warning.
-- Parameters (params below): settled_after_days (60), scale_error_ratio.
with params as (
    select 60 as settled_after_days, 1.5 as scale_error_ratio
),
figures as (
    select
        o.obs_id, o.unit_id, coalesce(units.name, o.district) as district, o.metric, o.unit, o.month_start, o.as_of,
        o.basis, o.value, o.qualifier, o.is_preliminary or o.is_estimate or coalesce(o.qualifier = 'estimate', false) as is_provisional,
        o.source_kind, o.source_name, o.source_row, o.source_sha256, o.loaded_at, o.superseded_by,
        b.value_low, b.value_high
    from observations as o
    join int_figure_bounds as b using (obs_id)
    left join dim_unit as units on units.unit_id = o.unit_id
    cross join params
    where not o.is_target and o.value is not null
),
keyed as (
    select
        *,
        [source_kind, coalesce(unit_id, district), metric, cast(month_start as varchar), basis, cast(as_of as varchar),
         if(source_kind = 'news', source_name, '')] as figure_key
    from figures
),
settlement as (
    -- settled_after_days after the month ended, or after the figure was first loaded when that was later
    select
        figure_key,
        greatest(last_day(any_value(month_start)), cast(min(loaded_at) as date)) + any_value(settled_after_days)
            as settled_on
    from keyed, params
    group by figure_key
),
settled as (
    -- the figure that stood on the settlement date: the one loaded last by then
    select figure_key, settled_on, arg_max(obs_id, loaded_at) as settled_obs_id
    from keyed
    join settlement using (figure_key)
    where loaded_at <= settled_on
    group by figure_key, settled_on
),
restated as (
    select
        current.district, current.metric, current.unit, current.month_start, current.basis, current.as_of,
        settled.settled_on,
        old.value as old_value, old.qualifier as old_qualifier, old.source_name as old_source, old.source_row as old_row,
        old.loaded_at as old_loaded_at,
        current.value as new_value, current.qualifier as new_qualifier, current.source_name as new_source,
        current.source_row as new_row, current.loaded_at as new_loaded_at,
        greatest(abs(old.value), abs(current.value)) / nullif(least(abs(old.value), abs(current.value)), 0) as ratio
    from keyed as current
    join settled using (figure_key)
    join keyed as old on old.obs_id = settled.settled_obs_id
    where current.superseded_by is null
        and current.obs_id <> old.obs_id
        and current.loaded_at > settled.settled_on
        and current.source_sha256 is distinct from old.source_sha256
        and not old.is_provisional
        and (current.value_low > old.value_high * (1 + 1e-9) or current.value_high < old.value_low * (1 - 1e-9))
),
grouped as (
    select
        district, metric, month_start, basis,
        bool_or(ratio is null or ratio > params.scale_error_ratio) as is_scale_error,
        string_agg(
            vi_period(basis, as_of) || ': ' || vi_figure(old_value, unit, old_qualifier) || ' (' || old_source
                || coalesce(' dòng ' || old_row, '') || ', nạp ' || strftime(old_loaded_at, '%d/%m/%Y') || ') thành '
                || vi_figure(new_value, unit, new_qualifier) || ' (' || new_source || coalesce(' dòng ' || new_row, '')
                || ', nạp ' || strftime(new_loaded_at, '%d/%m/%Y')
                || ', sau ngày chốt ' || strftime(settled_on, '%d/%m/%Y') || ')',
            '; ' order by as_of, new_source
        ) as changes,
        list({
            'as_of': as_of, 'old_value': old_value, 'old_source': old_source, 'old_row': old_row, 'old_loaded_at': old_loaded_at,
            'new_value': new_value, 'new_source': new_source, 'new_row': new_row, 'new_loaded_at': new_loaded_at,
            'settled_on': settled_on
        } order by as_of, new_source) as restatements
    from restated, params
    group by district, metric, month_start, basis
)
select
    grouped.district,
    grouped.metric,
    grouped.month_start as period,
    grouped.basis as subject,
    if(is_scale_error, 'critical', 'warning') as severity,
    grouped.district || ' — ' || coalesce(metrics.label_vi, grouped.metric) || ' tháng '
        || strftime(grouped.month_start, '%m/%Y') || ' đã chốt nhưng bị sửa: ' || changes
        || '. (a settled month was restated)' as message,
    {'restatements': restatements} as details
from grouped
left join dim_metric as metrics on metrics.metric = grouped.metric
order by all;
