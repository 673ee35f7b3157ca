"""The report in a real browser: headless Chromium opens the file with every request blocked but the file's own,
draws every chart, logs no error, shows the warehouse's figures, and runs none of the scraped text."""

from __future__ import annotations

import json

import pytest

from flows.cli import main
from tests.support.alerts import create_alerts
from tests.support.browser import (
    assert_charts_drawn, assert_offline_and_quiet, expected_scorecard, open_report, scorecard_cells, screenshot,
)
from tests.support.observations import B, article, insert, news
from warehouse import Warehouse

TITLE = "<script>alert(1)</script>"
EVIDENCE = "<img src=x onerror=\"document.title='pwned';alert(2)\"> Xử lý 498 trường hợp vi phạm"
FILE = "thanh_xuan<svg onload=alert(4)>.csv"
WARD = "Phường <b onmouseover=alert(5)>Mới</b>"
ALERT = "<script>alert(3)</script> Lũy kế tháng 10 thấp hơn tháng 9"
URL = "https://news.example/thanh-xuan-thang-10?a=1&b=2"


@pytest.fixture(scope="module")
def report_file(tmp_path_factory, initialised_warehouse):
    """Write the report of a small warehouse whose scraped text tries every way in; return (report, warehouse)."""
    folder = tmp_path_factory.mktemp("browser")
    target = folder / "kpi.duckdb"
    target.write_bytes(initialised_warehouse.read_bytes())
    with Warehouse(target) as wh:
        for month in range(1, 11):  # spending year to date, October's ending on the article's 1.204,5 tỷ
            insert(wh.con, "Thanh Xuân", "budget_expenditure", f"2024-{month:02d}", 120.45 * month * B,
                   annual_plan=1561.4 * B if month == 1 else None)
            insert(wh.con, "Thanh Xuân", "construction_permits", f"2024-{month:02d}", 60 + month - 2 * (month % 3),
                   basis="month", source_name=FILE, source_row=month + 1)
        insert(wh.con, "Thanh Xuân", "budget_expenditure", "2023-10", 1100 * B)
        news(wh.con, "Thanh Xuân", "urban_violations", "2024-10-31", 498, basis="month", source_name=URL,
             evidence=EVIDENCE)
        article(wh.con, URL, TITLE, published="2024-11-08")
        insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-09", 7415.631 * B, annual_plan=9480 * B)
        insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-10", 8281.601 * B, is_preliminary=True)
        news(wh.con, WARD, "trade_services_share", "2024-10-31", 58.6, source_name="javascript:alert(6)",
             evidence="Tỷ trọng thương mại - dịch vụ chiếm 58,6%")
        create_alerts(wh.con, [
            {"alert_id": "a1", "check_name": "ytd_falls", "district": "Thanh Xuân", "metric": "budget_expenditure",
             "severity": "critical", "message": ALERT, "status": "open"},
            {"alert_id": "a2", "check_name": "freshness", "severity": "warning",
             "message": "Không có số liệu mới từ phòng Quản lý đô thị", "status": "open"},
        ])
    out = folder / "report.html"
    assert main(["--warehouse", str(target), "report", "--out", str(out)]) == 0
    return out, target


@pytest.fixture(scope="module")
def opened(chromium, report_file):
    page = open_report(chromium, report_file[0])
    yield page
    page.close()


def test_the_report_opens_offline_without_errors_and_draws_every_chart(opened):
    assert_offline_and_quiet(opened)
    charts = assert_charts_drawn(opened)
    # three charts for each summable metric, two for the share (it has no year-to-date of its own)
    assert len(charts) == 3 * 4 + 2
    assert {c["kind"] for c in charts} == {"value", "ytd", "mom"}
    path = screenshot(opened, "report.png")
    assert path.stat().st_size > 50_000


def test_the_scorecard_shows_the_warehouse_figures(opened, report_file):
    with Warehouse(report_file[1], read_only=True) as wh:
        expected = expected_scorecard(wh)
    shown = scorecard_cells(opened)
    assert set(shown) == set(expected)
    for key, fields in expected.items():
        assert {f: shown[key][f] for f in fields} == fields, key
    spending = shown[("Thanh Xuân", "budget_expenditure")]
    assert (spending["value"], spending["ytd_value"], spending["pct_of_plan"]) == (
        "120,45 tỷ đồng", "1.204,5 tỷ đồng", "77,14%")
    assert spending["ytd_yoy_pct"] == "+9,5%"
    assert shown[("Cầu Giấy", "budget_revenue")]["value"] == "865,97 tỷ đồng"
    assert "Sơ bộ" in shown[("Cầu Giấy", "budget_revenue")]["source"]
    assert shown[(WARD, "trade_services_share")]["value"] == "58,6%"


def test_the_charts_draw_the_warehouse_series(opened, report_file):
    specs = json.loads(opened.page.text_content("#chart-data"))
    charts = {(c["chart"], c["kind"]): c for c in assert_charts_drawn(opened)}
    section = opened.page.get_attribute("section[data-district='Thanh Xuân'] article[data-metric='budget_expenditure']",
                                        "id")
    with Warehouse(report_file[1], read_only=True) as wh:
        series = wh.query(
            "select strftime(month_start, '%m/%Y'), value, ytd_value from kpi_monthly"
            " where district = 'Thanh Xuân' and metric = 'budget_expenditure' and month_start >= '2023-01-01'"
            " order by month_start"
        ).rows
    factor = specs[section]["factor"]
    values, ytd = charts[(section, "value")], charts[(section, "ytd")]
    assert values["labels"] == [month for month, _, _ in series]
    assert [None if v is None else round(v * factor) for v in values["datasets"][0]["data"]] == [
        None if v is None else round(v) for _, v, _ in series]
    assert [None if v is None else round(v * factor) for v in ytd["datasets"][0]["data"]] == [
        None if v is None else round(v) for _, _, v in series]
    assert values["datasets"][0]["drawnBars"] == sum(v is not None for _, v, _ in series)
    assert [d["label"] for d in ytd["datasets"]] == [
        "Lũy kế từ đầu năm", "Kế hoạch năm", "Kế hoạch theo tiến độ thời gian"]
    assert ytd["datasets"][1]["data"][-1] * factor == pytest.approx(1561.4 * B)


def test_tooltips_give_the_figure_the_vietnamese_way_and_its_source(opened):
    canvas = "section[data-district='Thanh Xuân'] article[data-metric='construction_permits'] canvas[data-kind='value']"
    label, footer = opened.page.eval_on_selector(canvas, """canvas => {
        const chart = Chart.getChart(canvas), last = chart.data.labels.length - 1;
        const item = {dataset: chart.data.datasets[0], dataIndex: last};
        const callbacks = chart.options.plugins.tooltip.callbacks;
        return [callbacks.label(item), callbacks.footer([item])];
    }""")
    assert label == "Giá trị của tháng: 68"
    assert footer == [f"Số liệu tháng: tệp {FILE}, dòng 11", "Lũy kế cộng dồn 10 tháng"]


def test_scraped_text_is_shown_as_text_and_runs_nothing(opened):
    page = opened.page
    assert opened.dialogs == [] and page.title().startswith("Báo cáo chỉ tiêu")
    assert page.evaluate("document.querySelectorAll('script').length") == 3
    assert page.evaluate("document.querySelectorAll('img, svg, b, [onerror], [onload], [onmouseover]').length") == 0
    thanh_xuan = "section[data-district='Thanh Xuân']"
    assert page.text_content(f"{thanh_xuan} a.article-title") == TITLE
    assert page.get_attribute(f"{thanh_xuan} a.article-title", "href") == URL
    assert page.text_content(f"{thanh_xuan} blockquote.evidence") == EVIDENCE
    assert FILE in " ".join(page.locator(f"{thanh_xuan} .sources").all_text_contents())
    assert ALERT in page.text_content("section[data-district='Thanh Xuân'] .alert-list")
    assert page.evaluate("Array.from(document.querySelectorAll('section.district'), s => s.dataset.district)") == [
        "Cầu Giấy", WARD, "Thanh Xuân"]
    assert page.text_content(f"section.district >> nth=1 >> span.article-title") == "javascript:alert(6)"
    assert page.evaluate("Array.from(document.links).every(a => /^(https?:|#)/.test(a.getAttribute('href')))")
    hovered = "section[data-district='Thanh Xuân'] article[data-metric='urban_violations'] canvas[data-kind='value']"
    page.hover(hovered)  # a tooltip drawn from scraped text stays paint on a canvas
    assert opened.dialogs == [] and opened.page_errors == []
    assert opened.requests == [opened.url]


def test_general_alerts_are_listed_apart(opened):
    assert "Không có số liệu mới từ phòng Quản lý đô thị" in opened.page.text_content("#general-alerts")
