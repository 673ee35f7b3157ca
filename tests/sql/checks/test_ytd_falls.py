"""ytd_falls: a year-to-date value below the previous reported month's of the same year."""

import pytest

from tests.support.checks import fingerprints, found
from tests.support.observations import B, insert, news


def test_a_fall_is_reported_with_both_figures_and_their_sources(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 659.8 * B, source_row=2)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 1_312.6 * B, source_row=3)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-03", 1_287.6 * B, source_name="tx_03.csv", source_row=4)
    [row] = found(wh.con, "ytd_falls")
    assert (row["district"], row["metric"], row["period"], row["severity"]) == (
        "Thanh Xuân", "budget_revenue", "2024-03-01", "warning"
    )
    assert ("lũy kế đến 31/03/2024 là 1.287,6 tỷ đồng (tx_03.csv dòng 4), thấp hơn số lũy kế đến 29/02/2024 là "
            "1.312,6 tỷ đồng (test.csv dòng 3), giảm 25 tỷ đồng") in row["message"]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ({"2024-01": 100, "2024-03": 90}, [("2024-03-01", "warning")]),  # across a gap: against the last reported month
        ({"2024-11": 900, "2024-12": 1_000, "2025-01": 80}, []),  # a new year starts again
        ({"2024-01": 100, "2024-02": 250, "2024-03": 100}, [("2024-03-01", "critical")]),  # a month's value as the year's
        ({"2024-01": 100, "2024-02": 250, "2024-03": 250}, []),  # flat is not a fall
    ],
)
def test_falls_within_a_year(wh, months, expected):
    for month, value in months.items():
        insert(wh.con, "Cầu Giấy", "budget_expenditure", month, value * B)
    assert [(period, severity) for _, _, period, severity in fingerprints(wh.con, "ytd_falls")] == expected


def test_an_approximate_figure_falls_only_beyond_its_precision(wh):
    news(wh.con, "Cầu Giấy", "public_investment_disbursement", "2024-11-30", 1_050 * B)
    news(wh.con, "Cầu Giấy", "public_investment_disbursement", "2024-12-31", 1_000 * B, qualifier="more_than")  # hơn 1 nghìn tỷ
    news(wh.con, "Long Biên", "public_investment_disbursement", "2024-11-30", 1_859.3 * B)
    news(wh.con, "Long Biên", "public_investment_disbursement", "2024-12-31", 1_800 * B, qualifier="about")  # khoảng 1,8 nghìn tỷ
    news(wh.con, "Thanh Xuân", "public_investment_disbursement", "2024-11-30", 532 * B)
    news(wh.con, "Thanh Xuân", "public_investment_disbursement", "2024-12-31", 520 * B, qualifier="more_than")  # hơn 520 tỷ
    assert fingerprints(wh.con, "ytd_falls") == [("Thanh Xuân", "public_investment_disbursement", "2024-12-01", "warning")]


def test_a_share_is_not_a_year_to_date_sum(wh):
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-09", 59.1)
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-10", 58.6)
    assert found(wh.con, "ytd_falls") == []
