-- stg_department_observations: the current figures read from department files, with the file row each came from.
-- Grain: one row per current department observation (obs_id); superseded figures are left out (a resubmitted
-- file restating a figure replaces it; the history stays in `observations`).
create or replace view stg_department_observations as
with source as (
    select * from observations
    where source_kind = 'department' and superseded_by is null
),
renamed as (
    select
        obs_id,
        unit_id,
        district,
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
        source_name,
        source_sha256,
        source_row,
        source_column,
        load_id,
        loaded_at
    from source
)
select * from renamed;

comment on view stg_department_observations is 'Current figures from department files (superseded ones left out), one row per observation, each with its file and row. Grain: obs_id.';
comment on column stg_department_observations.obs_id is 'Observation key: file:<sha256>:<row>[:<column>].';
comment on column stg_department_observations.unit_id is 'Administrative unit (dim_unit.unit_id).';
comment on column stg_department_observations.district is 'Canonical unit name, e.g. Thanh Xuân.';
comment on column stg_department_observations.metric is 'Metric code (dim_metric.metric).';
comment on column stg_department_observations.month_start is 'First day of the month the figure belongs to.';
comment on column stg_department_observations.as_of is 'Cut-off date of the figure (the month''s last day for a full month).';
comment on column stg_department_observations.basis is 'Period the figure covers: ytd (year to date, cumulative from January), month, quarter, half_year, year or other.';
comment on column stg_department_observations.value is 'The figure in base units: whole đồng, a count, or a percentage as a number (84.72).';
comment on column stg_department_observations.unit is 'VND, count or percent.';
comment on column stg_department_observations.qualifier is 'more_than (hơn, trên), about (gần, khoảng) or estimate (ước); null when stated exactly.';
comment on column stg_department_observations.is_preliminary is 'The file marks the figure as preliminary (Sơ bộ).';
comment on column stg_department_observations.is_estimate is 'The figure is an estimate (ước, dự kiến): flagged so, or qualified as estimate.';
comment on column stg_department_observations.is_target is 'The figure is a target or plan, not an actual.';
comment on column stg_department_observations.annual_plan is 'The year''s plan (kế hoạch năm, dự toán) stated with the figure, in the same unit.';
comment on column stg_department_observations.pct_of_plan is 'The figure as a percentage of the plan, as stated (84.72 = 84.72 %).';
comment on column stg_department_observations.pct_of_same_period is 'The figure as a percentage of the same period last year, as stated (118.5 = 118.5 %).';
comment on column stg_department_observations.growth_pct is 'Growth as stated (tăng/giảm X %), negative for a fall; its baseline is not always stated.';
comment on column stg_department_observations.source_name is 'Name of the file the figure was read from.';
comment on column stg_department_observations.source_sha256 is 'SHA-256 of the file''s bytes (raw_files.sha256).';
comment on column stg_department_observations.source_row is 'Line number of the figure in the file, header included.';
comment on column stg_department_observations.source_column is 'Header of the column the figure was read from.';
comment on column stg_department_observations.load_id is 'The load that wrote the figure (load_runs.load_id).';
comment on column stg_department_observations.loaded_at is 'When the figure was loaded.';
