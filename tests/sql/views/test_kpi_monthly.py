"""kpi_monthly: tiny inputs -> the exact rows an analyst computes by hand."""

from tests.support.observations import insert

B = 10**9


def rows(wh, metric):
    return wh.query(
        "select month_start::varchar, value, ytd_value, is_reported from kpi_monthly where metric = ? order by month_start",
        [metric],
    ).rows


def test_ytd_series_is_differenced_within_the_year_with_january_and_a_gap(wh):
    for period, ytd in [("2024-01", 10), ("2024-02", 25), ("2024-03", 40), ("2024-05", 70)]:
        insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B)
    assert rows(wh, "budget_revenue") == [
        ("2024-01-01", 10 * B, 10 * B, True),  # January = its YTD
        ("2024-02-01", 15 * B, 25 * B, True),
        ("2024-03-01", 15 * B, 40 * B, True),
        ("2024-04-01", None, None, False),  # missing month: a gap row, not skipped
        ("2024-05-01", None, 70 * B, True),  # May alone is unknown without April's YTD
    ]


def test_year_boundary_restarts_the_difference(wh):
    for period, ytd in [("2024-11", 110), ("2024-12", 120), ("2025-01", 12), ("2025-02", 30)]:
        insert(wh.con, "Thanh Xuân", "budget_expenditure", period, ytd * B)
    assert rows(wh, "budget_expenditure") == [
        ("2024-11-01", None, 110 * B, True),  # series starts in November: October unknown
        ("2024-12-01", 10 * B, 120 * B, True),
        ("2025-01-01", 12 * B, 12 * B, True),
        ("2025-02-01", 18 * B, 30 * B, True),
    ]


def test_monthly_series_sums_to_ytd_only_without_missing_months(wh):
    for period, count in [("2024-01", 5), ("2024-02", 7), ("2024-04", 4), ("2025-01", 3)]:
        insert(wh.con, "Thanh Xuân", "construction_permits", period, count, basis="month")
    assert rows(wh, "construction_permits") == [
        ("2024-01-01", 5, 5, True),
        ("2024-02-01", 7, 12, True),
        ("2024-03-01", None, None, False),
        ("2024-04-01", 4, None, True),
        *[(f"2024-{m:02d}-01", None, None, False) for m in range(5, 13)],
        ("2025-01-01", 3, 3, True),
    ]


def test_share_is_never_differenced(wh):
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-01", 58.0, basis="ytd")
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-02", 58.6, basis="ytd")
    assert rows(wh, "trade_services_share") == [("2024-01-01", 58.0, 58.0, True), ("2024-02-01", 58.6, 58.6, True)]


def test_districts_are_separate_series(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-02", 20 * B)
    result = wh.query("select district, month_start::varchar, value from kpi_monthly order by all").rows
    assert result == [("Cầu Giấy", "2024-02-01", None), ("Thanh Xuân", "2024-01-01", 10 * B)]


def test_superseded_figures_are_ignored(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, superseded_by="later")
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 11 * B)
    assert rows(wh, "budget_revenue") == [("2024-01-01", 11 * B, 11 * B, True)]


def test_explicit_month_value_wins_over_the_difference(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 14 * B, basis="month")
    assert rows(wh, "budget_revenue")[1] == ("2024-02-01", 14 * B, 25 * B, True)
