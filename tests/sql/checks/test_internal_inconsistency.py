"""internal_inconsistency: one article or file whose own figures cannot all be true."""

import pytest

from tests.support.checks import found
from tests.support.observations import B, insert, news

M = 10**6


@pytest.mark.parametrize(
    ("headline", "body", "severity"),
    [
        (115_075.8 * B, 115_075_897 * M, None),  # the headline truncates the body: '115.075,8 tỷ' = '115.075 tỷ 897 triệu'
        (115_076 * B, 115_075_897 * M, None),  # rounded to the tỷ
        (115_080 * B, 115_075_897 * M, None),  # '115,08 nghìn tỷ': precise to 10 tỷ
        (115_070 * B, 115_075_897 * M, None),  # "115,07 nghìn tỷ" truncates to 10 tỷ
        (115_060 * B, 115_075_897 * M, "warning"),  # neither rounded nor truncated
        (11_507.58 * B, 115_075_897 * M, "critical"),  # tenfold
    ],
)
def test_two_statements_of_one_figure_in_an_article(wh, headline, body, severity):
    url = "https://news.example/tx-gtsx"
    news(wh.con, "Thanh Xuân", "production_value", "2024-10-31", headline, source_name=url)
    news(wh.con, "Thanh Xuân", "production_value", "2024-10-31", body, source_name=url)
    rows = found(wh.con, "internal_inconsistency")
    assert [row["severity"] for row in rows] == ([severity] if severity else [])
    for row in rows:
        assert row["subject"] == url and "cùng một số liệu được ghi là" in row["message"]


@pytest.mark.parametrize(
    ("value", "pct", "plan", "severity"),
    [
        (1_204.5 * B, 77.14, 1_561.5 * B, None),  # 1.204,5 tỷ ÷ 77,14 % = 1.561,4 tỷ
        (1_204.5 * B, 77.14, 1_561 * B, None),  # the plan written to the tỷ
        (1_204.5 * B, 77.14, 1_700 * B, "warning"),
        (1_204.5 * B, 77.14, 15_615 * B, "critical"),  # a digit too many
    ],
)
def test_value_over_percent_of_plan_against_the_stated_plan(wh, value, pct, plan, severity):
    url = "https://news.example/tx-chi-ngan-sach"
    news(wh.con, "Thanh Xuân", "budget_expenditure", "2024-10-31", value, pct_of_plan=pct, annual_plan=plan,
         source_name=url)
    rows = found(wh.con, "internal_inconsistency")
    assert [row["severity"] for row in rows] == ([severity] if severity else [])
    for row in rows:
        assert row["subject"] == url
        assert "1.204,5 tỷ đồng đạt 77,14 % kế hoạch, tức kế hoạch khoảng 1.561,4 tỷ đồng" in row["message"]


def test_figures_of_different_sources_or_periods_are_not_compared(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, source_name="https://a.example/1")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_066 * B, source_name="https://b.example/2")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 640 * B, basis="month", source_name="https://a.example/1")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-12-31", 7_010 * B, basis="year", is_target=True,
         source_name="https://a.example/1")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-12-31", 6_617 * B, basis="year", is_target=True,
         source_name="https://a.example/1")
    assert found(wh.con, "internal_inconsistency") == []
