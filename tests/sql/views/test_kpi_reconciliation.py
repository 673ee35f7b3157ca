"""kpi_reconciliation: news figures against the department's figure for the same period."""

from tests.support.observations import B, insert, news


def test_news_against_the_department_for_the_same_period_only(wh):
    department = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-10", 5_600 * B, source_row=12)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-10", 5_500 * B, is_preliminary=True, basis="ytd",
           superseded_by="final-load")
    article = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 5_628 * B, qualifier="more_than",
                   source_name="https://hanoimoi.vn/a", evidence="hơn 5.628 tỷ đồng")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-15", 3_000 * B)  # another cut-off: nothing to compare
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", 640 * B, basis="month")  # the department gave no month
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72)  # no value to compare
    assert wh.query(
        "select district, metric, month_start::varchar, as_of::varchar, period_kind, department_value, news_value,"
        " difference, pct_difference, news_qualifier, department_obs_id, department_file, department_row,"
        " news_obs_id, news_url, news_evidence from kpi_reconciliation"
    ).rows == [
        ("Thanh Xuân", "budget_revenue", "2024-10-01", "2024-10-31", "cumulative", 5_600 * B, 5_628 * B, 28 * B, 0.5,
         "more_than", department, "test.csv", 12, article, "https://hanoimoi.vn/a", "hơn 5.628 tỷ đồng"),
    ]


def test_a_final_department_figure_is_preferred_to_a_preliminary_one(wh):
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-06", 990 * B, basis="ytd", is_preliminary=True)
    final = insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-06", 1_000 * B, basis="half_year")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-06-30", 950 * B)
    assert wh.query("select department_obs_id, difference, pct_difference from kpi_reconciliation").rows == [
        (final, -50 * B, -5.0)
    ]
