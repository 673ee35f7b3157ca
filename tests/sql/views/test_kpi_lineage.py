"""kpi_lineage: every observation behind a month's figures, with its role or the reason it was not used."""

from tests.support.observations import B, insert, news


def lineage(wh, metric, month, district="Thanh Xuân"):
    return wh.query(
        "select role, is_chosen, reason, obs_id from kpi_lineage where district = ? and metric = ? and month_start = ?"
        " order by is_chosen desc, role, obs_id",
        [district, metric, month],
    ).rows


def test_a_differenced_month_rests_on_two_cumulative_figures_and_shows_what_it_overrode(wh):
    january = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, annual_plan=100 * B)
    old = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 24 * B, superseded_by="restating-load")
    february = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B, source_row=3, source_column="Lũy kế")
    overridden = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-02-29", 26 * B, source_name="https://a.vn/x",
                      evidence="thu ngân sách đạt 26 tỷ", evidence_start=5, evidence_end=28)
    assert lineage(wh, "budget_revenue", "2024-02-01") == [
        ("annual_plan", True, None, january),
        ("cumulative_figure", True, None, february),
        ("previous_ytd", True, None, january),
        ("candidate", False, "superseded", old),  # obs_id order: 'file:…' before 'news:…'
        ("candidate", False, "department_wins", overridden),
    ]
    provenance = wh.query(
        "select obs_id, observation_month_start::varchar, source_kind, source_name, source_row, source_column, evidence,"
        " evidence_start, evidence_end, superseded_by from kpi_lineage where month_start = '2024-02-01' order by obs_id"
    ).rows
    assert (february, "2024-02-01", "department", "test.csv", 3, "Lũy kế", None, None, None, None) in provenance
    assert (january, "2024-01-01", "department", "test.csv", 2, "Giá trị", None, None, None, None) in provenance
    assert (old, "2024-02-01", "department", "test.csv", 2, "Giá trị", None, None, None, "restating-load") in provenance
    assert (overridden, "2024-02-01", "news", "https://a.vn/x", None, None, "thu ngân sách đạt 26 tỷ", 5, 28, None) in provenance


def test_a_summed_year_to_date_lists_every_month_it_adds(wh):
    january = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month")
    february = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 7, basis="month")
    march = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-03", 4, basis="month")
    assert lineage(wh, "construction_permits", "2024-03-01") == [
        ("month_figure", True, None, march),
        ("summed_month", True, None, january),
        ("summed_month", True, None, february),
    ]


def test_a_month_differenced_from_a_summed_year_to_date(wh):
    january = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month")
    february = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-02", 7, basis="month")
    quarter = news(wh.con, "Thanh Xuân", "construction_permits", "2024-03-31", 20, basis="quarter")
    assert lineage(wh, "construction_permits", "2024-03-01") == [
        ("cumulative_figure", True, None, quarter),
        ("previous_ytd", True, None, january),
        ("previous_ytd", True, None, february),
    ]


def test_the_reasons_a_news_figure_was_not_chosen(wh):
    chosen = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-16", 28 * B, loaded_at="2025-02-02 00:00:00+00")
    earlier = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-07", 25 * B)
    same_cut_off = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-16", 27 * B, loaded_at="2025-02-01 00:00:00+00")
    ratio_only = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", None, pct_of_plan=30.0)
    target = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 120 * B, basis="year", is_target=True)
    quarter_two = news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 9 * B, basis="other")
    # The plan is the year's target: the 30 % of plan was stated with another figure (31/3, no value), so it
    # implies no plan for the figure chosen (16/3).
    assert lineage(wh, "budget_revenue", "2024-03-01") == [
        ("annual_plan", True, None, target),
        ("cumulative_figure", True, None, chosen),
        ("candidate", False, "earlier_cut_off", earlier),
        ("candidate", False, "not_preferred", same_cut_off),
        ("candidate", False, "no_value", ratio_only),
        ("candidate", False, "target", target),
        ("candidate", False, "period_not_monthly", quarter_two),
    ]


def test_a_year_to_date_built_on_an_earlier_cumulative_figure(wh):
    insert(wh.con, "Thanh Xuân", "construction_permits", "2024-01", 5, basis="month")
    quarter = news(wh.con, "Thanh Xuân", "construction_permits", "2024-03-31", 20, basis="quarter")
    april = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-04", 4, basis="month")
    may = insert(wh.con, "Thanh Xuân", "construction_permits", "2024-05", 6, basis="month")
    assert lineage(wh, "construction_permits", "2024-05-01") == [
        ("base_cumulative", True, None, quarter),
        ("month_figure", True, None, may),
        ("summed_month", True, None, april),
    ]


def test_a_month_differenced_from_a_year_to_date_built_on_a_cumulative_figure(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    february = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    march = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-03", 14 * B, basis="month")
    april = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-04", 55 * B)
    assert lineage(wh, "budget_revenue", "2024-04-01") == [
        ("cumulative_figure", True, None, april),
        ("previous_ytd", True, None, february),
        ("previous_ytd", True, None, march),
    ]
