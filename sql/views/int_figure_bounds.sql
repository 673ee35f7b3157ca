-- int_figure_bounds: the range of true values each reported figure stands for, given how it was written.
-- Grain: one row per observation (obs_id), current and superseded alike (a restatement is compared with history).
-- Reused by the data-quality checks in sql/checks (news against department, two articles, internal consistency,
-- plan drift, year-to-date falls, restated months): two figures agree when their ranges overlap.
-- step: the step of a number's last written digit, read from the number itself since the text is not kept: the
--   largest power of ten it is a multiple of (115.075,8 tỷ -> 100 triệu; 1.890 tỷ -> 10 tỷ; hơn 1 nghìn tỷ -> 1 nghìn
--   tỷ; 84,72 % -> 0,01). A zero written as the last digit cannot be told from padding, so the step is the coarsest
--   the number allows: a disagreement is never claimed from a precision the figure may not have had. A department
--   file is a table, not prose: its round figures are not abbreviations, so its step is at most the third significant
--   digit's (7.000 tỷ in a file -> 10 tỷ; 'hơn 7 nghìn tỷ' in an article -> 1 nghìn tỷ). A count stated without a
--   qualifier, and a zero, are exact (step 0); a percentage is precise at least to its unit (100 % -> 1).
-- value_low .. value_high by qualifier: none or estimate (rounded or truncated: 115.075,8 tỷ stands for
--   115.075 tỷ 897 triệu) [v − step/2, v + step]; more_than (hơn, trên) [v, v + step]; about (khoảng, gần, xấp xỉ)
--   [v − step, v + step].
-- annual_plan_low .. high and pct_of_plan_low .. high: the stated plan and % of plan, rounded or truncated.
create or replace view int_figure_bounds as
with figures as (
    select obs_id, source_kind, value, unit, qualifier, annual_plan, pct_of_plan from observations
),
steps as (
    select
        *,
        -- the step of each number's last digit: [value, annual_plan, pct_of_plan]
        list_transform(
            [value, annual_plan, pct_of_plan],
            lambda x: if(x is null or x = 0, 0, pow(10, list_max(list_filter(
                range(-4, 16),
                lambda k: pow(10, k) <= abs(x) and abs(x - round(x / pow(10, k)) * pow(10, k)) <= 1e-9 * abs(x)
                    and (source_kind <> 'department' or k <= floor(log10(abs(x))) - 2)
            ))))
        ) as written_steps
    from figures
),
resolved as (
    select
        *,
        case
            when value is null then null
            when unit = 'count' and qualifier is null then 0
            when unit = 'percent' then least(written_steps[1], 1)
            else written_steps[1]
        end as step,
        written_steps[2] as annual_plan_step,
        least(written_steps[3], 1) as pct_of_plan_step
    from steps
)
select
    obs_id,
    value,
    step,
    case qualifier
        when 'more_than' then value
        when 'about' then value - step
        else value - step / 2
    end as value_low,
    value + step as value_high,
    annual_plan - annual_plan_step / 2 as annual_plan_low,
    annual_plan + annual_plan_step as annual_plan_high,
    pct_of_plan - pct_of_plan_step / 2 as pct_of_plan_low,
    pct_of_plan + pct_of_plan_step as pct_of_plan_high
from resolved;

comment on view int_figure_bounds is 'The range of true values each reported figure stands for, given the precision it was written with and its qualifier (hơn, khoảng); used by the data-quality checks to tell a real disagreement from rounding. Grain: one row per observation (obs_id), current and superseded.';
comment on column int_figure_bounds.obs_id is 'The observation (observations.obs_id).';
comment on column int_figure_bounds.value is 'The figure in base units (đồng, count, percent), as loaded.';
comment on column int_figure_bounds.step is 'The step of the figure''s last written digit, in its unit: 0 when exact (an unqualified count, a zero); null without a value.';
comment on column int_figure_bounds.value_low is 'Lowest true value the written figure can stand for.';
comment on column int_figure_bounds.value_high is 'Highest true value the written figure can stand for.';
comment on column int_figure_bounds.annual_plan_low is 'Lowest annual plan the stated plan can stand for; null without a stated plan.';
comment on column int_figure_bounds.annual_plan_high is 'Highest annual plan the stated plan can stand for; null without a stated plan.';
comment on column int_figure_bounds.pct_of_plan_low is 'Lowest % of plan the stated percentage can stand for; null without one.';
comment on column int_figure_bounds.pct_of_plan_high is 'Highest % of plan the stated percentage can stand for; null without one.';
