from datetime import date
from pathlib import Path

from sources.news import extract_html
from sources.news.html import read_page

PAGE = Path(__file__).with_name("fixtures") / "thanh_tri_2023_09.html"


def test_read_page_keeps_the_article_and_its_paragraphs_apart():
    page = read_page(PAGE.read_bytes())
    assert page.title == "Huyện Thanh Trì: 9 tháng thu ngân sách đạt hơn 3.100 tỷ đồng"
    assert page.published == date(2023, 10, 6)
    assert "tính đến ngày 30/9/2023" in page.text and "Bạn đọc" not in page.text and "Giấy phép số" not in page.text
    assert "bằng 78,4% dự toán thành phố giao, tăng 6,2% so với cùng kỳ.\nTổng giá trị sản xuất" in page.text


def test_extract_html_reads_facts_with_the_pages_date(gazetteer):
    article = extract_html(PAGE.read_text(encoding="utf-8"), gazetteer=gazetteer)
    assert article.published == date(2023, 10, 6)
    rows = [(f.district, f.metric, f.value, f.as_of, f.pct_of_plan, f.growth_pct) for f in article.facts]
    assert rows == [
        ("huyện Thanh Trì", "budget_revenue", 3100000000000, date(2023, 9, 30), 78.4, 6.2),
        ("huyện Thanh Trì", "production_value", 27540000000000, date(2023, 9, 30), None, 7.1),
        ("huyện Thanh Trì", "construction_permits", 186, None, None, None),  # counts take no period from afar
        ("huyện Thanh Trì", "urban_violations", 52, None, None, None),
    ]
    for fact in article.facts:
        assert article.text[fact.start:fact.end] == fact.evidence


def test_a_given_date_wins_over_the_pages(gazetteer):
    article = extract_html(PAGE.read_bytes(), published=date(2023, 10, 7), gazetteer=gazetteer)
    assert article.published == date(2023, 10, 7)


def test_an_empty_page_has_no_facts():
    article = extract_html("<html><body></body></html>")
    assert (article.text, article.facts) == ("", [])
