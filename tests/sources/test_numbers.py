from decimal import Decimal

import pytest

from sources.numbers import NumberFormatError, format_number, format_vnd, parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.204,5", Decimal("1204.5")), ("5.606", Decimal("5606")), ("84,72", Decimal("84.72")), ("70,759", Decimal("70.759")),
     ("08", Decimal("8")), ("1.151.248", Decimal("1151248"))],
)
def test_parse_number_reads_prose_forms(raw, expected):
    assert parse_number(raw, prose=True) == expected


@pytest.mark.parametrize("raw", ["2.3337", "47.4", "1,151,248", "1,204.5"])
def test_prose_refuses_forms_that_are_not_vietnamese(raw):
    parse_number(raw)  # a spreadsheet cell may be written this way
    with pytest.raises(NumberFormatError):
        parse_number(raw, prose=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1204.5, "1.204,5"), (5606, "5.606"), (84.72, "84,72"), (0.5, "0,5"), (-1234567.891, "-1.234.567,89"), (100, "100")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1204500000000, "1.204,5 tỷ"), (115075897000000, "115.075,897 tỷ"), (850000000, "850 triệu"), (83000000, "83 triệu"),
     (5000, "5.000 đồng")],
)
def test_format_vnd(value, expected):
    assert format_vnd(value) == expected
