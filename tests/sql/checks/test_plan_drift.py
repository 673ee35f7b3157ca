"""plan_drift: the plan behind a year's progress moves between months with no adjustment stated."""

import json

from tests.support.checks import fingerprints, found
from tests.support.observations import B, insert, news


def ratios(pct, *more, baseline="plan"):
    """plan_ratios as the news loader stores them: the first is pct_of_plan."""
    listed = [{"pct": pct, "baseline": baseline, "wording": "dự toán"}]
    listed += [{"pct": other, "baseline": "adjusted", "wording": "dự toán sau điều chỉnh"} for other in more]
    return json.dumps(listed)


def reported(wh, month, value, pct, baseline="plan", **extra):
    """A news year-to-date figure with its % of plan at the end of `month` (2024)."""
    last_day = {"02": 29, "04": 30, "06": 30, "09": 30, "11": 30}.get(month, 31)
    news(wh.con, "Cầu Giấy", "budget_expenditure", f"2024-{month}-{last_day}", value, pct_of_plan=pct,
         plan_ratios=ratios(pct, baseline=baseline), source_name=f"https://news.example/cg-{month}", **extra)


def test_a_one_month_slip_is_reported_once(wh):
    # the plan is 1.890 tỷ all year; July's figure has transposed digits but its % is the department's
    reported(wh, "05", 765.552 * B, 40.51)
    reported(wh, "06", 910 * B, 48.13, qualifier="about")
    reported(wh, "07", 1_094.694 * B, 55.54)
    reported(wh, "08", 1_208.904 * B, 63.96)
    [row] = found(wh.con, "plan_drift")
    assert (row["district"], row["metric"], row["period"], row["subject"], row["severity"]) == (
        "Cầu Giấy", "budget_expenditure", "2024-07-01", "news", "warning"
    )
    assert "kế hoạch năm 2024 theo số liệu tháng 07/2024 là 1.971 tỷ đồng" in row["message"]
    assert "khác kế hoạch theo số liệu tháng 06/2024 là 1.890,7 tỷ đồng" in row["message"]
    assert "lệch +4,25 %" in row["message"] and "https://news.example/cg-07" in row["message"]


def test_rounding_and_approximate_figures_never_drift(wh):
    # 'hơn 7 nghìn tỷ, đạt 107,13 %' implies anything between 6.534 and 7.468 tỷ: the plan of 6.617 tỷ fits
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-11-30", 6_433.3 * B, pct_of_plan=97.22)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-12-31", 7_000 * B, pct_of_plan=107.13, qualifier="more_than")
    assert found(wh.con, "plan_drift") == []


def test_a_stated_adjustment_or_another_named_plan_explains_a_move(wh):
    reported(wh, "06", 910 * B, 48.13)
    reported(wh, "07", 1_094.694 * B, 51.91, baseline="adjusted")  # against 'dự toán sau điều chỉnh': 2.108,8 tỷ
    news(wh.con, "Thanh Xuân", "budget_expenditure", "2024-03-31", 392.6 * B, pct_of_plan=25.15,
         plan_ratios=ratios(25.15, baseline="city"))
    news(wh.con, "Thanh Xuân", "budget_expenditure", "2024-04-30", 470 * B, pct_of_plan=30.11,
         plan_ratios=ratios(30.11, baseline="council"))  # the council's plan, named: another plan, not a drift
    assert found(wh.con, "plan_drift") == []


def test_a_department_plan_changed_silently_and_a_new_year(wh):
    for month in ("2024-05", "2024-06"):
        insert(wh.con, "Thanh Xuân", "budget_revenue", month, 3_000 * B, annual_plan=6_617 * B)
    for month in ("2024-07", "2024-08"):
        insert(wh.con, "Thanh Xuân", "budget_revenue", month, 3_500 * B, annual_plan=7_000 * B, source_row=30)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-12", 7_088.8 * B, annual_plan=7_000 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2025-01", 542.5 * B, annual_plan=7_150 * B)  # next year's plan
    assert fingerprints(wh.con, "plan_drift") == [("Thanh Xuân", "budget_revenue", "2024-07-01", "warning")]
    [row] = found(wh.con, "plan_drift")
    assert row["subject"] == "department" and "kế hoạch ghi 7.000 tỷ đồng, test.csv dòng 30" in row["message"]


def test_a_plan_off_by_a_digit_is_critical(wh):
    insert(wh.con, "Long Biên", "budget_revenue", "2024-05", 3_000 * B, annual_plan=7_030 * B)
    insert(wh.con, "Long Biên", "budget_revenue", "2024-06", 3_600 * B, annual_plan=70_300 * B)
    assert fingerprints(wh.con, "plan_drift") == [("Long Biên", "budget_revenue", "2024-06-01", "critical")]
