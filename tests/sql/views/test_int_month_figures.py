"""int_month_figures: which reported figures stand for a district, metric and month (the precedence rule)."""

from tests.support.observations import B, insert, news

COLUMNS = (
    "month_start::varchar, source_kind, as_of::varchar, is_partial_month, candidates, month_obs_id, month_value,"
    " cumulative_obs_id, cumulative_value"
)


def figures(wh):
    return wh.query(f"select {COLUMNS} from int_month_figures order by district, metric, month_start").rows


def test_department_wins_and_news_fills_a_gap(wh):
    jan = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-01-31", 11 * B)
    gap = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-02-29", 26 * B)
    assert figures(wh) == [
        ("2024-01-01", "department", "2024-01-31", False, 2, None, None, jan, 10 * B),
        ("2024-02-01", "news", "2024-02-29", False, 1, None, None, gap, 26 * B),
    ]


def test_the_department_wins_the_whole_month_even_for_a_kind_only_the_news_gives(wh):
    cumulative = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-03", 40 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 14 * B, basis="month")
    assert figures(wh) == [("2024-03-01", "department", "2024-03-31", False, 2, None, None, cumulative, 40 * B)]


def test_the_latest_cut_off_wins_and_both_kinds_are_taken_at_it(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 25 * B)
    latest = news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-16", 28 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 2 * B, basis="month")  # an earlier period: dropped
    assert figures(wh) == [("2023-03-01", "news", "2023-03-16", True, 3, None, None, latest, 28 * B)]


def test_at_one_cut_off_an_actual_beats_an_estimate_and_a_newer_load_an_older_one(wh):
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-05-31", 50 * B, is_estimate=True, loaded_at="2025-03-01 00:00:00+00")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-05-31", 49 * B, loaded_at="2025-01-01 00:00:00+00")
    newer = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-05-31", 48 * B, loaded_at="2025-02-01 00:00:00+00")
    assert figures(wh) == [("2024-05-01", "news", "2024-05-31", False, 3, None, None, newer, 48 * B)]


def test_final_beats_preliminary_and_exact_beats_approximate(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-06", 60 * B, basis="ytd", is_preliminary=True)
    final = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-06", 61 * B, basis="half_year")
    news(wh.con, "Cầu Giấy", "budget_revenue", "2024-06-30", 70 * B, qualifier="more_than")
    exact = news(wh.con, "Cầu Giấy", "budget_revenue", "2024-06-30", 70.4 * B)
    assert [(row[1], row[7], row[8]) for row in figures(wh)] == [
        ("news", exact, 70.4 * B),
        ("department", final, 61 * B),
    ]


def test_a_figure_with_a_value_beats_a_later_one_with_only_a_percentage(wh):
    valued = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-15", 5_000 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72)
    assert figures(wh) == [("2024-10-01", "news", "2024-10-15", True, 2, None, None, valued, 5_000 * B)]


def test_only_a_percentage_known_is_still_the_months_figure(wh):
    ratio = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-10-31", None, pct_of_plan=84.72, pct_of_same_period=118.5)
    assert figures(wh) == [("2024-10-01", "news", "2024-10-31", False, 1, None, None, ratio, None)]
    assert wh.query("select cumulative_pct_of_plan, cumulative_pct_of_same_period from int_month_figures").rows == [
        (84.72, 118.5)
    ]


def test_month_and_cumulative_figures_side_by_side_and_targets_left_out(wh):
    month = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 14 * B, basis="month")
    cumulative = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B, annual_plan=300 * B)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-02-29", 400 * B, basis="year", is_target=True)
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-02-29", 9 * B, basis="quarter")  # not from January
    assert figures(wh) == [("2024-02-01", "department", "2024-02-29", False, 2, month, 14 * B, cumulative, 25 * B)]
    assert wh.query("select annual_plan, annual_plan_obs_id from int_month_figures").rows == [(300 * B, cumulative)]


def test_percentages_and_plan_are_those_stated_with_the_chosen_figure_never_a_lesser_ones(wh):
    # The preferred figure states no percentage or plan; an older, lesser one does. Taking those from it would
    # pair the chosen figure with another figure's statement.
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-05-31", 49 * B, pct_of_plan=20.5, pct_of_same_period=110.0,
         annual_plan=240 * B, loaded_at="2025-01-01 00:00:00+00")
    chosen = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-05-31", 48 * B, loaded_at="2025-02-01 00:00:00+00")
    assert wh.query(
        "select cumulative_obs_id, cumulative_pct_of_plan, cumulative_pct_of_same_period, annual_plan,"
        " annual_plan_obs_id from int_month_figures"
    ).rows == [(chosen, None, None, None, None)]
