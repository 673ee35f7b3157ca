"""mom_jump: a month's own value far outside its series (robust z over the median absolute deviation)."""

import pytest

from tests.support.checks import fingerprints, found
from tests.support.observations import B, insert, news

MONTHS = [f"2024-{number:02d}" for number in range(1, 13)]


def series(wh, metric, values, district="Long Biên"):
    for month, value in zip(MONTHS, values):
        if value is not None:
            insert(wh.con, district, metric, month, value, basis="month")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([30, 32, 28, 31, 29, 33, 30, 31, 300, 29, 30, 32], [("2024-09-01", "critical")]),  # tenfold
        ([30, 32, 28, 31, 29, 33, 30, 31, 75, 29, 30, 32], [("2024-09-01", "warning")]),
        ([30, 45, 22, 38, 27, 51, 33, 19, 41, 29, 36, 48], []),  # an ordinary, noisy series
        ([5, 5, 5, 5, 5, 5, 5, 50], [("2024-08-01", "critical")]),  # MAD 0: the mean absolute deviation scales
        ([1, 1, 1, 1, 1, 1, 3], []),  # MAD 0, but 3 against 1 is a count's ordinary noise
        ([7, 7, 7, 7, 7, 7, 7, 7], []),  # all the same: nothing stands out
        ([30, 31, 29, 300, 30], []),  # five months are too few to call anything unusual
    ],
)
def test_counts(wh, values, expected):
    series(wh, "urban_violations", values)
    assert [(period, severity) for _, _, period, severity in fingerprints(wh.con, "mom_jump")] == expected


def test_the_message_gives_the_value_the_median_and_the_month_before(wh):
    values = [540, 560, 530, 610, 555, 548, 5_420, 575, 566, 590, 602, 655]  # July in triệu read as tỷ
    series(wh, "budget_revenue", [v * B for v in values], district="Thanh Xuân")
    [row] = found(wh.con, "mom_jump")
    assert (row["district"], row["metric"], row["period"], row["severity"]) == (
        "Thanh Xuân", "budget_revenue", "2024-07-01", "critical"
    )
    assert "tháng 07/2024: 5.420 tỷ đồng" in row["message"]
    assert "trung vị 570,5 tỷ đồng của 12 tháng" in row["message"]
    assert "tháng 06/2024 là 548 tỷ đồng" in row["message"]


def test_partial_and_approximate_months_are_left_out(wh):
    values = [30, 32, 28, 31, 29, 33, 30, 31, 29, 30]
    series(wh, "urban_violations", values)
    news(wh.con, "Long Biên", "urban_violations", "2024-11-30", 300, basis="month", qualifier="about")
    insert(wh.con, "Long Biên", "urban_violations", "2024-12", 3, basis="month", as_of="2024-12-05")
    assert found(wh.con, "mom_jump") == []


@pytest.mark.parametrize(
    ("cumulative", "expected"),
    [
        # August's year to date fell: its month is negative (ytd_falls reports it) and September rebounds
        ([20, 45, 80, 120, 160, 210, 260, 250, 330, 380, 430], []),
        # July's year to date too high: July jumps, August is as far below; one slip, one alert
        ([20, 45, 80, 120, 160, 210, 660, 310, 350, 395, 440], [("2024-07-01", "critical")]),
    ],
)
def test_a_wrong_year_to_date_figure_is_one_alert_or_none(wh, cumulative, expected):
    for month, value in zip(MONTHS, cumulative):
        insert(wh.con, "Hoàn Kiếm", "public_investment_disbursement", month, value * B)
    assert [(period, severity) for _, _, period, severity in fingerprints(wh.con, "mom_jump")] == expected
