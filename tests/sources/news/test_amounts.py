from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sources.news.amounts import find_amounts, parse_amount, parse_count
from sources.numbers import NumberFormatError, format_number


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "issue"),
    [
        ("đạt hơn 1.204,5 tỷ đồng", 1204500000000, "VND", "more_than", None),
        ("đạt 108,987 tỷ đồng", 108987000000, "VND", None, None),  # decimal comma, never 108,987 billion
        ("ước 115.075 tỷ 897 triệu đồng", 115075897000000, "VND", None, None),
        ("là 2.165 tỷ 622 trđ", 2165622000000, "VND", None, None),
        ("hơn hơn 4,6 nghìn tỷ đồng", 4600000000000, "VND", "more_than", None),
        ("đạt 942.000 triệu đồng", 942000000000, "VND", None, None),
        ("đạt 1.151.248 triệu", 1151248000000, "VND", None, None),  # đồng left out
        ("gần 3.700 tỉ", 3700000000000, "VND", "about", None),
        ("khoảng 1,2 ngàn tỷ đồng", 1200000000000, "VND", "about", None),
        ("cả nước thu 1,6 triệu tỷ đồng", 1600000000000000, "VND", None, None),
        ("với 850.000.000 đồng", 850000000, "VND", None, None),
        ("nộp 12 tr.đ", 12000000, "VND", None, None),
        ("đạt 31,6 %", Decimal("31.6"), "percent", None, None),
        ("vốn 10 triệu USD", 10000000, "USD", None, None),
        ("cho 2 nghìn lao động", 2000, "thousand", None, None),  # not money without 'đồng'
        ("chi (2.3337 tỷ đồng)", 0, "VND", None, "malformed"),
        ("thu nhập 45 triệu đồng/người/năm", 45000000, "VND", None, "per_unit"),
        ("tăng 15-16%", 16, "percent", None, "range"),
        ("dưới 5 tỷ đồng", 5000000000, "VND", "less_than", "less_than"),
        ("1.277 tỷ 1.069 triệu", 1277000000000, "VND", None, None),  # a second part over 999 is not a mixed form
    ],
)
def test_find_amounts(text, value, unit, qualifier, issue):
    amount = find_amounts(text)[0]
    assert (amount.value, amount.unit, amount.qualifier, amount.issue) == (value, unit, qualifier, issue)


@pytest.mark.parametrize(
    ("text", "value", "whole", "issue"),
    [
        ("giải ngân được 312/540 tỷ đồng", 312000000000, 540000000000, None),  # the multiplier is written once
        ("đạt 86,5/120 tỷ", 86500000000, 120000000000, None),
        ("giải ngân 540/312 tỷ đồng", 540000000000, 312000000000, "malformed"),  # a part larger than its whole
        ("giải ngân 312/540 tỷ 200 triệu đồng", 312200000000, 540000000000, "malformed"),
    ],
)
def test_a_fraction_is_a_part_of_a_whole(text, value, whole, issue):
    [amount] = find_amounts(text)
    assert (amount.value, amount.whole, amount.issue) == (value, whole, issue)


@pytest.mark.parametrize("text", ["quý 1/2023", "93/167 hộ", "130.250m2", "năm 2024", "Điều 5 khoản 2"])
def test_numbers_without_money_or_percent_are_not_amounts(text):
    assert find_amounts(text) == []


def test_parse_amount_refuses_more_or_less_than_one_amount():
    with pytest.raises(NumberFormatError):
        parse_amount("5 tỷ và 6 tỷ")
    with pytest.raises(NumberFormatError):
        parse_amount("2.3337 tỷ đồng")


@pytest.mark.parametrize(("raw", "expected"), [("1.260", 1260), ("08", 8), ("2,5", None), ("2.3337", None)])
def test_parse_count(raw, expected):
    assert parse_count(raw) == expected


# Every multiplier word the amount grammar accepts, so a word the factor table lacks fails here.
_MULTIPLIER_FORMS = [
    ("triệu tỷ", 10**15), ("triệu tỉ", 10**15), ("nghìn tỷ", 10**12), ("nghìn tỉ", 10**12), ("ngàn tỷ", 10**12),
    ("ngàn tỉ", 10**12), ("tỷ", 10**9), ("tỉ", 10**9), ("triệu", 10**6), ("trđ", 10**6), ("tr.đ", 10**6),
]


@st.composite
def written_amounts(draw):
    """An amount in đồng and one way a Vietnamese report writes it."""
    style = draw(st.sampled_from(["plain", "multiplier", "mixed"]))
    currency = draw(st.sampled_from([" đồng", ""])) if style != "plain" else " đồng"
    if style == "plain":
        value = draw(st.integers(min_value=1, max_value=10**15))
        return value, f"{format_number(value)}{currency}"
    word, factor = draw(st.sampled_from(_MULTIPLIER_FORMS))
    if style == "multiplier":
        decimals = draw(st.integers(min_value=0, max_value=3))
        mantissa = Decimal(draw(st.integers(min_value=1, max_value=10**7))) / 10**decimals
        return int(mantissa * factor), f"{format_number(mantissa, 3)} {word}{currency}"
    word = draw(st.sampled_from(["tỷ", "tỉ"]))
    whole = draw(st.integers(min_value=1, max_value=999_999))
    part = draw(st.integers(min_value=0, max_value=999))
    smaller = draw(st.sampled_from(["triệu", "trđ"]))
    return whole * 10**9 + part * 10**6, f"{format_number(whole)} {word} {part:03d} {smaller}{currency}"


@given(written_amounts())
def test_any_vietnamese_amount_parses_back_to_itself(case):
    value, written = case
    assert parse_amount(written) == (value, "VND")


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_any_percentage_parses_back_to_itself(value):
    assert parse_amount(f"{format_number(value)}%") == (value, "percent")
