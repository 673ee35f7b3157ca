"""reports.model: which month each district reports, which figure its scorecard shows, where alerts go."""

from datetime import date, datetime

from reports.model import build_report, window_start
from tests.reports.rows import GENERATED, month_row, months, result, source_row, sources
from warehouse.read import QueryResult

B = 10**9
ORDER = ("production_value", "budget_revenue", "construction_permits", "trade_services_share")


def build(month_rows, source_rows=None, alerts=None, *, month=None, district_selected=False):
    return build_report(
        month_rows, source_rows or sources(), alerts, month=month, metric_order=ORDER,
        district_selected=district_selected, generated_at=GENERATED, last_loaded_at=None, warehouse="t.duckdb",
    )


def test_window_starts_in_january_of_the_year_before():
    assert window_start(date(2025, 2, 1)) == date(2024, 1, 1)
    assert window_start(date(2024, 12, 1)) == date(2023, 1, 1)


def test_each_district_reports_its_own_latest_month_and_its_metrics_in_catalogue_order():
    report = build(months(
        month_row("Thanh Xuân", "construction_permits", "2025-01", 7),
        month_row("Thanh Xuân", "budget_revenue", "2025-01", 500 * B),
        month_row("Thanh Xuân", "budget_revenue", "2025-02", None, ytd_value=1100 * B),
        month_row("Cầu Giấy", "budget_revenue", "2024-12", 900 * B),
    ))
    assert [(d.name, d.month) for d in report.districts] == [
        ("Cầu Giấy", date(2024, 12, 1)), ("Thanh Xuân", date(2025, 2, 1)),
    ]
    thanh_xuan = report.districts[1]
    assert [s.metric for s in thanh_xuan.series] == ["budget_revenue", "construction_permits"]
    assert thanh_xuan.full_name == "quận Thanh Xuân"


def test_the_scorecard_figure_is_the_latest_reported_month_not_a_later_gap():
    report = build(months(
        month_row("Thanh Xuân", "construction_permits", "2025-01", 7),
        month_row("Thanh Xuân", "construction_permits", "2025-02", None),  # a gap
        month_row("Thanh Xuân", "budget_revenue", "2025-02", 600 * B),
    ))
    permits = report.districts[0].series[1]
    assert permits.latest.month_start == date(2025, 1, 1) and permits.latest.value == 7
    assert [m.month_start for m in permits.months] == [date(2025, 1, 1), date(2025, 2, 1)]


def test_a_requested_month_bounds_the_window_and_leaves_out_what_has_no_figure_in_it():
    report = build(months(
        month_row("Thanh Xuân", "budget_revenue", "2022-12", 400 * B),
        month_row("Thanh Xuân", "budget_revenue", "2023-01", 450 * B),
        month_row("Thanh Xuân", "budget_revenue", "2024-06", 500 * B),
        month_row("Thanh Xuân", "construction_permits", "2022-05", 3),  # before the window: not shown
        month_row("Cầu Giấy", "budget_revenue", "2024-07", 900 * B),  # after the month: no district
    ), month=date(2024, 6, 1))
    assert [d.name for d in report.districts] == ["Thanh Xuân"]
    (series,) = report.districts[0].series
    assert [m.month_start for m in series.months] == [date(2023, 1, 1), date(2024, 6, 1)]
    assert report.districts[0].month == date(2024, 6, 1) and report.requested_month == date(2024, 6, 1)


def test_sources_are_attached_to_their_month():
    report = build(
        months(month_row("Thanh Xuân", "budget_revenue", "2025-01", 5 * B),
               month_row("Thanh Xuân", "budget_revenue", "2025-02", 6 * B)),
        sources(source_row("Thanh Xuân", "budget_revenue", "2025-02", "cumulative_figure", source_row=15),
                source_row("Thanh Xuân", "budget_revenue", "2025-02", "previous_ytd", source_row=14),
                source_row("Cầu Giấy", "budget_revenue", "2025-02", "cumulative_figure", source_row=99)),
    )
    (series,) = report.districts[0].series
    assert [(s.role, s.source_row) for s in series.sources_of(series.latest)] == [
        ("cumulative_figure", 15), ("previous_ytd", 14),
    ]
    assert series.sources_of(series.months[0]) == ()


def alert(**fields):
    base = {"alert_id": "a", "check_name": "c", "district": None, "metric": None, "period": None,
            "severity": "warning", "message": "m", "status": "open", "first_seen_at": None, "last_seen_at": None}
    return base | fields


def alerts(*rows):
    return result(tuple(rows[0]), list(rows))


def test_alerts_go_to_the_district_they_name_in_any_written_form_most_serious_first():
    report = build(
        months(month_row("Thanh Xuân", "budget_revenue", "2025-02", 6 * B),
               month_row("Cầu Giấy", "budget_revenue", "2025-02", 9 * B)),
        alerts=alerts(
            alert(alert_id="w", district="thanh xuan", severity="warning",
                  last_seen_at=datetime(2025, 3, 1)),
            alert(alert_id="e-old", district="hn-thanh-xuan", severity="error", last_seen_at=datetime(2025, 2, 1)),
            alert(alert_id="e-new", district="Quận Thanh Xuân", severity="ERROR", last_seen_at=datetime(2025, 3, 2)),
            alert(alert_id="general", district=None, severity="info"),
            alert(alert_id="elsewhere", district="Tây Hồ", severity="error"),
        ),
    )
    by_name = {d.name: d for d in report.districts}
    assert [a.alert_id for a in by_name["Thanh Xuân"].alerts] == ["e-new", "e-old", "w"]
    assert by_name["Cầu Giấy"].alerts == ()
    assert [a.alert_id for a in report.general_alerts] == ["elsewhere", "general"]
    assert report.alerts_checked


def test_a_selected_district_leaves_out_other_districts_alerts_but_keeps_general_ones():
    report = build(
        months(month_row("Thanh Xuân", "budget_revenue", "2025-02", 6 * B)),
        alerts=alerts(alert(alert_id="elsewhere", district="Tây Hồ"), alert(alert_id="general")),
        district_selected=True,
    )
    assert [a.alert_id for a in report.general_alerts] == ["general"]


def test_without_an_alerts_table_the_report_says_alerts_were_not_checked():
    report = build(months(month_row("Thanh Xuân", "budget_revenue", "2025-02", 6 * B)), alerts=None)
    assert not report.alerts_checked and report.general_alerts == ()


def test_alert_columns_the_report_does_not_know_are_ignored_and_missing_ones_are_none():
    report = build(
        months(month_row("Thanh Xuân", "budget_revenue", "2025-02", 6 * B)),
        alerts=QueryResult(["alert_id", "message", "owner"], [("a1", "Thiếu số liệu", "ops")]),
    )
    (only,) = report.general_alerts
    assert (only.alert_id, only.message, only.severity, only.district) == ("a1", "Thiếu số liệu", None, None)


def test_an_empty_warehouse_gives_an_empty_report():
    report = build(months())
    assert report.districts == () and report.general_alerts == ()
