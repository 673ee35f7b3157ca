-- stg_news_facts: the current figures read from news articles, each with the sentence it was read from.
-- Grain: one row per current news observation (obs_id); facts of a re-versioned article that were superseded
-- are left out. A known unit (unit_id set) gets its canonical name from dim_unit, so its news and department
-- figures form one series; a unit outside the gazetteer keeps the name as written and a null unit_id.
create or replace view stg_news_facts as
with source as (
    select * from observations
    where source_kind = 'news' and superseded_by is null
),
units as (
    select unit_id, name from dim_unit
),
renamed as (
    select
        obs_id,
        unit_id,
        coalesce(units.name, source.district) as district,
        metric,
        month_start,
        as_of,
        basis,
        value,
        unit,
        qualifier,
        is_preliminary,
        is_estimate or coalesce(qualifier = 'estimate', false) as is_estimate,
        is_target,
        annual_plan,
        pct_of_plan,
        pct_of_same_period,
        growth_pct,
        source_name as url,
        source_sha256,
        evidence,
        evidence_start,
        evidence_end,
        load_id,
        loaded_at
    from source
    left join units using (unit_id)
)
select * from renamed;

comment on view stg_news_facts is 'Current figures read from news articles (facts of superseded article versions left out), each with its URL and sentence. Grain: obs_id.';
comment on column stg_news_facts.obs_id is 'Observation key given by the news loader.';
comment on column stg_news_facts.unit_id is 'Administrative unit (dim_unit.unit_id); null for a unit outside the gazetteer.';
comment on column stg_news_facts.district is 'Canonical unit name when the unit is known, else the name as written in the article.';
comment on column stg_news_facts.metric is 'Metric code (dim_metric.metric).';
comment on column stg_news_facts.month_start is 'First day of the month of the cut-off date.';
comment on column stg_news_facts.as_of is 'Cut-off date of the figure (đến ngày 07/3/2023 -> 2023-03-07); the month''s last day for a full month.';
comment on column stg_news_facts.basis is 'Period the figure covers: ytd (year to date, cumulative from January), month, quarter, half_year, year or other.';
comment on column stg_news_facts.value is 'The figure in base units (whole đồng, a count, a percentage as a number); null when the article gives only a percentage.';
comment on column stg_news_facts.unit is 'VND, count or percent.';
comment on column stg_news_facts.qualifier is 'more_than (hơn, trên), about (gần, khoảng, xấp xỉ) or estimate (ước); null when stated exactly.';
comment on column stg_news_facts.is_preliminary is 'The figure is marked preliminary.';
comment on column stg_news_facts.is_estimate is 'The figure is an estimate (ước, dự kiến): flagged so, or qualified as estimate.';
comment on column stg_news_facts.is_target is 'The figure is a target (phấn đấu, chỉ tiêu giao, kế hoạch năm …), not an actual.';
comment on column stg_news_facts.annual_plan is 'The year''s plan stated with the figure, in the same unit.';
comment on column stg_news_facts.pct_of_plan is 'The figure as a percentage of the plan, as stated (đạt 84,72% dự toán -> 84.72).';
comment on column stg_news_facts.pct_of_same_period is 'The figure as a percentage of the same period last year, as stated (bằng 118,5% so với cùng kỳ -> 118.5).';
comment on column stg_news_facts.growth_pct is 'Growth as stated (tăng/giảm X %), negative for a fall; its baseline is not always stated.';
comment on column stg_news_facts.url is 'URL of the article the figure was read from.';
comment on column stg_news_facts.source_sha256 is 'SHA-256 of the page as fetched.';
comment on column stg_news_facts.evidence is 'The sentence the figure was read from.';
comment on column stg_news_facts.evidence_start is 'Character offset in the article text where the evidence begins.';
comment on column stg_news_facts.evidence_end is 'Character offset in the article text just past the end of the evidence.';
comment on column stg_news_facts.load_id is 'The load that wrote the figure (load_runs.load_id).';
comment on column stg_news_facts.loaded_at is 'When the figure was loaded.';
