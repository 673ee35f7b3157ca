from datetime import date

import pytest

from sources.periods import Period, PeriodFormatError, parse_month, parse_period


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
        ("2024M01", Period(date(2024, 1, 1))),  # PX-Web
        ("2024M1", Period(date(2024, 1, 1))),
        ("Sơ bộ 2024M10", Period(date(2024, 10, 1), is_preliminary=True)),
    ],
)
def test_parse_month(label, expected):
    assert parse_month(label) == expected


@pytest.mark.parametrize(
    ("label", "reason"),
    [("13/2024", "month 13"), ("2024", "not a month"), ("Q1/2024", "not a month"), ("2024M13", "month 13"),
     ("2024Q3", "not a month")],
)
def test_parse_month_refuses(label, reason):
    with pytest.raises(PeriodFormatError, match=reason):
        parse_month(label)


@pytest.mark.parametrize(
    ("period", "figure_month", "as_of"),
    [
        (Period(date(2024, 2, 1)), date(2024, 2, 1), date(2024, 2, 29)),  # a leap February
        (Period(date(2023, 2, 1)), date(2023, 2, 1), date(2023, 2, 28)),
        (Period(date(2024, 1, 1), months=3), date(2024, 3, 1), date(2024, 3, 31)),  # Q1 sits at March
        (Period(date(2024, 10, 1), months=3), date(2024, 12, 1), date(2024, 12, 31)),  # Q4 ends the year
        (Period(date(2024, 12, 1)), date(2024, 12, 1), date(2024, 12, 31)),
        (Period(date(2024, 10, 1), is_cumulative=True), date(2024, 10, 1), date(2024, 10, 31)),  # '10 tháng năm 2024'
    ],
)
def test_a_period_figure_sits_at_its_last_month(period, figure_month, as_of):
    assert (period.figure_month, period.as_of) == (figure_month, as_of)


@pytest.mark.parametrize(("label", "first_month"), [("2024Q1", 1), ("2024Q3", 7), ("2024 Q4", 10), ("Quý III/2024", 7)])
def test_parse_quarter(label, first_month):
    assert parse_period(label) == Period(date(2024, first_month, 1), months=3)
