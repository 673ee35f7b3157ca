"""kpi_plan_progress: year-to-date progress against the annual plan and the monthly run rate still needed."""

import pytest

from tests.support.observations import B, insert, news

COLUMNS = (
    "month_start::varchar, ytd_value, annual_plan, annual_plan_source, pct_of_plan, pct_of_plan_source,"
    " pct_of_year_elapsed, months_remaining, required_monthly_run_rate"
)


def progress(wh, metric="budget_revenue", district="Thanh Xuân"):
    return wh.query(
        f"select {COLUMNS} from kpi_plan_progress where metric = ? and district = ? order by month_start", [metric, district]
    ).rows


def test_a_reported_plan_holds_until_restated_and_december_has_no_run_rate(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=120 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-11", 105 * B, annual_plan=100 * B)  # adjusted plan
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-12", 110 * B)
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-12", 90 * B, annual_plan=100 * B)
    rows = progress(wh)
    assert rows[0] == ("2024-01-01", 10 * B, 120 * B, "reported", 8.33, "computed", 8.33, 11.0, 10 * B)
    assert rows[1] == ("2024-02-01", 25 * B, 120 * B, "reported", 20.83, "computed", 16.67, 10.0, 9.5 * B)
    assert rows[2][:3] == ("2024-03-01", None, 120 * B)  # a gap month still knows the plan
    assert rows[2][4] is None and rows[2][8] is None
    assert rows[-2] == ("2024-11-01", 105 * B, 100 * B, "reported", 105.0, "computed", 91.67, 1.0, 0)
    assert rows[-1] == ("2024-12-01", 110 * B, 100 * B, "reported", 110.0, "computed", 100.0, 0.0, 0)
    assert progress(wh, district="Cầu Giấy") == [("2024-12-01", 90 * B, 100 * B, "reported", 90.0, "computed", 100.0, 0.0, None)]


def test_a_plan_implied_by_the_stated_percentage(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, pct_of_plan=84.72)
    [(month, ytd, plan, plan_source, pct, pct_source, elapsed, remaining, run_rate)] = progress(wh)
    assert (month, ytd, plan_source, pct, pct_source, elapsed, remaining) == (
        "2024-10-01", 5_606 * B, "implied", 84.72, "reported", 83.33, 2.0
    )
    assert plan == pytest.approx(5_606 * B / 0.8472)
    assert run_rate == pytest.approx((5_606 * B / 0.8472 - 5_606 * B) / 2, abs=0.01)


def test_a_partial_cut_off_counts_its_days(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 20 * B, annual_plan=120 * B)
    [row] = progress(wh)
    assert row[:7] == ("2023-03-01", 20 * B, 120 * B, "reported", 16.67, "computed", 18.55)
    assert row[7] == 9.77
    assert row[8] == pytest.approx(100 * B / (12 - (2 + 7 / 31)), abs=0.01)


def test_a_target_for_the_year_is_the_plan_of_last_resort(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-06", 30 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-12-31", 80 * B, basis="year", is_target=True)
    assert progress(wh) == [("2024-06-01", 30 * B, 80 * B, "target", 37.5, "computed", 50.0, 6.0, 8_333_333_333.33)]


def test_only_a_percentage_known(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72)
    assert progress(wh) == [("2024-10-01", None, None, None, 84.72, "reported", 83.33, 2.0, None)]


def test_shares_have_no_plan_progress(wh):
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-10", 58.6, annual_plan=60.0)
    assert progress(wh, "trade_services_share") == []
