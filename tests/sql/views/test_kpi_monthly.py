"""kpi_monthly: tiny inputs -> the exact rows an analyst computes by hand."""

from tests.support.observations import insert, news

B = 10**9


def rows(wh, metric):
    return wh.query(
        "select month_start::varchar, value, ytd_value, is_reported from kpi_monthly where metric = ? order by month_start",
        [metric],
    ).rows


def test_ytd_series_is_differenced_within_the_year_with_january_and_a_gap(wh):
    for period, ytd in [("2024-01", 10), ("2024-02", 25), ("2024-03", 40), ("2024-05", 70)]:
        insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B)
    assert rows(wh, "budget_revenue") == [
        ("2024-01-01", 10 * B, 10 * B, True),  # January = its YTD
        ("2024-02-01", 15 * B, 25 * B, True),
        ("2024-03-01", 15 * B, 40 * B, True),
        ("2024-04-01", None, None, False),  # missing month: a gap row, not skipped
        ("2024-05-01", None, 70 * B, True),  # May alone is unknown without April's YTD
    ]


def test_year_boundary_restarts_the_difference(wh):
    for period, ytd in [("2024-11", 110), ("2024-12", 120), ("2025-01", 12), ("2025-02", 30)]:
        insert(wh.con, "Thanh Xuân", "budget_expenditure", period, ytd * B)
    assert rows(wh, "budget_expenditure") == [
        ("2024-11-01", None, 110 * B, True),  # series starts in November: October unknown
        ("2024-12-01", 10 * B, 120 * B, True),
        ("2025-01-01", 12 * B, 12 * B, True),
        ("2025-02-01", 18 * B, 30 * B, True),
    ]


def test_monthly_series_sums_to_ytd_only_without_missing_months(wh):
    for period, count in [("2024-01", 5), ("2024-02", 7), ("2024-04", 4), ("2025-01", 3)]:
        insert(wh.con, "Thanh Xuân", "construction_permits", period, count, basis="month")
    assert rows(wh, "construction_permits") == [
        ("2024-01-01", 5, 5, True),
        ("2024-02-01", 7, 12, True),
        ("2024-03-01", None, None, False),
        ("2024-04-01", 4, None, True),
        *[(f"2024-{m:02d}-01", None, None, False) for m in range(5, 13)],
        ("2025-01-01", 3, 3, True),
    ]


def test_share_is_never_differenced(wh):
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-01", 58.0, basis="ytd")
    insert(wh.con, "Thanh Xuân", "trade_services_share", "2024-02", 58.6, basis="ytd")
    assert rows(wh, "trade_services_share") == [("2024-01-01", 58.0, 58.0, True), ("2024-02-01", 58.6, 58.6, True)]


def test_districts_are_separate_series(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-02", 20 * B)
    result = wh.query("select district, month_start::varchar, value from kpi_monthly order by all").rows
    assert result == [("Cầu Giấy", "2024-02-01", None), ("Thanh Xuân", "2024-01-01", 10 * B)]


def test_superseded_figures_are_ignored(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, superseded_by="later")
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 11 * B)
    assert rows(wh, "budget_revenue") == [("2024-01-01", 11 * B, 11 * B, True)]


def test_explicit_month_value_wins_over_the_difference(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 14 * B, basis="month")
    assert rows(wh, "budget_revenue")[1] == ("2024-02-01", 14 * B, 25 * B, True)


def marked(wh, metric="budget_revenue"):
    return wh.query(
        "select month_start::varchar, value, ytd_value, source_kind, as_of::varchar, is_partial_month, is_estimate,"
        " is_preliminary, is_approximate, value_method, ytd_method from kpi_monthly where metric = ? order by month_start",
        [metric],
    ).rows


def test_news_fills_a_missing_department_month_and_the_differences_run_through_it(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 41 * B, qualifier="estimate")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-02-29", 99 * B)  # overridden: the department reported February
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-04", 60 * B)
    assert marked(wh) == [
        ("2024-01-01", 10 * B, 10 * B, "department", "2024-01-31", False, False, False, False, "cumulative_figure", "cumulative_figure"),
        ("2024-02-01", 15 * B, 25 * B, "department", "2024-02-29", False, False, False, False, "differenced", "cumulative_figure"),
        ("2024-03-01", 16 * B, 41 * B, "news", "2024-03-31", False, True, False, False, "differenced", "cumulative_figure"),
        # April's own figures are final, but its value rests on March's estimate
        ("2024-04-01", 19 * B, 60 * B, "department", "2024-04-30", False, True, False, False, "differenced", "cumulative_figure"),
    ]


def test_a_partial_cut_off_is_marked_and_the_next_month_is_not_differenced_from_it(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-02", 25 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 30 * B, qualifier="more_than")
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-04", 50 * B)
    assert marked(wh) == [
        ("2023-02-01", None, 25 * B, "department", "2023-02-28", False, False, False, False, None, "cumulative_figure"),
        # 1 to 7 March only, a lower bound less a full figure
        ("2023-03-01", 5 * B, 30 * B, "news", "2023-03-07", True, False, False, True, "differenced", "cumulative_figure"),
        # 8 to 31 March are in April's year-to-date figure: April alone is unknown
        ("2023-04-01", None, 50 * B, "department", "2023-04-30", False, False, False, False, None, "cumulative_figure"),
    ]


def test_only_a_percentage_known_is_a_reported_month_without_a_value(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-09", 50 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-11", 70 * B)
    assert rows(wh, "budget_revenue") == [
        ("2024-09-01", None, 50 * B, True),
        ("2024-10-01", None, None, True),
        ("2024-11-01", None, 70 * B, True),  # no October year-to-date to difference from
    ]


def test_a_preliminary_figure_flags_the_months_that_rest_on_it(wh):
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month", is_preliminary=True)
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 7, basis="month")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2025-01", 3, basis="month")
    assert [(r[0], r[1], r[2], r[7], r[10]) for r in marked(wh, "construction_permits")] == [
        ("2024-01-01", 5, 5, True, "summed_months"),
        ("2024-02-01", 7, 12, True, "summed_months"),  # February's year-to-date includes January
        *[(f"2024-{m:02d}-01", None, None, False, None) for m in range(3, 13)],
        ("2025-01-01", 3, 3, False, "summed_months"),
    ]


def test_a_year_total_and_a_first_quarter_count_as_year_to_date(wh):
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 7, basis="month")
    news(wh.con, "Thanh Xuân", "construction_permits", "2024-03-31", 20, basis="quarter")
    assert rows(wh, "construction_permits") == [
        ("2024-01-01", 5, 5, True),
        ("2024-02-01", 7, 12, True),
        ("2024-03-01", 8, 20, True),
    ]


def test_a_unit_outside_the_gazetteer_is_its_own_series(wh):
    news(wh.con, "TP. Thủ Đức", "budget_revenue", "2024-01-31", 10 * B)
    news(wh.con, "TP. Thủ Đức", "budget_revenue", "2024-03-31", 40 * B)
    assert wh.query("select unit_id, district, month_start::varchar, value, ytd_value from kpi_monthly order by 3").rows == [
        (None, "TP. Thủ Đức", "2024-01-01", 10 * B, 10 * B),
        (None, "TP. Thủ Đức", "2024-02-01", None, None),
        (None, "TP. Thủ Đức", "2024-03-01", None, 40 * B),
    ]


def test_a_gap_across_the_year_boundary_fills_every_missing_month(wh):
    insert(wh.con, "Thanh Xuân", "urban_violations", "2023-11", 4, basis="month")
    insert(wh.con, "Thanh Xuân", "urban_violations", "2024-02", 6, basis="month")
    assert rows(wh, "urban_violations") == [
        ("2023-11-01", 4, None, True),
        ("2023-12-01", None, None, False),
        ("2024-01-01", None, None, False),
        ("2024-02-01", 6, None, True),
    ]


def test_the_annual_plan_is_the_one_stated_with_the_months_figure(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=120 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    assert wh.query("select annual_plan from kpi_monthly order by month_start").rows == [(120 * B,), (None,)]


def test_a_cumulative_figure_filling_a_month_carries_the_year_to_date_forward(wh):
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 7, basis="month")
    news(wh.con, "Thanh Xuân", "construction_permits", "2024-03-31", 20, basis="quarter", is_estimate=True)
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-04", 4, basis="month")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-05", 6, basis="month")
    assert [(r[0], r[1], r[2], r[6], r[9], r[10]) for r in marked(wh, "construction_permits")] == [
        ("2024-01-01", 5, 5, False, "month_figure", "summed_months"),
        ("2024-02-01", 7, 12, False, "month_figure", "summed_months"),
        ("2024-03-01", 8, 20, True, "differenced", "cumulative_figure"),
        ("2024-04-01", 4, 24, True, "month_figure", "cumulative_plus_months"),  # the first quarter's estimate + April
        ("2024-05-01", 6, 30, True, "month_figure", "cumulative_plus_months"),
    ]


def test_a_month_figure_between_cumulative_figures(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-03", 14 * B, basis="month")
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-04", 55 * B)
    assert rows(wh, "budget_revenue") == [
        ("2024-01-01", 10 * B, 10 * B, True),
        ("2024-02-01", 15 * B, 25 * B, True),
        ("2024-03-01", 14 * B, 39 * B, True),
        ("2024-04-01", 16 * B, 55 * B, True),  # 55 less the 39 built from February's figure and March's value
    ]


def test_a_partial_cumulative_figure_is_no_base_for_later_months(wh):
    news(wh.con, "Thanh Xuân", "construction_permits", "2024-03-07", 15, basis="ytd")
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-04", 4, basis="month")
    assert rows(wh, "construction_permits") == [("2024-03-01", None, 15, True), ("2024-04-01", 4, None, True)]
