"""freshness: a series whose newest figure lags the warehouse's newest by more than its metric allows."""

from tests.support.checks import found
from tests.support.observations import B, insert, news


def test_a_district_two_months_behind_the_others(wh):
    for month in ("2024-10", "2024-11", "2024-12"):
        insert(wh.con, "Thanh Xuân", "budget_revenue", month, 6_000 * B, source_name="tx.csv", loaded_at="2025-03-10")
    for month in ("2025-01", "2025-02"):
        insert(wh.con, "Cầu Giấy", "budget_revenue", month, 1_000 * B, loaded_at="2025-03-10")
    insert(wh.con, "Long Biên", "budget_revenue", "2025-01", 600 * B, loaded_at="2025-03-10")  # one month behind: normal
    [row] = found(wh.con, "freshness")
    assert (row["district"], row["metric"], row["period"], row["severity"]) == (
        "Thanh Xuân", "budget_revenue", None, "warning"
    )
    assert ("số liệu gần nhất đến ngày 31/12/2024 (tx.csv), chậm 59 ngày so với số liệu mới nhất trong kho (28/02/2025);"
            " ngưỡng 45 ngày") in row["message"]


def test_the_threshold_is_the_metrics_own(wh):
    insert(wh.con, "Long Biên", "production_value", "2024-12", 40_000 * B, loaded_at="2025-03-10")  # quarterly: 100 days
    insert(wh.con, "Long Biên", "budget_revenue", "2025-02", 1_000 * B, loaded_at="2025-03-10")
    assert found(wh.con, "freshness") == []
    wh.con.execute("update dim_metric set freshness_days = 30 where metric = 'production_value'")
    assert [row["metric"] for row in found(wh.con, "freshness")] == ["production_value"]


def test_forecasts_targets_and_abolished_units_do_not_count(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2025-02", 1_200 * B, loaded_at="2025-03-10")
    # a full-year estimate published in March is cut off in December: not a newer figure
    news(wh.con, "Cầu Giấy", "budget_revenue", "2025-12-31", 10_700 * B, basis="year", qualifier="estimate",
         loaded_at="2025-03-12")
    news(wh.con, "Cầu Giấy", "budget_expenditure", "2025-12-31", 1_985 * B, basis="year", is_target=True,
         loaded_at="2025-03-12")
    insert(wh.con, "Cầu Giấy", "budget_revenue", "2025-01", 935 * B, loaded_at="2025-03-10")
    insert(wh.con, "Long Biên", "budget_revenue", "2024-10", 6_100 * B, loaded_at="2025-03-10")
    wh.con.execute("update dim_unit set valid_to = date '2024-12-31' where unit_id = 'hn-long-bien'")
    assert found(wh.con, "freshness") == []
