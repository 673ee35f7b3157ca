"""reports.formatting: figures, dates and links written the Vietnamese way."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from reports import formatting as fmt


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1204500000000, "VND", "1.204,5 tỷ đồng"),
        (5606000000000.0, "VND", "5.606 tỷ đồng"),
        (115075897000000, "VND", "115.075,897 tỷ đồng"),
        (850000000, "VND", "850 triệu đồng"),
        (-16000000000.0, "VND", "-16 tỷ đồng"),
        (1260.0, "count", "1.260"),
        (68, "count", "68"),
        (58.6, "percent", "58,6%"),
        (None, "VND", "—"),
        (float("nan"), "count", "—"),
        (0, "count", "0"),
    ],
)
def test_amount(value, unit, expected):
    assert fmt.amount(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "signed", "expected"),
    [(84.72, False, "84,72%"), (23.43, True, "+23,43%"), (-10.26, True, "-10,26%"), (0.0, True, "0%"),
     (0.001, True, "0%"), (118.5, False, "118,5%"), (None, True, "—")],
)
def test_percent(value, signed, expected):
    assert fmt.percent(value, signed=signed) == expected


def test_dates():
    assert fmt.day(date(2025, 2, 28)) == "28/02/2025"
    assert fmt.month_label(date(2025, 2, 1)) == "02/2025"
    assert fmt.timestamp(datetime(2025, 3, 4, 14, 5)) == "14:05 ngày 04/03/2025"
    assert fmt.day(None) == "—"


def test_moments_are_shown_in_the_report_time_zone():
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    loaded = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)
    assert fmt.timestamp(loaded, hanoi) == "06:30 ngày 05/03/2025"
    assert fmt.timestamp(datetime(2025, 3, 4, 23, 30), hanoi) == "23:30 ngày 04/03/2025"  # naive: as stored
    assert fmt.zone(loaded.astimezone(hanoi)) == "UTC+07:00" and fmt.zone(datetime(2025, 1, 1)) == ""


@pytest.mark.parametrize(
    ("values", "unit", "expected"),
    [([2.5e12, None, 3e11], "VND", (10**9, "tỷ đồng")), ([8.5e8, -9e8], "VND", (10**6, "triệu đồng")),
     ([5000], "VND", (1, "đồng")), ([None], "VND", (1, "đồng")), ([12, 40], "count", (1, "")),
     ([58.6], "percent", (1, "%"))],
)
def test_chart_scale(values, unit, expected):
    assert fmt.chart_scale(values, unit) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://hanoimoi.vn/a.html", "https://hanoimoi.vn/a.html"), ("http://127.0.0.1:8765/x", "http://127.0.0.1:8765/x"),
     ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("data:text/html,<b>x</b>", None),
     ("//evil.example/x", None), ("https:///nohost", None), ("", None), (None, None)],
)
def test_only_web_addresses_become_links(url, expected):
    assert fmt.link(url) == expected
