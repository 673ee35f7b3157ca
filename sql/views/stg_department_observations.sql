-- stg_department_observations: the current figures from department files, one per file row.
-- Grain: one row per district (unit_id) × metric × month_start × basis; superseded figures are left out
-- (a resubmitted file restating a figure replaces it; history stays in `observations`).
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
        is_preliminary,
        annual_plan,
        source_name,
        source_row,
        source_column,
        load_id
    from source
)
select * from renamed
