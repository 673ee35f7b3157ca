"""kpi_yoy: the same month last year, from data, or from 'bằng X% so với cùng kỳ' when only the ratio is known."""

import pytest

from tests.support.observations import B, insert, news

COLUMNS = (
    "month_start::varchar, value, prev_year_value, yoy_change, yoy_pct, yoy_source,"
    " ytd_value, prev_year_ytd_value, ytd_yoy_change, ytd_yoy_pct, ytd_yoy_source"
)


def yoy(wh, metric="budget_revenue"):
    return wh.query(f"select {COLUMNS} from kpi_yoy where metric = ? order by month_start", [metric]).rows


def test_from_data_when_last_year_has_the_month(wh):
    for period, ytd in [("2023-01", 10), ("2023-02", 22), ("2024-01", 12), ("2024-02", 30)]:
        insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B)
    rows = yoy(wh)
    assert rows[:2] == [
        ("2023-01-01", 10 * B, None, None, None, None, 10 * B, None, None, None, None),
        ("2023-02-01", 12 * B, None, None, None, None, 22 * B, None, None, None, None),
    ]
    assert rows[2:12] == [(f"2023-{m:02d}-01", *[None] * 10) for m in range(3, 13)]
    assert rows[12:] == [
        ("2024-01-01", 12 * B, 10 * B, 2 * B, 20.0, "data", 12 * B, 10 * B, 2 * B, 20.0, "data"),
        ("2024-02-01", 18 * B, 12 * B, 6 * B, 50.0, "data", 30 * B, 22 * B, 8 * B, 36.36, "data"),
    ]


def test_from_the_stated_ratio_when_last_year_is_missing(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, pct_of_same_period=118.5, growth_pct=3.0)
    [(month, value, prev, change, pct, source, ytd, prev_ytd, ytd_change, ytd_pct, ytd_source)] = yoy(wh)
    # October's own value is unknown (no September), so is its comparison; the year to date has the ratio
    assert (month, value, prev, change, pct, source) == ("2024-10-01", None, None, None, None, None)
    assert (ytd, ytd_pct, ytd_source) == (5_606 * B, 18.5, "ratio")
    assert prev_ytd == pytest.approx(5_606 * B / 1.185)
    assert ytd_change == pytest.approx(5_606 * B - 5_606 * B / 1.185)


def test_in_january_the_cumulative_ratio_is_the_months_ratio(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-01-31", 110 * B, pct_of_same_period=110.0)
    [row] = yoy(wh)
    assert row[0] == "2024-01-01" and row[4:6] == (10.0, "ratio") and row[9:] == (10.0, "ratio")
    assert row[2] == pytest.approx(100 * B) and row[7] == pytest.approx(100 * B)


def test_only_a_percentage_known(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_same_period=118.5)
    assert yoy(wh) == [("2024-10-01", None, None, None, None, None, None, None, None, 18.5, "ratio")]


def test_data_wins_over_the_ratio(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-01", 10 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-01-31", 12 * B, pct_of_same_period=125.0)
    assert yoy(wh)[-1][4:6] == (20.0, "data")


def test_a_partial_month_is_not_compared_with_a_whole_month(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2022-03", 40 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-03", 30 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-07", 33 * B, pct_of_same_period=115.0)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2025-03-07", 34 * B)
    by_month = {row[0]: row for row in yoy(wh)}
    assert by_month["2023-03-01"][9:] == (-25.0, "data")
    assert by_month["2024-03-01"][9:] == (15.0, "ratio")  # to 7 March vs the whole of March: the article's ratio
    assert by_month["2025-03-01"][9:] == (3.03, "data")  # both cut off on 7 March: like for like


def test_a_monthly_series_compares_month_values(wh):
    insert(wh.con, "Cầu Giấy", "construction_permits", "2023-06", 8, basis="month")
    insert(wh.con, "Cầu Giấy", "construction_permits", "2024-06", 6, basis="month")
    assert yoy(wh, "construction_permits")[-1] == ("2024-06-01", 6, 8, -2, -25.0, "data", None, None, None, None, None)
