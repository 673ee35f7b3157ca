"""kpi_latest: the latest known figure of each metric per district, with its comparisons."""

from tests.support.observations import B, insert, news


def test_the_latest_month_with_a_known_figure_per_district_and_metric(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-02", 20 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=120 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", None, pct_of_plan=30.0)  # a percentage only
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-01", 40, basis="month")
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-02", 30, basis="month")
    assert wh.query(
        "select district, metric, month_start::varchar, value, ytd_value, mom_change, mom_pct, ytd_mom_pct, ytd_yoy_pct,"
        " ytd_yoy_source, annual_plan, pct_of_plan, pct_of_year_elapsed, source_kind from kpi_latest order by district"
    ).rows == [
        ("Cầu Giấy", "urban_violations", "2024-02-01", 30, 70, -10, -25.0, 75.0, None, None, None, None, 16.67,
         "department"),
        ("Thanh Xuân", "budget_revenue", "2024-02-01", 15 * B, 25 * B, 5 * B, 50.0, 150.0, 25.0, "data", 120 * B,
         20.83, 16.67, "department"),
    ]


def test_a_unit_outside_the_gazetteer_gets_its_comparisons_by_name(wh):
    # no unit_id: the comparisons must be matched on the name, and never lent to another unit
    news(wh.con, "Phường Xuân La", "budget_revenue", "2024-01-31", 10 * B)
    news(wh.con, "Phường Xuân La", "budget_revenue", "2024-02-29", 16 * B, pct_of_plan=20.0)
    news(wh.con, "Phường Phú Thượng", "budget_revenue", "2024-02-29", 5 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 100 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 150 * B)
    assert wh.query(
        "select district, unit_id is null, month_start::varchar, value, ytd_value, mom_change, ytd_mom_pct,"
        " annual_plan, pct_of_plan from kpi_latest order by district"
    ).rows == [
        ("Phường Phú Thượng", True, "2024-02-01", None, 5 * B, None, None, None, None),
        ("Phường Xuân La", True, "2024-02-01", 6 * B, 16 * B, -4 * B, 60.0, 80 * B, 20.0),
        ("Thanh Xuân", False, "2024-02-01", 50 * B, 150 * B, -50 * B, 50.0, None, None),
    ]
