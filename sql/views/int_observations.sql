-- int_observations: the current figures of both sources in one shape, with the period each covers in monthly terms.
-- Grain: one row per current observation (obs_id), department and news alike, targets included (flagged).
-- Reused by int_month_figures, kpi_plan_progress (targets), kpi_reconciliation and kpi_lineage.
-- period_kind says how a figure can enter a monthly series: 'month' (the month's own value) or 'cumulative'
-- (January to the cut-off: ytd, and the quarter, half-year and year figures that start in January: Q1 ending
-- in March, H1 ending in June, the year ending in December); null for any other period (Q2, H2, other).
create or replace view int_observations as
with department as (
    select
        *,
        'department' as source_kind,
        1 as source_priority,
        cast(null as varchar) as evidence,
        cast(null as integer) as evidence_start,
        cast(null as integer) as evidence_end
    from stg_department_observations
),
news as (
    select
        *,
        'news' as source_kind,
        2 as source_priority,
        url as source_name,
        cast(null as integer) as source_row,
        cast(null as varchar) as source_column
    from stg_news_facts
),
unioned as (
    select * exclude (url) from news
    union all by name
    select * from department
),
classified as (
    select
        obs_id,
        unit_id,
        district,
        metric,
        month_start,
        as_of,
        basis,
        case
            when basis = 'month' then 'month'
            when basis = 'ytd' then 'cumulative'
            when basis = 'quarter' and month(month_start) = 3 then 'cumulative'
            when basis = 'half_year' and month(month_start) = 6 then 'cumulative'
            when basis = 'year' and month(month_start) = 12 then 'cumulative'
        end as period_kind,
        as_of < last_day(month_start) as is_partial_month,
        value,
        unit,
        qualifier,
        coalesce(qualifier in ('more_than', 'about'), false) as is_approximate,
        is_preliminary,
        is_estimate,
        is_target,
        annual_plan,
        pct_of_plan,
        pct_of_same_period,
        growth_pct,
        source_kind,
        source_priority,
        source_name,
        source_sha256,
        source_row,
        source_column,
        evidence,
        evidence_start,
        evidence_end,
        load_id,
        loaded_at
    from unioned
)
select * from classified;

comment on view int_observations is 'Current figures of department files and news articles in one shape, with the period each covers in monthly terms. Grain: obs_id.';
comment on column int_observations.obs_id is 'Observation key (observations.obs_id).';
comment on column int_observations.unit_id is 'Administrative unit (dim_unit.unit_id); null for a unit outside the gazetteer (news only).';
comment on column int_observations.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column int_observations.metric is 'Metric code (dim_metric.metric).';
comment on column int_observations.month_start is 'First day of the month the figure belongs to (the month of its cut-off).';
comment on column int_observations.as_of is 'Cut-off date of the figure.';
comment on column int_observations.basis is 'Period as stated: ytd, month, quarter, half_year, year or other.';
comment on column int_observations.period_kind is 'month (the month''s own value), cumulative (January to the cut-off: ytd, Q1, H1, the year) or null (a period that is neither, e.g. Q2).';
comment on column int_observations.is_partial_month is 'The cut-off falls before the month''s last day (đến ngày 07/3): the figure covers part of its month.';
comment on column int_observations.value is 'The figure in base units; null when only a percentage was given.';
comment on column int_observations.unit is 'VND, count or percent.';
comment on column int_observations.qualifier is 'more_than, about or estimate; null when stated exactly.';
comment on column int_observations.is_approximate is 'The figure is a lower bound or a round figure (qualifier more_than or about).';
comment on column int_observations.is_preliminary is 'The figure is marked preliminary (Sơ bộ).';
comment on column int_observations.is_estimate is 'The figure is an estimate (ước, dự kiến).';
comment on column int_observations.is_target is 'The figure is a target or plan, not an actual.';
comment on column int_observations.annual_plan is 'The year''s plan stated with the figure.';
comment on column int_observations.pct_of_plan is 'The figure as a percentage of the plan, as stated.';
comment on column int_observations.pct_of_same_period is 'The figure as a percentage of the same period last year, as stated.';
comment on column int_observations.growth_pct is 'Growth as stated, negative for a fall.';
comment on column int_observations.source_kind is 'department or news.';
comment on column int_observations.source_priority is 'Precedence of the source: 1 department, 2 news (department figures win).';
comment on column int_observations.source_name is 'File name (department) or article URL (news).';
comment on column int_observations.source_sha256 is 'SHA-256 of the file or page.';
comment on column int_observations.source_row is 'Line number in the file, header included (department).';
comment on column int_observations.source_column is 'Header of the column the figure came from (department).';
comment on column int_observations.evidence is 'The sentence the figure was read from (news).';
comment on column int_observations.evidence_start is 'Character offset where the evidence begins in the article text (news).';
comment on column int_observations.evidence_end is 'Character offset just past the end of the evidence (news).';
comment on column int_observations.load_id is 'The load that wrote the figure.';
comment on column int_observations.loaded_at is 'When the figure was loaded.';
