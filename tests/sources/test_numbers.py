from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sources.numbers import NumberFormatError, UnitScale, format_number, format_vnd, is_missing, parse_number, parse_unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.204,5", "1204.5"),
        ("5.606", "5606"),
        ("1.151.248", "1151248"),
        ("84,72", "84.72"),
        ("70,759", "70.759"),  # a single comma is the decimal mark
        ("330.957,6", "330957.6"),
        ("942.000", "942000"),
        ("08", "8"),
        ("-12,5", "-12.5"),
        ("\u22123", "-3"),  # minus sign
        ("1,151,248", "1151248"),  # English grouping, unambiguous with two groups
        ("1,204.5", "1204.5"),
        ("3.5", "3.5"),  # a point not followed by a group of three is a decimal point
        (" 1 204,5 ", "1204.5"),
        ("1\u00a0204,5", "1204.5"),  # a no-break space, as Excel groups digits
        ("1\u202f204\u202f000", "1204000"),  # a narrow no-break space
    ],
)
def test_parse_number(raw, expected):
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["12.45,6", "1.20.4", "abc", "1,2,3", "", "5.606,", "--3"])
def test_parse_number_refuses(raw):
    with pytest.raises(NumberFormatError, match="not a number"):
        parse_number(raw)


@pytest.mark.parametrize("raw", [None, "", "..", "...", "-", " - ", "x", "N/A"])
def test_missing_markers(raw):
    assert is_missing(raw)


@pytest.mark.parametrize("raw", ["0", "0,0", "12"])
def test_zero_is_not_missing(raw):
    assert not is_missing(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("tỷ đồng", UnitScale("VND", 10**9)),
        ("Tỷ đồng", UnitScale("VND", 10**9)),
        ("tỉ đồng", UnitScale("VND", 10**9)),
        ("triệu đồng", UnitScale("VND", 10**6)),
        ("trđ", UnitScale("VND", 10**6)),
        ("nghìn tỷ đồng", UnitScale("VND", 10**12)),
        ("ngàn đồng", UnitScale("VND", 10**3)),
        ("đồng", UnitScale("VND", 1)),
        ("VND", UnitScale("VND", 1)),
        ("(ĐVT: tỷ đồng)", UnitScale("VND", 10**9)),
        ("tỷ", UnitScale("VND", 10**9)),
        ("%", UnitScale("percent", 1)),
        ("trường hợp", UnitScale("count", 1)),
        ("giấy phép", UnitScale("count", 1)),
        ("Quyết định", UnitScale("count", 1)),
        ("doanh nghiệp", UnitScale("count", 1)),
        ("DN", UnitScale("count", 1)),
        ("hồ sơ", UnitScale("count", 1)),
        ("lượt", UnitScale("count", 1)),
        ("tr.đ", UnitScale("VND", 10**6)),
        ("Tr. đồng", UnitScale("VND", 10**6)),
        ("1.000 đồng", UnitScale("VND", 10**3)),
        ("1000 đ", UnitScale("VND", 10**3)),
        ("1.000.000 đồng", UnitScale("VND", 10**6)),
    ],
)
def test_parse_unit(raw, expected):
    assert parse_unit(raw) == expected


def test_parse_unit_refuses_unknown():
    with pytest.raises(NumberFormatError, match="unknown unit 'USD'"):
        parse_unit("USD")


def _vietnamese(value: Decimal) -> str:
    """Write a decimal the Vietnamese way: thousands dots, decimal comma."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


@given(st.decimals(min_value=-10**15, max_value=10**15, places=3, allow_nan=False, allow_infinity=False))
def test_vietnamese_numbers_round_trip(value):
    assert parse_number(_vietnamese(value)) == value


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


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1204500000000, "1.204,5 tỷ đồng"), (932472000000.0, "932,472 tỷ đồng"), (-16000000000.0, "-16 tỷ đồng"),
     (850000000, "850 triệu đồng"), (5000, "5.000 đồng")],
)
def test_format_vnd_with_currency(value, expected):
    assert format_vnd(value, currency=True) == expected


def test_a_multiple_in_figures_needs_its_currency():
    with pytest.raises(NumberFormatError, match="unknown unit '1000'"):
        parse_unit("1000")
