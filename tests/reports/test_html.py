"""reports.html: the page is self-contained, Vietnamese, and scraped text in it stays text."""

import base64
import hashlib
import json
import re
from datetime import date, datetime

import lxml.html
import pytest

from reports import html as report_html
from reports.model import build_report
from tests.reports.rows import GENERATED, month_row, months, result, source_row, sources

B = 10**9
SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="document.title=\'pwned\'">'
DISTRICT = "Phường <b onmouseover=alert(3)>Mới</b> \"x' & co"
FILE = "bao_cao</script><script>alert(4)</script>.csv"
URL_JS = "javascript:alert(5)"


def hostile_report():
    """A report whose every scraped string tries to inject markup."""
    url = "https://news.example/bai-viet?a=1&b=<2>"
    return build_report(
        months(
            month_row("Thanh Xuân", "budget_revenue", "2025-01", 542.5 * B, ytd_value=542.5 * B,
                      annual_plan=7150 * B, pct_of_plan=7.59, pct_of_year_elapsed=8.33),
            month_row("Thanh Xuân", "budget_revenue", "2025-02", 669.6 * B, ytd_value=1212.1 * B, mom_pct=23.43,
                      mom_change=127.1 * B, yoy_pct=2.59, ytd_yoy_pct=-7.65, annual_plan=7150 * B, pct_of_plan=16.95,
                      pct_of_year_elapsed=16.67, is_preliminary=True),
            month_row(DISTRICT, "construction_permits", "2025-02", 1260, source_kind="news"),
        ),
        sources(
            source_row("Thanh Xuân", "budget_revenue", "2025-02", "cumulative_figure", source_name=FILE,
                       source_sheet="<i>T1</i>", source_row=15, source_column="Giá trị\"><b>"),
            source_row("Thanh Xuân", "budget_revenue", "2025-02", "previous_ytd", source_kind="news",
                       source_name=url, evidence=IMG, article_title=SCRIPT, article_published=date(2025, 3, 4)),
            source_row(DISTRICT, "construction_permits", "2025-02", "month_figure", source_kind="news",
                       source_name=URL_JS, evidence="Cấp 1.260 giấy phép", article_title="<!-- x -->"),
        ),
        result(("alert_id", "district", "severity", "message", "check_name"),
               [{"alert_id": "a1", "district": "Thanh Xuân", "severity": "error", "message": IMG,
                 "check_name": "</td></tr></table><script>alert(6)</script>"}]),
        month=None, metric_order=("budget_revenue", "construction_permits"), district_selected=False,
        generated_at=GENERATED, last_loaded_at=datetime(2025, 3, 9, 23, 0), warehouse="<w>.duckdb",
    )


@pytest.fixture(scope="module")
def page():
    return report_html.render(hostile_report())


@pytest.fixture(scope="module")
def tree(page):
    return lxml.html.document_fromstring(page)


def test_no_scraped_string_reaches_the_page_as_markup(page):
    for hostile in (SCRIPT, IMG, DISTRICT, FILE, "<i>T1</i>", "<!-- x -->", "<w>", "alert(6)</script>"):
        assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_parsed_page_has_only_its_own_scripts_and_no_injected_elements_or_handlers(tree):
    scripts = tree.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None, None]
    assert tree.xpath("//img | //b | //i | //iframe | //object | //embed") == []
    assert tree.xpath("//@*[starts-with(name(), 'on')]") == []


def test_scraped_text_reads_back_exactly_as_written(tree):
    assert tree.xpath("string(//a[@class='article-title'])") == SCRIPT
    assert [q.text_content() for q in tree.xpath("//blockquote[@class='evidence']")] == ["Cấp 1.260 giấy phép", IMG]
    assert tree.xpath("string(//span[@class='file-name'])") == FILE
    assert tree.xpath("string(//span[@class='sheet'])") == "<i>T1</i>"
    assert [s.get("data-district") for s in tree.xpath("//section[@class='district']")] == [DISTRICT, "Thanh Xuân"]
    assert IMG in tree.xpath("string(//tr[contains(@class, 'alert')]//td[@class='message'])")


def test_every_month_of_the_table_says_where_its_figures_were_read(tree):
    table = tree.xpath("//section[@data-district='Thanh Xuân']//details[@class='series-table']//tbody/tr")
    assert [[note.text for note in row.xpath("td[@class='source-notes']/span")] for row in table] == [
        [f"Lũy kế: tệp {FILE}, trang <i>T1</i>, dòng 15",
         "Trừ lũy kế tháng trước: bài báo news.example ngày 04/03/2025"],
        [],
    ]


def test_only_web_addresses_are_links(tree):
    hrefs = [a.get("href") for a in tree.xpath("//a[@href]")]
    assert "https://news.example/bai-viet?a=1&b=<2>" in hrefs
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert tree.xpath("string(//span[@class='article-title'])") == "<!-- x -->"  # no link: shown as text


def test_chart_data_is_json_that_cannot_close_its_script(page, tree):
    raw = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    charts = json.loads(raw)
    notes = [line for chart in charts.values() for month in chart["notes"] for line in month]
    assert any(FILE in line for line in notes)


def test_charts_carry_every_month_scaled_with_its_vietnamese_text(tree):
    charts = json.loads(tree.xpath("string(//script[@id='chart-data'])"))
    revenue = next(c for c in charts.values() if c["unit"] == "tỷ đồng")
    assert revenue["months"] == ["01/2025", "02/2025"] and revenue["factor"] == B
    assert revenue["value"]["data"] == [542.5, 669.6]
    assert revenue["value"]["text"] == ["542,5 tỷ đồng", "669,6 tỷ đồng"]
    assert revenue["ytd"]["text"] == ["542,5 tỷ đồng", "1.212,1 tỷ đồng"]
    assert revenue["plan"]["data"] == [7150, 7150]
    assert revenue["pace"]["text"] == ["595,595 tỷ đồng", "1.191,905 tỷ đồng"]
    assert revenue["mom"]["text"] == ["—", "+23,43% (127,1 tỷ đồng)"]
    assert "Sơ bộ" in revenue["notes"][1]


def test_the_scorecard_writes_figures_the_vietnamese_way(tree):
    row = tree.xpath("//section[@data-district='Thanh Xuân']//table[@class='scorecard']//tr[@data-metric='budget_revenue']")[0]

    def cell(field):
        return " ".join(row.xpath(f"string(td[@data-field='{field}'])").split())

    assert cell("value") == "669,6 tỷ đồng"
    assert cell("ytd_value") == "1.212,1 tỷ đồng"
    assert cell("mom_pct") == "+23,43%" and cell("yoy_pct") == "+2,59%" and cell("ytd_yoy_pct") == "-7,65%"
    assert cell("pct_of_plan").startswith("16,95%") and "7.150 tỷ đồng" in cell("pct_of_plan")
    assert "Sơ bộ" in cell("source")


def test_the_page_is_vietnamese_utf8_and_forbids_everything_but_its_own_scripts(page, tree):
    assert tree.get("lang") == "vi"
    assert tree.xpath("//meta[@charset]")[0].get("charset") == "utf-8"
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert "default-src 'none'" in policy and "unsafe" not in policy
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(inline) == 2
    for text in inline:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    style = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() in policy
    assert not re.search(r"\b(src|href)=\"(https?:)?//", page.replace('href="https://news.example', ""))


def test_a_vendored_file_that_is_not_the_recorded_one_is_refused(monkeypatch):
    report_html._inline_script.cache_clear()
    monkeypatch.setitem(report_html.VENDORED, "chart.umd.min.js", "0" * 64)
    try:
        with pytest.raises(report_html.VendorError, match="sha256 differs"):
            report_html.render(hostile_report())
    finally:
        report_html._inline_script.cache_clear()


def test_a_script_that_would_end_its_tag_is_refused(tmp_path):
    bad = tmp_path / "bad.js"
    bad.write_text('var s = "</SCRIPT>";', encoding="utf-8")
    with pytest.raises(report_html.VendorError, match="cannot be inlined"):
        report_html._inline_script(bad)


def test_an_empty_report_says_there_is_nothing_to_show():
    empty = build_report(months(), sources(), None, month=date(2020, 1, 1), metric_order=(), district_selected=False,
                         generated_at=GENERATED, last_loaded_at=None, warehouse="w.duckdb")
    tree = lxml.html.document_fromstring(report_html.render(empty))
    assert "Không có số liệu nào để báo cáo đến tháng 01/2020" in tree.xpath("string(//p[@id='no-figures'])")
    assert tree.xpath("//p[@id='alerts-unavailable']")
