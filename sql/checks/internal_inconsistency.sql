-- internal_inconsistency: Một nguồn tự mâu thuẫn (a source contradicts itself)
-- Purpose: one article or file that states figures which cannot all be true, each compared within the precision it
--   was written with (int_figure_bounds):
--   plan: a figure's value ÷ its % of plan implies a plan that the plan stated with it does not match (1.204,5 tỷ at
--     77,14 % implies 1.561,5 tỷ, so a stated plan of 15.615 tỷ is a tenfold slip);
--   restatement: two statements of the same figure (same district, metric, basis and cut-off) that do not agree:
--     '115.075,8 tỷ' and '115.075 tỷ 897 triệu' agree (the headline truncates the body); a tenfold difference does not.
--   Targets are not figures and are left out; a plan stated elsewhere in the source may be another baseline (city,
--   council, adjusted) and is not compared.
-- A row: one source (subject: file name or URL) × district × metric × month with at least one contradiction; the
--   message names each.
-- Severity: critical when the two numbers compared differ by more than scale_error_ratio times (a unit or scale
--   error, a digit too many or too few); else warning.
-- Parameters (params below): scale_error_ratio.
with params as (
    select 1.5 as scale_error_ratio
),
facts as (
    select o.*, b.value_low, b.value_high, b.annual_plan_low, b.annual_plan_high, b.pct_of_plan_low, b.pct_of_plan_high
    from int_observations as o
    join int_figure_bounds as b using (obs_id)
    where not o.is_target and o.value is not null
),
plan_contradictions as (
    select
        district, metric, unit, month_start, source_name, source_row,
        value / (pct_of_plan / 100) as first_number,
        annual_plan as second_number,
        vi_period(basis, as_of) || ': ' || vi_figure(value, unit, qualifier) || ' đạt ' || vi_number(pct_of_plan, 2)
            || ' % kế hoạch, tức kế hoạch khoảng '
            || vi_figure(round_significant(value / (pct_of_plan / 100), 5), unit, null)
            || ', nhưng kế hoạch ghi cùng số liệu là ' || vi_figure(annual_plan, unit, null)
            || coalesce(' (dòng ' || source_row || ')', '') as finding,
        to_json({'kind': 'plan', 'value': value, 'pct_of_plan': pct_of_plan, 'annual_plan': annual_plan,
         'implied_plan': value / (pct_of_plan / 100), 'row': source_row, 'evidence': evidence}) as detail
    from facts
    where pct_of_plan > 0 and annual_plan > 0
        and (value_low / (pct_of_plan_high / 100) > annual_plan_high * (1 + 1e-9)
             or value_high / (pct_of_plan_low / 100) < annual_plan_low * (1 - 1e-9))
),
restatements as (
    select
        a.district, a.metric, a.unit, a.month_start, a.source_name, a.source_row,
        a.value as first_number,
        b.value as second_number,
        vi_period(a.basis, a.as_of) || ': cùng một số liệu được ghi là ' || vi_figure(a.value, a.unit, a.qualifier)
            || coalesce(' (dòng ' || a.source_row || ')', '') || ' và ' || vi_figure(b.value, b.unit, b.qualifier)
            || coalesce(' (dòng ' || b.source_row || ')', '') as finding,
        to_json({'kind': 'restatement', 'first': a.value, 'second': b.value, 'first_evidence': a.evidence,
         'second_evidence': b.evidence, 'first_row': a.source_row, 'second_row': b.source_row}) as detail
    from facts as a
    join facts as b
        on b.source_kind = a.source_kind and b.source_name = a.source_name
        and b.unit_id is not distinct from a.unit_id and b.district = a.district and b.metric = a.metric
        and b.basis = a.basis and b.as_of = a.as_of and b.obs_id > a.obs_id
    where a.value_low > b.value_high * (1 + 1e-9) or a.value_high < b.value_low * (1 - 1e-9)
),
findings as (
    select
        *,
        greatest(abs(first_number), abs(second_number)) / nullif(least(abs(first_number), abs(second_number)), 0)
            as ratio
    from (select * from plan_contradictions union all select * from restatements)
),
grouped as (
    select
        district,
        metric,
        month_start,
        source_name,
        bool_or(ratio is null or ratio > params.scale_error_ratio) as is_scale_error,
        string_agg(finding, '; ' order by finding) as found,
        list(detail order by finding) as contradictions
    from findings, params
    group by district, metric, month_start, source_name
)
select
    grouped.district,
    grouped.metric,
    grouped.month_start as period,
    grouped.source_name as subject,
    if(is_scale_error, 'critical', 'warning') as severity,
    grouped.district || ' — ' || coalesce(metrics.label_vi, grouped.metric) || ', ' || grouped.source_name
        || ' tự mâu thuẫn: ' || found || '. (the source contradicts itself)' as message,
    {'source': grouped.source_name, 'contradictions': contradictions} as details
from grouped
left join dim_metric as metrics on metrics.metric = grouped.metric
order by all;
