"""two_articles_disagree: different articles, the same figure, values that cannot both be right."""

import pytest

from tests.support.checks import found
from tests.support.observations import B, news

M = 10**6


@pytest.mark.parametrize(
    ("first", "second", "severity"),
    [
        ((5_749_461 * M, None), (5_749 * B, "more_than"), None),  # 'hơn 5.749 tỷ' restates 5.749 tỷ 461 triệu
        ((5_749_461 * M, None), (5_700 * B, "about"), None),  # 'khoảng 5,7 nghìn tỷ'
        ((5_749_461 * M, None), (5_794_461 * M, None), "warning"),  # transposed digits
        ((1_890 * B, "estimate"), (1_876.7 * B, None), "info"),  # the estimate, then the final figure
        ((5_749_461 * M, None), (574_946.1 * M, None), "critical"),  # a digit lost
    ],
)
def test_two_articles_disagree_beyond_rounding(wh, first, second, severity):
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-07-31", first[0], qualifier=first[1], source_name="https://a.example/1")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-07-31", second[0], qualifier=second[1], source_name="https://b.example/2")
    assert [row["severity"] for row in found(wh.con, "two_articles_disagree")] == ([severity] if severity else [])


def test_only_the_same_thing_is_compared(wh):
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-07-31", 5_749 * B, source_name="https://a.example/1")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-07-31", 830 * B, basis="month", source_name="https://b.example/2")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-07-15", 5_100 * B, source_name="https://b.example/2")  # another cut-off
    news(wh.con, "Long Biên", "budget_revenue", "2024-07-31", 4_000 * B, source_name="https://b.example/3")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-12-31", 10_050 * B, basis="year", is_target=True,
         source_name="https://a.example/1")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-12-31", 9_480 * B, basis="year", is_target=True,
         source_name="https://b.example/2")
    assert found(wh.con, "two_articles_disagree") == []


def test_the_message_names_both_articles_and_their_figures(wh):
    news(wh.con, "Thanh Xuân", "budget_expenditure", "2024-07-31", 883.2 * B, source_name="https://a.example/tx-7")
    news(wh.con, "Thanh Xuân", "budget_expenditure", "2024-07-31", 838.2 * B, source_name="https://b.example/tx-7")
    [row] = found(wh.con, "two_articles_disagree")
    assert (row["district"], row["metric"], row["period"], row["subject"]) == (
        "Thanh Xuân", "budget_expenditure", "2024-07-01", "ytd"
    )
    assert ("lũy kế đến 31/07/2024: 883,2 tỷ đồng (https://a.example/tx-7) và 838,2 tỷ đồng (https://b.example/tx-7)"
            in row["message"])
    [pair] = row["details"]["pairs"]
    assert (pair["first"]["url"], pair["second"]["url"]) == ("https://a.example/tx-7", "https://b.example/tx-7")
