"""kpi_mom: month-over-month change, with gaps left as gaps."""

from tests.support.observations import insert, news

B = 10**9


def test_mom_of_a_ytd_series_with_a_gap(wh):
    for period, ytd in [("2024-01", 10), ("2024-02", 25), ("2024-03", 45), ("2024-05", 80), ("2024-06", 100)]:
        insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B)
    result = wh.query(
        "select month_start::varchar, value, prev_value, mom_change, mom_pct from kpi_mom order by month_start"
    ).rows
    assert result == [
        ("2024-01-01", 10 * B, None, None, None),
        ("2024-02-01", 15 * B, 10 * B, 5 * B, 50.0),
        ("2024-03-01", 20 * B, 15 * B, 5 * B, 33.33),
        ("2024-04-01", None, 20 * B, None, None),
        ("2024-05-01", None, None, None, None),
        ("2024-06-01", 20 * B, None, None, None),  # never compared across the gap
    ]


def test_mom_across_the_year_boundary_for_a_monthly_series(wh):
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-12", 40, basis="month")
    insert(wh.con, "Cầu Giấy", "urban_violations", "2025-01", 30, basis="month")
    assert wh.query("select district, month_start::varchar, mom_change, mom_pct from kpi_mom order by 2").rows == [
        ("Cầu Giấy", "2024-12-01", None, None),
        ("Cầu Giấy", "2025-01-01", -10, -25.0),
    ]


def test_change_from_zero_has_no_percentage(wh):
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-01", 0, basis="month")
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-02", 4, basis="month")
    assert wh.query("select mom_change, mom_pct from kpi_mom order by month_start").rows == [(None, None), (4, None)]


def test_year_to_date_change_restarts_each_january(wh):
    for period, ytd in [("2024-11", 110), ("2024-12", 120), ("2025-01", 12), ("2025-02", 30)]:
        insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B)
    assert wh.query(
        "select month_start::varchar, ytd_value, prev_ytd_value, ytd_mom_change, ytd_mom_pct from kpi_mom order by 1"
    ).rows == [
        ("2024-11-01", 110 * B, None, None, None),
        ("2024-12-01", 120 * B, 110 * B, 10 * B, 9.09),
        ("2025-01-01", 12 * B, None, None, None),
        ("2025-02-01", 30 * B, 12 * B, 18 * B, 150.0),
    ]


def test_a_partial_month_has_no_monthly_change_but_keeps_its_year_to_date_change(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-02", 25 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 30 * B)
    assert wh.query(
        "select month_start::varchar, is_partial_month, value, prev_value, mom_change, mom_pct, ytd_mom_change,"
        " ytd_mom_pct, source_kind from kpi_mom order by 1"
    ).rows == [
        ("2023-01-01", False, 10 * B, None, None, None, None, None, "department"),
        ("2023-02-01", False, 15 * B, 10 * B, 5 * B, 50.0, 15 * B, 150.0, "department"),
        ("2023-03-01", True, 5 * B, 15 * B, None, None, 5 * B, 20.0, "news"),
    ]
