"""kpi_scorecard: one row per district and month with the key metrics side by side."""

from tests.support.observations import B, insert


def test_key_metrics_side_by_side(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=100 * B)
    insert(wh.con, "Thanh Xuân", "budget_expenditure", "2024-01", 4 * B, annual_plan=50 * B, is_preliminary=True)
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 9, basis="month")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 6, basis="month")
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-01", 58.6)  # not a key metric
    assert wh.query(
        "select district, month_start::varchar, budget_revenue_ytd, budget_revenue_pct_of_plan, budget_expenditure_ytd,"
        " budget_expenditure_pct_of_plan, public_investment_disbursement_ytd, production_value_ytd,"
        " construction_permits, urban_violations, key_metrics_known, has_preliminary, has_estimate"
        " from kpi_scorecard order by month_start"
    ).rows == [
        ("Thanh Xuân", "2024-01-01", 10 * B, 10.0, 4 * B, 8.0, None, None, 9, None, 3, True, False),
        ("Thanh Xuân", "2024-02-01", None, None, None, None, None, None, 6, None, 1, False, False),
    ]
