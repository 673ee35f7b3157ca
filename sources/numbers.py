"""Parse numbers and measurement units written the Vietnamese way into exact base-unit values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sources.text import fold

# Markers statistics offices and departments use for "no figure"; never zero.
MISSING_MARKERS = frozenset({"", "..", "...", "…", "-", "--", "x", "n/a", "na", "k/c"})

# Spaces that group digits: the plain one, and the no-break and thin ones Excel and Word put in ('1 204,5').
GROUPING_SPACES = " \u00a0\u202f\u2009"
_GROUPING_SPACE = re.compile(f"[{GROUPING_SPACES}]")

# Each pattern is anchored; the first that matches decides how the separators are read.
PLAIN = re.compile(r"[+-]?\d+")
VN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.204,5  5.606  1.151.248
VN_DECIMAL = re.compile(r"[+-]?\d+,\d+")  # 84,72  70,759 (a comma is the decimal mark)
EN_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|[+-]?\d{1,3},\d{3}\.\d+")  # 1,151,248  1,204.5
POINT_DECIMAL = re.compile(r"[+-]?\d+\.(?:\d{1,2}|\d{4,})")  # 3.5  1204.56: a point not followed by a group of 3


class NumberFormatError(ValueError):
    """Raised when a string is not a number in any format we accept."""


def is_missing(raw: str | None) -> bool:
    """Tell whether a cell means 'no figure': None, '', '..', '-' -> True; '0' -> False."""
    return raw is None or raw.strip().lower() in MISSING_MARKERS


def parse_number(raw: str, *, prose: bool = False) -> Decimal:
    """Read a Vietnamese-formatted number exactly: '1.204,5' -> 1204.5, '5.606' -> 5606, '84,72' -> 84.72.

    Files also carry English-formatted cells ('1,204.5'); prose does not, so with prose=True only the
    Vietnamese forms are read and a malformed '2.3337' is refused instead of being guessed.
    """
    text = _GROUPING_SPACE.sub("", raw.strip()).replace("\u2212", "-")
    if PLAIN.fullmatch(text):
        return Decimal(text)
    if VN_GROUPED.fullmatch(text) or VN_DECIMAL.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if not prose and EN_GROUPED.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if not prose and POINT_DECIMAL.fullmatch(text):
        return Decimal(text)
    raise NumberFormatError(f"'{raw}' is not a number (expected e.g. 1.204,5 or 330957,6)")


def is_number(raw: str | None) -> bool:
    """Tell whether a cell is a number in a form parse_number reads: '1.204,5' -> True; 'Trần Thị B', None -> False."""
    try:
        parse_number(raw or "")
    except NumberFormatError:
        return False
    return True


def format_number(value: Decimal | int | float, max_decimals: int = 2) -> str:
    """Write a number the Vietnamese way, trailing zeros dropped: 1204.5 -> '1.204,5', 5606 -> '5.606'."""
    rounded = round(Decimal(str(value)), max_decimals)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if rounded < 0 else ''}{grouped}{',' + fraction if fraction else ''}"


def format_vnd(value: Decimal | int | float, *, currency: bool = False) -> str:
    """Write a đồng amount with the multiplier reports use: 1204500000000 -> '1.204,5 tỷ', 850000000 -> '850 triệu'.

    With currency=True the amount names its currency, as a report's prose does: '1.204,5 tỷ đồng'.
    """
    for word, factor in (("tỷ", 10**9), ("triệu", 10**6)):
        if abs(value) >= factor:
            return f"{format_number(Decimal(value) / factor, 3)} {word}{' đồng' if currency else ''}"
    return f"{format_number(value, 0)} đồng"


@dataclass(frozen=True)
class UnitScale:
    """A measurement unit: the base unit it converts to and the factor to get there."""

    unit: str  # VND | count | percent
    factor: int


# Multipliers, longest first so 'nghìn tỷ' wins over 'tỷ'.
MULTIPLIERS: dict[str, int] = {
    "trieu ty": 10**15,
    "trieu ti": 10**15,
    "nghin ty": 10**12,
    "nghin ti": 10**12,
    "ngan ty": 10**12,
    "ngan ti": 10**12,
    "ty": 10**9,
    "ti": 10**9,
    "trieu": 10**6,
    "trd": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
}
# Statistics tables also write the multiple in figures, always with the currency: 'ĐVT: 1.000 đồng', '1000 đ'.
_NUMERIC_MULTIPLIERS = {"1000000": 10**6, "1000": 10**3}

_CURRENCY_WORDS = ("dong", "vnd", "d")
_COUNT_WORDS = frozenset(
    {
        "count", "so luong", "truong hop", "giay phep", "vu", "vu viec", "quyet dinh", "doanh nghiep",
        "lao dong", "nguoi", "giay chung nhan", "gcn", "cong trinh", "du an", "cong trinh, du an",
        "ho", "co so", "lan", "ban", "cai", "chiec", "don vi",
        # abbreviations and words of reports: DN, HTX (hợp tác xã), hồ sơ, lượt, đơn (thư), ca, thủ tục, đối tượng
        "dn", "htx", "hop tac xa", "ho so", "luot", "don", "don thu", "ca", "thu tuc", "doi tuong", "hoc sinh",
    }
)
_PERCENT_WORDS = frozenset({"%", "percent", "phan tram", "ty le %"})


def parse_unit(raw: str) -> UnitScale:
    """Read a unit label into base unit and factor: 'tỷ đồng' -> (VND, 10**9), 'trường hợp' -> (count, 1)."""
    key = re.sub(r"[()\[\]]", " ", fold(raw))
    key = re.sub(r"^\s*(dvt|don vi tinh|don vi)\s*:?\s*", "", key).strip(" .:")
    key = re.sub(r"(?<=\w)\.\s*(?=\w)", "", key)  # 'tr.đ', 'tr. đồng' -> 'trd', 'trdong'
    if key in _PERCENT_WORDS:
        return UnitScale("percent", 1)
    if key in _COUNT_WORDS:
        return UnitScale("count", 1)
    for word, factor in MULTIPLIERS.items():
        for currency in _CURRENCY_WORDS:
            if key in (f"{word} {currency}", f"{word}{currency}"):
                return UnitScale("VND", factor)
        if key == word:
            return UnitScale("VND", factor)
    for word, factor in _NUMERIC_MULTIPLIERS.items():
        if any(key in (f"{word} {currency}", f"{word}{currency}") for currency in _CURRENCY_WORDS):
            return UnitScale("VND", factor)
    if key in ("dong", "vnd", "vn dong", "d"):
        return UnitScale("VND", 1)
    raise NumberFormatError(f"unknown unit '{raw}' (expected e.g. tỷ đồng, triệu đồng, đồng, %, trường hợp)")
