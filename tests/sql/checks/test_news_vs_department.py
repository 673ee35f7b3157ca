"""news_vs_department: a news figure against the department's for the same period, within its written precision."""

import pytest

from tests.support.checks import found
from tests.support.observations import B, insert, news

M = 10**6


@pytest.mark.parametrize(
    ("department", "written", "qualifier", "severity"),
    [
        (5_606.7 * B, 5_606 * B, "more_than", None),  # 'hơn 5.606 tỷ' for 5.606,7 tỷ
        (1_867.604 * B, 1_900 * B, "about", None),  # 'gần 1,9 nghìn tỷ': precise to 100 tỷ
        (10_058.63 * B, 10_100 * B, None, None),  # '10,1 nghìn tỷ' rounds 10.058,63 tỷ: three significant digits
        (10_058.63 * B, 10_100 * B, "more_than", "warning"),  # 'hơn 10,1 nghìn tỷ' is more than the figure
        (115_075_897 * M, 115_075.8 * B, None, None),  # truncated to 100 triệu
        (1_412.8 * B, 1_421 * B, "more_than", "warning"),  # swapped digits
        (1_049_694 * M, 1_094_694 * M, None, "warning"),  # transposed digits
        (1_876.7 * B, 1_890 * B, "estimate", "info"),  # an early estimate: the department's final figure stands
        (1_049_694 * M, 10_496_940 * M, None, "critical"),  # tenfold: a unit or scale slip
    ],
)
def test_a_disagreement_is_beyond_what_the_writing_allows(wh, department, written, qualifier, severity):
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-12", department, source_row=13)
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-12-31", written, qualifier=qualifier,
         source_name="https://news.example/cau-giay-12")
    rows = found(wh.con, "news_vs_department")
    assert [row["severity"] for row in rows] == ([severity] if severity else [])


def test_counts_are_exact_and_the_message_names_both_sources(wh):
    insert(wh.con, "Long Biên", "urban_violations", "2024-11", 51, basis="month", source_name="lb.tsv", source_row=68)
    news(wh.con, "Long Biên", "urban_violations", "2024-11-30", 57, basis="month", source_name="https://news.example/lb-11")
    news(wh.con, "Long Biên", "urban_violations", "2024-10-31", 40, basis="month")  # no department figure: nothing to say
    insert(wh.con, "Long Biên", "construction_permits", "2024-11", 34, basis="month")
    news(wh.con, "Long Biên", "construction_permits", "2024-11-30", 34, basis="month")
    [row] = found(wh.con, "news_vs_department")
    assert (row["district"], row["metric"], row["period"], row["subject"], row["severity"]) == (
        "Long Biên", "urban_violations", "2024-11-01", "month", "warning"
    )
    assert "trong tháng 11/2024: báo chí đưa 57 (lệch +11,76 %, https://news.example/lb-11)" in row["message"]
    assert "phòng ban báo cáo 51 (lb.tsv, dòng 68)" in row["message"]
    assert row["details"]["department"] == {"value": 51.0, "file": "lb.tsv", "row": 68}


def test_every_disagreeing_article_of_a_month_is_in_one_alert(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-10", 5_606.7 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_660 * B, source_name="https://a.example/1")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_066 * B, source_name="https://b.example/2")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_606 * B, qualifier="more_than", source_name="https://c.example/3")
    [row] = found(wh.con, "news_vs_department")
    assert [article["url"] for article in row["details"]["news"]] == ["https://a.example/1", "https://b.example/2"]
    assert "5.660 tỷ đồng" in row["message"] and "5.066 tỷ đồng" in row["message"] and "c.example" not in row["message"]
