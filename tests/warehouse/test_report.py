"""warehouse.report: the series, sources and alerts the KPI report reads, from tiny hand-written warehouses."""

from datetime import date

from tests.support.alerts import create_alerts
from tests.support.observations import B, article, insert, news


def rows(result, *columns):
    return [tuple(dict(zip(result.columns, row, strict=True))[c] for c in columns) for row in result.rows]


def test_each_month_of_a_series_carries_its_changes_and_its_progress_against_plan(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-02", 20 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=120 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Cầu Giấy", "urban_violations", "2024-02", 30, basis="month")
    result = wh.report_months(unit_id="hn-thanh-xuan", month_from=date(2024, 1, 1))
    assert rows(result, "district", "unit_full_name", "metric", "metric_label", "month_start", "value", "ytd_value",
                "mom_pct", "ytd_yoy_pct", "annual_plan", "pct_of_plan", "pct_of_year_elapsed", "source_kind") == [
        ("Thanh Xuân", "quận Thanh Xuân", "budget_revenue", "Thu ngân sách nhà nước trên địa bàn", date(2024, 1, 1),
         10 * B, 10 * B, None, None, 120 * B, 8.33, 8.33, "department"),
        ("Thanh Xuân", "quận Thanh Xuân", "budget_revenue", "Thu ngân sách nhà nước trên địa bàn", date(2024, 2, 1),
         15 * B, 25 * B, 50.0, 25.0, 120 * B, 20.83, 16.67, "department"),
    ]


def test_the_latest_rows_equal_kpi_latest(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=120 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B, is_preliminary=True)
    insert(wh.con, "Cầu Giấy", "construction_permits", "2024-01", 4, basis="month")
    insert(wh.con, "Cầu Giấy", "construction_permits", "2024-03", 6, basis="month")  # February is a gap
    compared = ("district", "metric", "month_start", "value", "ytd_value", "mom_pct", "yoy_pct", "ytd_yoy_pct",
                "annual_plan", "pct_of_plan", "is_preliminary")
    latest = {(r[0], r[1]): r for r in rows(wh.kpi("kpi_latest"), *compared)}
    months = rows(wh.report_months(), *compared)
    assert [r for r in months if (r[0], r[1]) in latest and r[2] == latest[(r[0], r[1])][2]] == sorted(latest.values())
    assert (("Cầu Giấy", "construction_permits", date(2024, 2, 1)) + (None,) * 7 + (False,)) in months


def test_a_month_range_filters_rows_but_not_the_comparisons(wh):
    insert(wh.con, "Long Biên", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Long Biên", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Long Biên", "budget_revenue", "2024-03", 40 * B)
    result = wh.report_months(district="Long Biên", month_from=date(2024, 2, 1), month_to=date(2024, 2, 1))
    assert rows(result, "month_start", "value", "mom_pct") == [(date(2024, 2, 1), 15 * B, 50.0)]


def test_sources_name_the_file_sheet_and_row_or_the_article_and_its_sentence(wh):
    january = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, source_name="tx.xlsx",
                     source_sheet="Thu NS", source_row=7, source_column="Lũy kế")
    february = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B, source_name="tx.xlsx",
                      source_sheet="Thu NS", source_row=8, source_column="Lũy kế")
    url = "https://news.example/thanh-xuan-thang-3"
    march = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 40 * B, source_name=url,
                 evidence="Thu ngân sách đạt 40 tỷ đồng.")
    article(wh.con, url, "Old title", version=1, superseded_by="later-load")
    article(wh.con, url, "Quận Thanh Xuân: thu ngân sách quý I", published="2024-04-02", version=2)
    result = wh.report_sources(unit_id="hn-thanh-xuan", month_from=date(2024, 2, 1))
    assert rows(result, "month_start", "role", "obs_id", "source_name", "source_sheet", "source_row", "source_column",
                "evidence", "article_title", "article_published") == [
        (date(2024, 2, 1), "cumulative_figure", february, "tx.xlsx", "Thu NS", 8, "Lũy kế", None, None, None),
        (date(2024, 2, 1), "previous_ytd", january, "tx.xlsx", "Thu NS", 7, "Lũy kế", None, None, None),
        (date(2024, 3, 1), "cumulative_figure", march, url, None, None, None, "Thu ngân sách đạt 40 tỷ đồng.",
         "Quận Thanh Xuân: thu ngân sách quý I", date(2024, 4, 2)),
        (date(2024, 3, 1), "previous_ytd", february, "tx.xlsx", "Thu NS", 8, "Lũy kế", None, None, None),
    ]


def test_sources_leave_out_the_figures_that_were_not_chosen(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-01-31", 11 * B)  # the department figure wins
    assert rows(wh.report_sources(), "role", "source_kind") == [("cumulative_figure", "department")]


def test_no_alerts_table_is_none_not_an_error(wh):
    wh.con.execute("drop table dq_alerts cascade")  # a warehouse from before the checks (migration 0006)
    assert wh.open_alerts() is None


def test_open_alerts_are_the_unresolved_ones(wh):
    create_alerts(wh.con, [
        {"alert_id": "a1", "check_name": "ytd_falls", "district": "Thanh Xuân", "status": "open"},
        {"alert_id": "a2", "check_name": "freshness", "status": "acknowledged"},
        {"alert_id": "a3", "check_name": "ytd_falls", "district": "Cầu Giấy", "status": "resolved"},
    ])
    assert sorted(rows(wh.open_alerts(), "alert_id", "status")) == [("a1", "open"), ("a2", "acknowledged")]


def test_a_foreign_alerts_table_closes_alerts_in_its_own_words(wh):
    create_alerts(wh.con, [{"alert_id": "a1", "status": "Closed"}, {"alert_id": "a2", "status": None}],
                  columns=("alert_id", "status"))
    assert rows(wh.open_alerts(), "alert_id") == [("a2",)]


def test_alerts_without_a_status_column_are_all_open(wh):
    create_alerts(wh.con, [{"alert_id": "a1", "message": "Thiếu số liệu"}], columns=("alert_id", "message"))
    assert wh.open_alerts().rows == [("a1", "Thiếu số liệu")]


def test_last_loaded_at_is_the_newest_current_figure(wh):
    assert wh.last_loaded_at() is None
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, loaded_at="2025-01-02 03:04:05+00")
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 10 * B, loaded_at="2025-06-01 00:00:00+00",
           superseded_by="later")
    assert wh.last_loaded_at().isoformat().startswith("2025-01-02")
