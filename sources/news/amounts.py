"""Find amounts in Vietnamese prose: '115.075 tỷ 897 triệu đồng', 'hơn 4,6 nghìn tỷ', '31,6 %', '850 triệu'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sources.numbers import MULTIPLIERS, NumberFormatError, parse_number
from sources.text import fold, lower_in_place

_MULTIPLIER = r"(?:nghìn|ngàn|triệu)\s+t[ỷỉ]|t[ỷỉ]|triệu|tr\.?\s?đ|nghìn|ngàn"
_SMALLER_MULTIPLIER = r"triệu|tr\.?\s?đ|nghìn|ngàn"
_CURRENCY = r"đồng|vnđ|vnd|đ|usd|đô\s+la(?:\s+mỹ)?"
_END = r"(?![^\W\d_])"  # a unit word must end here: 'tỷ' but not 'tỷ' inside a longer word
_NUMBER = r"\d{1,15}(?:[.,]\d{1,15}){0,6}"
# 'giải ngân được 312/540 tỷ đồng': a part of a whole, the multiplier written once, after the whole.
_AMOUNT = re.compile(
    rf"""(?P<num>{_NUMBER})(?:\s*/\s*(?P<whole>{_NUMBER})(?=\s*(?:{_MULTIPLIER}){_END}))?
    (?:\s*(?P<pct>%)
      |\s*(?P<mult>{_MULTIPLIER}){_END}
         (?P<rest>(?:\s+\d{{1,3}}\s*(?:{_SMALLER_MULTIPLIER}){_END})*)
         (?:\s*(?P<cur>{_CURRENCY}){_END})?
      |\s*(?P<cur0>{_CURRENCY}){_END}
    )(?P<per>\s*/\s*[^\W\d_])?""",
    re.VERBOSE,
)
_REST_PART = re.compile(rf"(\d{{1,3}})\s*({_SMALLER_MULTIPLIER})")
_QUALIFIERS_BEFORE = re.compile(
    r"(?:(hơn|trên|gần|khoảng|xấp xỉ|chừng|dưới|chưa\s+(?:đến|tới)|ít\s+nhất)\s+)+$"
)
_QUALIFIER_CODES = {
    "hơn": "more_than", "trên": "more_than", "ít nhất": "more_than",
    "gần": "about", "khoảng": "about", "xấp xỉ": "about", "chừng": "about",
    "dưới": "less_than", "chưa đến": "less_than", "chưa tới": "less_than",
}
_RANGE_BEFORE = re.compile(r"(?:\d\s*[-–]|(?:từ|khoảng)\s+[\d.,]+\s*%?\s*(?:đến|tới))\s*$")
_RANGE_AFTER = re.compile(r"\s*(?:[-–]|đến\s|tới\s)\s*\d")
_FACTORS = {key.replace(" ", ""): factor for key, factor in MULTIPLIERS.items()}
# 'nghìn' alone also counts people or cases ('2 nghìn lao động'): only 'nghìn đồng' is money.
_MONEY_WITHOUT_CURRENCY = frozenset({10**6, 10**9, 10**12, 10**15})


@dataclass(frozen=True)
class Amount:
    """One amount found in prose, in base units; `issue` says why it must not be used as a value."""

    start: int
    end: int
    value: Decimal
    unit: str  # VND | USD | percent | thousand
    qualifier: str | None = None  # more_than | about
    digits: int = 0  # significant digits written, to prefer '115.075 tỷ 897 triệu' over '115.075,8 tỷ'
    issue: str | None = None  # malformed | range | per_unit | less_than
    whole: Decimal | None = None  # of a part written as a fraction: '312/540 tỷ' -> 312 bn of a whole of 540 bn


def find_amounts(text: str) -> list[Amount]:
    """List the money and percent amounts in a text: 'đạt hơn 1.204,5 tỷ đồng' -> [1204500000000 VND more_than]."""
    lowered = lower_in_place(text)
    return [_amount(match, lowered) for match in _AMOUNT.finditer(lowered) if _starts_number(lowered, match.start())]


def parse_amount(raw: str) -> tuple[Decimal, str]:
    """Read one amount written the Vietnamese way into base units: '2.165 tỷ 622 trđ' -> (2165622000000, 'VND')."""
    found = find_amounts(raw.strip())
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(raw.strip()) or found[0].issue:
        raise NumberFormatError(f"'{raw}' is not one amount (expected e.g. 1.204,5 tỷ đồng or 84,72%)")
    return found[0].value, found[0].unit


def parse_count(raw: str) -> int | None:
    """Read a written count, None when it is not a whole number: '1.260' -> 1260, '08' -> 8, '2,5' -> None."""
    try:
        value = parse_number(raw, prose=True)
    except NumberFormatError:
        return None
    return int(value) if value == value.to_integral_value() else None


def qualifier_before(text: str, start: int) -> str | None:
    """Return the qualifier written just before a position: '... đạt hơn hơn ' -> 'more_than'."""
    match = _QUALIFIERS_BEFORE.search(text, max(0, start - 40), start)
    if match is None:
        return None
    return _QUALIFIER_CODES[" ".join(match.group(1).lower().split())]


def _amount(match: re.Match, text: str) -> Amount:
    rest = "".join(f"{int(count):03d}" for count, _ in _REST_PART.findall(match.group("rest") or ""))
    written = re.sub(r"\D", "", match.group("num")) + rest
    digits = len(written.strip("0"))
    qualifier = qualifier_before(text, match.start())
    issue = "less_than" if qualifier == "less_than" else None
    if match.group("per"):
        issue = "per_unit"
    elif _RANGE_BEFORE.search(text, max(0, match.start() - 30), match.start()) or _RANGE_AFTER.match(text, match.end()):
        issue = "range"
    try:
        number = parse_number(match.group("num"), prose=True)
    except NumberFormatError:
        number, issue = Decimal(0), "malformed"
    end = match.end("per") - 1 if match.group("per") else match.end()
    if match.group("pct"):
        return Amount(match.start(), end, number, "percent", qualifier, digits, issue)
    currency = fold(match.group("cur") or match.group("cur0") or "")
    unit = "USD" if currency in ("usd",) or currency.startswith("do la") else "VND"
    if match.group("cur0"):
        return Amount(match.start(), end, number, unit, qualifier, digits, issue)
    factor = _FACTORS[_unit_key(match.group("mult"))]
    value = number * factor
    for count, word in _REST_PART.findall(match.group("rest") or ""):
        smaller = _FACTORS[_unit_key(word)]
        if smaller >= factor or int(count) * smaller >= factor:
            issue = issue or "malformed"
        value += int(count) * smaller
        factor = smaller
    if not currency and _FACTORS[_unit_key(match.group("mult"))] not in _MONEY_WITHOUT_CURRENCY:
        unit = "thousand"
    whole = _whole(match, _FACTORS[_unit_key(match.group("mult"))])
    if whole is not None and (match.group("rest") or whole < value):
        issue = issue or "malformed"  # '312/540 tỷ 200 triệu' or '540/312 tỷ': not a part of a whole
    return Amount(match.start(), end, value, unit, qualifier, digits, issue, whole)


def _whole(match: re.Match, factor: int) -> Decimal | None:
    if not match.group("whole"):
        return None
    try:
        return parse_number(match.group("whole"), prose=True) * factor
    except NumberFormatError:
        return Decimal(-1)  # below any part: malformed


def _starts_number(text: str, index: int) -> bool:
    """Tell whether a number starts here rather than inside a word, a fraction or another number ('1/2023').

    Checked in Python rather than by a look-behind, which would stop the regex engine skipping to digits.
    """
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] in "_.,/")


def _unit_key(word: str) -> str:
    return re.sub(r"[.\s]", "", fold(word))
