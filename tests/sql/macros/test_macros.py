"""sql/macros: the helpers the data-quality checks write their messages with, value by value."""

from datetime import date

import pytest


def value(wh, sql: str, *params):
    return wh.con.execute(f"select {sql}", list(params)).fetchone()[0]


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        (1094.694, 3, "1.094,694"),
        (84.70, 2, "84,7"),
        (1000, 0, "1.000"),
        (0, 2, "0"),
        (-25, 0, "-25"),
        (1234567.891, 2, "1.234.567,89"),
        (0.005, 2, "0,01"),
    ],
)
def test_vi_number_writes_thousands_dots_and_a_decimal_comma(wh, x, decimals, expected):
    assert value(wh, "vi_number(?, ?)", x, decimals) == expected


@pytest.mark.parametrize(
    ("x", "unit", "qualifier", "expected"),
    [
        (1421e9, "VND", "more_than", "hơn 1.421 tỷ đồng"),
        (115_075.897e9, "VND", None, "115.075,897 tỷ đồng"),
        (942e6, "VND", "about", "khoảng 942 triệu đồng"),
        (350_000, "VND", "estimate", "ước 350.000 đồng"),
        (57, "count", None, "57"),
        (84.72, "percent", None, "84,72 %"),
        (None, "VND", None, "(không có số)"),
    ],
)
def test_vi_figure_writes_a_figure_as_a_report_would(wh, x, unit, qualifier, expected):
    assert value(wh, "vi_figure(?, ?, ?)", x, unit, qualifier) == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("month", "trong tháng 10/2024"),
        ("ytd", "lũy kế đến 31/10/2024"),
        ("cumulative", "lũy kế đến 31/10/2024"),
        ("quarter", "quý đến 31/10/2024"),
        ("half_year", "6 tháng đến 31/10/2024"),
        ("year", "năm 2024"),
        ("other", "kỳ đến 31/10/2024"),
    ],
)
def test_vi_period_names_the_period_in_words(wh, kind, expected):
    assert value(wh, "vi_period(?, ?)", kind, date(2024, 10, 31)) == expected


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [(1971001080302.48, 5, 1971000000000), (0, 5, 0), (-0.0123456, 3, -0.0123), (98765, 2, 99000)],
)
def test_round_significant_keeps_the_leading_digits(wh, x, digits, expected):
    assert value(wh, "round_significant(?, ?)", x, digits) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [(["info", "critical", "warning"], "critical"), (["warning", "info"], "warning"), (["info"], "info"), ([], "info")],
)
def test_worst_severity_is_the_gravest_of_a_group(wh, severities, expected):
    assert value(wh, "worst_severity(?::varchar[])", severities) == expected
