from datetime import date

import pytest

from sources.periods import Period, PeriodFormatError, parse_month


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("01/2024", Period(date(2024, 1, 1))),
        ("1/2024", Period(date(2024, 1, 1))),
        ("Tháng 1/2024", Period(date(2024, 1, 1))),
        ("tháng 01/2024", Period(date(2024, 1, 1))),
        ("T10/2024", Period(date(2024, 10, 1))),
        ("2024-01", Period(date(2024, 1, 1))),
        ("12-2024", Period(date(2024, 12, 1))),
        ("tháng 3 năm 2023", Period(date(2023, 3, 1))),
        ("Sơ bộ tháng 10/2024", Period(date(2024, 10, 1), is_preliminary=True)),
    ],
)
def test_parse_month(label, expected):
    assert parse_month(label) == expected


@pytest.mark.parametrize(("label", "reason"), [("13/2024", "month 13"), ("2024", "not a month"), ("Q1/2024", "not a month")])
def test_parse_month_refuses(label, reason):
    with pytest.raises(PeriodFormatError, match=reason):
        parse_month(label)
