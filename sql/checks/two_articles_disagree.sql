-- two_articles_disagree: Hai bài báo đưa hai số khác nhau cho cùng một số liệu (two articles disagree)
-- Purpose: two current news figures from different articles (URLs) for the same district, metric, period basis and
--   cut-off date whose ranges (int_figure_bounds: rounding, truncation, hơn, khoảng) do not overlap. 'hơn 5.606 tỷ'
--   and '5.606,7 tỷ' agree; '5.749 tỷ' and '5.794 tỷ' do not. Targets are not figures and are left out.
-- A row: one district × metric × month × basis (subject: ytd | month | quarter | half_year | year | other) with at
--   least one disagreeing pair of articles; the message names every pair, its figures and URLs.
-- Severity: info when every disagreeing pair involves an estimate (ước, later revised); critical when one figure is
--   more than scale_error_ratio times the other (a unit or scale error); else warning.
-- Parameters (params below): scale_error_ratio.
with params as (
    select 1.5 as scale_error_ratio
),
facts as (
    select
        o.obs_id, o.unit_id, o.district, o.metric, o.unit, o.month_start, o.as_of, o.basis, o.value, o.qualifier,
        o.is_estimate, o.source_name as url, o.evidence, b.value_low, b.value_high
    from int_observations as o
    join int_figure_bounds as b using (obs_id)
    where o.source_kind = 'news' and not o.is_target and o.value is not null
),
pairs as (
    select
        a.district, a.metric, a.unit, a.month_start, a.basis, a.as_of,
        a.url as first_url, a.value as first_value, a.qualifier as first_qualifier, a.evidence as first_evidence,
        b.url as second_url, b.value as second_value, b.qualifier as second_qualifier, b.evidence as second_evidence,
        a.is_estimate or b.is_estimate as involves_estimate,
        greatest(abs(a.value), abs(b.value)) / nullif(least(abs(a.value), abs(b.value)), 0) as ratio
    from facts as a
    join facts as b
        on b.unit_id is not distinct from a.unit_id and b.district = a.district and b.metric = a.metric
        and b.basis = a.basis and b.as_of = a.as_of and b.url > a.url
    where a.value_low > b.value_high * (1 + 1e-9) or a.value_high < b.value_low * (1 - 1e-9)
),
rated as (
    select
        pairs.*,
        case
            when ratio is null or ratio > params.scale_error_ratio then 'critical'
            when involves_estimate then 'info'
            else 'warning'
        end as severity,
        vi_figure(first_value, unit, first_qualifier) || ' (' || first_url || ') và '
            || vi_figure(second_value, unit, second_qualifier) || ' (' || second_url || ')' as pair_text
    from pairs, params
),
grouped as (
    select
        district,
        metric,
        month_start,
        basis,
        list(severity) as severities,
        string_agg(vi_period(basis, as_of) || ': ' || pair_text, '; ' order by as_of, first_url, second_url) as pair_texts,
        list({
            'as_of': as_of,
            'first': {'url': first_url, 'value': first_value, 'qualifier': first_qualifier, 'evidence': first_evidence},
            'second': {'url': second_url, 'value': second_value, 'qualifier': second_qualifier, 'evidence': second_evidence}
        } order by as_of, first_url, second_url) as pairs
    from rated
    group by district, metric, month_start, basis
)
select
    grouped.district,
    grouped.metric,
    grouped.month_start as period,
    grouped.basis as subject,
    worst_severity(severities) as severity,
    grouped.district || ' — ' || coalesce(metrics.label_vi, grouped.metric)
        || ': các bài báo đưa số khác nhau cho cùng một kỳ, ' || pair_texts
        || '. (two articles give different figures for the same thing)' as message,
    {'pairs': pairs} as details
from grouped
left join dim_metric as metrics on metrics.metric = grouped.metric
order by all;
