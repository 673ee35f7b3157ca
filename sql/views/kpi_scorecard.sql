-- kpi_scorecard: a district's key metrics for a month side by side, as the monthly People's Committee report gives them.
-- Grain: one row per district × month_start in which any key metric has a row in kpi_monthly.
-- Money metrics reported year to date (budget revenue and spending, public-investment disbursement, production
-- value) show their year-to-date value with progress against plan or the change on last year; the counts
-- (construction permits, urban-order violations) and fines show the month's own value.
create or replace view kpi_scorecard as
with monthly as (
    select * from kpi_monthly
    where metric in (
        'budget_revenue', 'budget_expenditure', 'public_investment_disbursement', 'production_value',
        'construction_permits', 'urban_violations', 'administrative_fines_amount'
    )
),
plan as (
    select unit_id, district, metric, month_start, pct_of_plan from kpi_plan_progress
    where metric in ('budget_revenue', 'budget_expenditure', 'public_investment_disbursement')
),
yoy as (
    select unit_id, district, metric, month_start, ytd_yoy_pct from kpi_yoy
    where metric = 'production_value'
),
joined as (
    select monthly.*, plan.pct_of_plan, yoy.ytd_yoy_pct
    from monthly
    left join plan
        on plan.unit_id is not distinct from monthly.unit_id and plan.district = monthly.district
        and plan.metric = monthly.metric and plan.month_start = monthly.month_start
    left join yoy
        on yoy.unit_id is not distinct from monthly.unit_id and yoy.district = monthly.district
        and yoy.metric = monthly.metric and yoy.month_start = monthly.month_start
)
select
    district,
    unit_id,
    month_start,
    max(ytd_value) filter (where metric = 'budget_revenue') as budget_revenue_ytd,
    max(pct_of_plan) filter (where metric = 'budget_revenue') as budget_revenue_pct_of_plan,
    max(ytd_value) filter (where metric = 'budget_expenditure') as budget_expenditure_ytd,
    max(pct_of_plan) filter (where metric = 'budget_expenditure') as budget_expenditure_pct_of_plan,
    max(ytd_value) filter (where metric = 'public_investment_disbursement') as public_investment_disbursement_ytd,
    max(pct_of_plan) filter (where metric = 'public_investment_disbursement')
        as public_investment_disbursement_pct_of_plan,
    max(ytd_value) filter (where metric = 'production_value') as production_value_ytd,
    max(ytd_yoy_pct) filter (where metric = 'production_value') as production_value_ytd_yoy_pct,
    max(value) filter (where metric = 'construction_permits') as construction_permits,
    max(value) filter (where metric = 'urban_violations') as urban_violations,
    max(value) filter (where metric = 'administrative_fines_amount') as administrative_fines_amount,
    count(*) filter (where value is not null or ytd_value is not null) as key_metrics_known,
    bool_or(is_partial_month) as has_partial_month,
    bool_or(is_estimate) as has_estimate,
    bool_or(is_preliminary) as has_preliminary
from joined
group by district, unit_id, month_start;

comment on view kpi_scorecard is 'A district''s key metrics for a month side by side: budget revenue, spending and public-investment disbursement against plan, production value on last year, permits, violations and fines. Grain: district × month_start.';
comment on column kpi_scorecard.district is 'Canonical unit name, or the name as written for a unit outside the gazetteer.';
comment on column kpi_scorecard.unit_id is 'Administrative unit; null for a unit outside the gazetteer.';
comment on column kpi_scorecard.month_start is 'First day of the month.';
comment on column kpi_scorecard.budget_revenue_ytd is 'Budget revenue, year to date (VND).';
comment on column kpi_scorecard.budget_revenue_pct_of_plan is 'Budget revenue year to date as % of the annual plan.';
comment on column kpi_scorecard.budget_expenditure_ytd is 'Budget expenditure, year to date (VND).';
comment on column kpi_scorecard.budget_expenditure_pct_of_plan is 'Budget expenditure year to date as % of the annual plan.';
comment on column kpi_scorecard.public_investment_disbursement_ytd is 'Public-investment disbursement, year to date (VND).';
comment on column kpi_scorecard.public_investment_disbursement_pct_of_plan is 'Public-investment disbursement year to date as % of the annual plan.';
comment on column kpi_scorecard.production_value_ytd is 'Production value, year to date (VND).';
comment on column kpi_scorecard.production_value_ytd_yoy_pct is 'Production value year to date, % change on the same period last year.';
comment on column kpi_scorecard.construction_permits is 'Construction permits issued in the month.';
comment on column kpi_scorecard.urban_violations is 'Urban and construction order violations handled in the month.';
comment on column kpi_scorecard.administrative_fines_amount is 'Administrative fines in the month (VND).';
comment on column kpi_scorecard.key_metrics_known is 'How many of the seven key metrics have a known value or year-to-date value this month.';
comment on column kpi_scorecard.has_partial_month is 'A key metric''s figures stop before the month''s end.';
comment on column kpi_scorecard.has_estimate is 'A key metric rests on an estimate.';
comment on column kpi_scorecard.has_preliminary is 'A key metric rests on a preliminary figure.';
