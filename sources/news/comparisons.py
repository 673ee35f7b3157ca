"""Read the ratios that follow a figure: % of plan (with its baseline), % of the same period, growth."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.news.amounts import Amount
from sources.text import fold

_PLAN_WORD = re.compile(r"\s*(?:so\s+với\s+)?(kế\s+hoạch|kh|dự\s+toán|chỉ\s+tiêu)(?![^\W\d_])")
# 'so với năm 2022' is the same period too when the figure is a year's.
_SAME_PERIOD = re.compile(r"\s*(?:so\s+với\s+)?(?:cùng\s+kỳ|ck|năm\s+(?:trước|ngoái|\d{4}))(?![^\W\d_])")
_QUALIFIER = r"(?:\s+(?:hơn|trên|gần|khoảng|xấp\s+xỉ|mạnh|thêm))?"
_RATIO_VERB = re.compile(
    r"(?:đạt|bằng|tương\s+đương|hoàn\s+thành|được|là)" + _QUALIFIER + r"\s*$|(?:[,;:(]|\svà)\s*$|^\s*$"
)
# The baseline may come first: 'so với dự toán đạt 84,72%', 'so với cùng kỳ bằng 118,5%'.
_VERB_BEFORE = r"\s+(?:đạt|bằng|tương\s+đương|là)" + _QUALIFIER + r"\s*$"
_PLAN_FIRST = re.compile(
    r"so\s+với\s+((?:kế\s+hoạch|kh|dự\s+toán|chỉ\s+tiêu)(?![^\W\d_])(?:[^\d,;()%]|\d{4}(?!\d)){0,40}?)" + _VERB_BEFORE
)
_SAME_PERIOD_FIRST = re.compile(r"so\s+với\s+cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái|\d{4}))?" + _VERB_BEFORE)
_GROWTH_VERB = re.compile(r"(?P<verb>tăng|giảm)(?:\s+trưởng)?" + _QUALIFIER + r"\s*$")
_OVERSHOOT = re.compile(r"vượt" + _QUALIFIER + r"\s*$")
_AVERAGE = re.compile(r"bình\s+quân|trung\s+bình|lần\s+lượt")
# After a growth rate these make it something else: a change of a rate, points, an overshoot of plan (which may
# also come first: 'so với kế hoạch tăng 5%').
_NOT_GROWTH_AFTER = re.compile(r"\s*(?:mức\s+tăng|tốc\s+độ|điểm|so\s+với\s+(?:kế\s+hoạch|kh|dự\s+toán|chỉ\s+tiêu))")
_PLAN_COMPARED = re.compile(r"so\s+với\s+(?:kế\s+hoạch|kh|dự\s+toán|chỉ\s+tiêu)(?![^\W\d_])[^,;()%]*$")
_BASELINE_END = re.compile(r"[,;()\n]|\.(?!\d)|\s+(?:và\s+)?(?:bằng|đạt|tăng|giảm|tương\s+đương)\s|\s+và\s+\d|\s+\d")
# A bracket is read only when it continues the comparison ('(bằng 118,5% so với cùng kỳ)'), not when it
# brings another year or a projection ('(năm 2019 tăng 10,8%)', '(dự kiến 6 tháng đầu năm đạt 70%)').
_COMPARISON_BRACKET = re.compile(r"\(\s*(?:bằng|đạt|tăng|giảm|tương\s+đương|so\s+với|[\d.,]+\s*%)")


@dataclass(frozen=True)
class PlanRatio:
    """A figure as a percentage of one plan, with a short code for whose plan: city, council, adjusted…"""

    pct: float
    baseline: str  # city | city_council | council | council_initial | adjusted | province | district | plan
    wording: str = ""

    def to_dict(self) -> dict:
        """Return JSON-ready values."""
        return {"pct": self.pct, "baseline": self.baseline, "wording": self.wording}


@dataclass(frozen=True)
class Ratios:
    """The comparisons read around one figure; plan wordings as spans of the text they were read from."""

    plan: tuple[tuple[float, str, int, int], ...] = ()  # (pct, baseline, start, end)
    same_period: float | None = None
    growth: float | None = None


def read_ratios(text: str, percents: list[Amount], windows: list[tuple[int, int]]) -> Ratios:
    """Classify the percentages inside the windows around a figure, in lower-cased text.

    '…, đạt 84,72% dự toán thành phố giao (bằng 118,5% so với cùng kỳ)' -> plan 84.72 (city), same period 118.5
    """
    plan: list[tuple[float, str, int, int]] = []
    same_period = growth = None
    for window_start, window_end in windows:
        for amount in percents:
            if not window_start <= amount.start < window_end or amount.issue:
                continue
            if _in_foreign_bracket(text, window_start, amount.start):
                continue
            before = text[max(window_start, amount.start - 40):amount.start]
            value = float(amount.value)
            if _OVERSHOOT.search(before) or _AVERAGE.search(before):
                continue
            growth_verb = _GROWTH_VERB.search(before)
            plan_word = _PLAN_WORD.match(text, amount.end)
            plan_first = _PLAN_FIRST.search(text, max(window_start, amount.start - 70), amount.start)
            if plan_word and not growth_verb and _RATIO_VERB.search(before):
                end = _BASELINE_END.search(text, plan_word.end(1), min(len(text), plan_word.end(1) + 80))
                wording_end = end.start() if end else min(len(text), plan_word.end(1) + 80)
                wording = text[plan_word.start(1):wording_end].strip()
                plan.append((value, baseline_code(wording), plan_word.start(1), plan_word.start(1) + len(wording)))
            elif plan_first and not _SAME_PERIOD.match(text, amount.end):
                wording = plan_first.group(1).strip()
                plan.append((value, baseline_code(wording), plan_first.start(1), plan_first.start(1) + len(wording)))
            elif growth_verb and not _NOT_GROWTH_AFTER.match(text, amount.end) and not _PLAN_COMPARED.search(before):
                if growth is None:
                    growth = -value if growth_verb.group("verb").lower() == "giảm" else value
            elif _SAME_PERIOD.match(text, amount.end) and _RATIO_VERB.search(before) and same_period is None:
                same_period = value
            elif _SAME_PERIOD_FIRST.search(before) and same_period is None:
                same_period = value
    return Ratios(tuple(plan), same_period, growth)


def bare_ratio(text: str, percents: list[Amount], start: int) -> float | None:
    """Return the percentage that follows a figure with no baseline named, in lower-cased text: ', đạt 57,8%' -> 57.8.

    None when the first percentage after `start` names a baseline or a change, or is a range or an overshoot.
    """
    first = next((amount for amount in percents if amount.start >= start), None)
    if first is None or first.issue or _PLAN_WORD.match(text, first.end) or _SAME_PERIOD.match(text, first.end):
        return None
    before = text[start:first.start]
    if not re.fullmatch(r"\s*[,;(]?\s*(?:(?:đạt|bằng|tương\s+đương|là)" + _QUALIFIER + r")?\s*", before):
        return None
    return float(first.value)


def baseline_code(wording: str) -> str:
    """Name whose plan a ratio is against: 'dự toán HĐND quận giao sau điều chỉnh' -> 'adjusted'."""
    words = f" {fold(wording)} "
    city = " thanh pho " in words or " tp " in words
    if "dieu chinh" in words:
        return "adjusted"
    if " hdnd " in words or "hoi dong nhan dan" in words:
        return "city_council" if city else "council_initial" if "dau nam" in words else "council"
    if city:
        return "city"
    if " tinh " in words:
        return "province"
    if any(f" {level} " in words for level in ("quan", "huyen", "thi xa", "phuong", "xa")):
        return "district"
    return "plan"


def _in_foreign_bracket(text: str, window_start: int, position: int) -> bool:
    opening = text.rfind("(", window_start, position)
    if opening < 0 or text.find(")", opening, position) >= 0:
        return False
    return not _COMPARISON_BRACKET.match(text, opening)
