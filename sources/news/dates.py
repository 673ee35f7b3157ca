"""Find reporting periods and cut-off dates in Vietnamese prose: 'đến ngày 31-10-2024', '6 tháng đầu năm', 'quý I'."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sources.news.document import Scan
from sources.text import lower_in_place

_YEAR = r"(?:\s*[/-]\s*(?P<y>\d{4})|\s+năm\s+(?P<y2>\d{4}))?(?![\d/])"
_QUARTER = r"(?P<q>iv|iii|ii|i|[1-4])(?![\w])"
# 'đến', 'tới', 'đến hết' or a bare 'hết' (to the end of): 'Hết tháng 11, …', 'tính đến thời điểm 30/11'. A bare
# 'hết' needs 'ngày' before a day: 'xử lý hết 12/12 trường hợp' is all twelve cases, not a date.
_UNTIL = r"(?:(?:đến|tới)\s+(?:hết\s+)?|(?<![^\W\d_])hết\s+)"
_UNTIL_DAY = r"(?:(?:đến|tới)\s+(?:hết\s+)?(?:thời\s+điểm\s+)?(?:ngày\s+)?|(?<![^\W\d_])hết\s+ngày\s+)"
_UNTIL_DAY_IN_WORDS = r"(?:(?:đến|tới)\s+(?:hết\s+)?(?:thời\s+điểm\s+)?|(?<![^\W\d_])hết\s+)ngày\s+"
_PATTERNS = {
    "cutoff_day": re.compile(
        _UNTIL_DAY + r"(?P<d>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}))?(?![\d/])"
        r"|" + _UNTIL_DAY_IN_WORDS + r"(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?",
    ),
    "cutoff_month": re.compile(_UNTIL + r"(?:cuối\s+)?tháng\s+(?P<m>\d{1,2})" + _YEAR),
    "cutoff_quarter": re.compile(_UNTIL + r"(?:cuối\s+)?quý\s+" + _QUARTER + _YEAR),
    "since_start": re.compile(r"từ\s+đầu\s+năm(?:\s+(?:đến|tới)\s+nay)?|(?<!trước )(?<!bây )đến\s+nay"),
    "months": re.compile(
        r"(?P<n>\d{1,2})\s+tháng(?P<late>\s+cuối)?(?:\s+đầu)?(?:\s+năm(?:\s+(?P<y3>\d{4}))?)?(?:\s+qua)?" + _YEAR
        + r"(?!\s+(?:tuổi|tới|sau|trước|kể|liên|nữa|còn lại))",
    ),
    "half": re.compile(r"(?P<late>nửa\s+cuối|nửa\s+đầu)\s+năm(?:\s+(?P<y3>\d{4}))?" + _YEAR),
    "quarter": re.compile(r"quý\s+" + _QUARTER + _YEAR),
    "quarters": re.compile(r"(?P<n>[1-3])\s+quý(?:\s+đầu)?(?:\s+năm(?:\s+(?P<y3>\d{4}))?)?" + _YEAR),
    "year": re.compile(r"năm\s+(?P<y>\d{4})(?!\s*[-–]\s*\d{4})(?![\d/])"),
    "this_year": re.compile(r"(?P<which>cả\s+năm|năm\s+nay|năm\s+(?:vừa\s+)?qua)(?![^\W\d_])"),
    "month": re.compile(r"tháng\s+(?P<m>\d{1,2})" + _YEAR),
    # 'Trong tháng, …', '… trong quý qua.': the month or quarter reported on, named by the article's cut-off
    "this_month": re.compile(r"(?:trong|riêng)\s+(?P<unit>tháng|quý)(?:\s+(?:này|vừa\s+qua|qua))?(?=\s*(?:[,.;:)]|$))"),
    # a day without 'đến' is when something happened ('Sáng 8/4', 'ngày 29 tháng 12'), not a cut-off
    "event_day": re.compile(
        r"ngày\s+\d{1,2}(?:\s*[-/.]\s*\d{1,2}|\s+tháng\s+\d{1,2})(?:(?:\s*[-/.]\s*|\s+năm\s+)\d{4})?"
    ),
}
_KEYWORDS = {
    "cutoff_day": ("đến", "tới", "hết"), "cutoff_month": ("tháng",), "cutoff_quarter": ("quý",),
    "since_start": ("đầu năm", "đến nay"), "months": ("tháng",), "half": ("nửa",), "quarter": ("quý",),
    "quarters": ("quý",), "year": ("năm",), "this_year": ("năm",), "month": ("tháng",), "this_month": ("tháng", "quý"),
    "event_day": ("ngày",),
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# A period right after these words is what a figure is compared with, not the figure's own period.
_COMPARED = re.compile(r"(?:so\s+với|cùng\s+kỳ|so\s+cùng\s+kỳ|gấp|hơn)(?:\s+(?:cùng\s+kỳ|kỳ))?\s*$")
# A period after these words is a plan's baseline, a horizon or the next period's work, not a reporting
# period. (A target's own year stays: 'mục tiêu năm 2025 thu ngân sách …' is the target's period.)
_NOT_REPORTED = re.compile(
    r"(?:nhiệm\s+vụ(?:\s+trọng\s+tâm)?|phương\s+hướng|kế\s+hoạch|dự\s+toán|chỉ\s+tiêu|kh"
    r"|định\s+hướng|triển\s+khai|giai\s+đoạn|nhiệm\s+kỳ|khóa|từ|đến|sau|trước|thành\s+lập|vào\s+cuối)\s*$",
)
_SENTENCE_START = re.compile(r"\n|[.!?;:]\s")
# Allowed slack between a year-less period's end and publication before the period is read as last year's.
_SLACK = timedelta(days=62)


@dataclass(frozen=True)
class PeriodMention:
    """A written reporting period: where it is and what it says, before the year is resolved."""

    start: int
    end: int
    kind: str  # cutoff | since_start | span | year | month
    period: str  # ytd | month | quarter | half_year | year
    month: int | None = None  # last month covered; None for 'trong tháng/quý', the one the article reports on
    day: int | None = None
    year: int | None = None  # as written
    relative_year: int = 0  # 'năm qua' is last year in a January article

    @property
    def reports_a_month(self) -> bool:
        """Tell whether this period ends in the month an article reports on: a cut-off or a span, not a year."""
        return self.kind in ("cutoff", "span") and self.period != "year"

    def as_of(self, published: date | None, year_hint: int | None, reported: date | None = None) -> date | None:
        """Return the cut-off date, a missing year taken from publication: 'đến 16/3' (out 2023-04-07) -> 2023-03-16.

        `reported` is the cut-off the article stated last: 'từ đầu năm đến nay' runs to it (else to publication),
        'trong tháng' ends with its month ('đến ngày 30/11 …. Trong tháng, …' -> Nov 30).
        """
        if self.kind == "since_start":
            return reported or published
        if self.kind == "month" and self.month is None:
            return _month_end(reported) if reported else None
        year = self.year or (published.year if published else year_hint)
        if year is None or self.month is None:
            return None
        if self.year is None and self.relative_year:
            year += self.relative_year
        day = self.day or calendar.monthrange(year, self.month)[1]
        try:
            cut_off = date(year, self.month, day)
        except ValueError:
            return None
        if self.year is None and published is not None and cut_off > published + _SLACK:
            return _year_earlier(cut_off)
        return cut_off


def find_periods(text: str | Scan, published: date | None = None) -> list[PeriodMention]:
    """List the reporting periods a text states, leaving out comparisons and plans: '9 tháng năm 2013' -> ytd, Sep 30.

    A Scan passed in must be of lower-cased text.
    """
    scan = text if isinstance(text, Scan) else Scan.of(lower_in_place(text))
    text = scan.text
    matches = sorted(
        ((kind, match) for kind, pattern in _PATTERNS.items() for match in scan.finditer(pattern, _KEYWORDS[kind])),
        key=lambda item: (item[1].start(), -item[1].end()),
    )
    found: list[PeriodMention] = []
    covered = 0
    for kind, match in matches:
        if match.start() < covered:
            continue  # inside a longer expression: 'năm 2022' in 'so với 6 tháng đầu năm 2022'
        if kind in ("months", "quarters") and match.start() and text[match.start() - 1] in "0123456789/.,":
            continue  # '12/6 tháng' or '1.6 tháng' is not a number of months
        covered = match.end()
        before = _SENTENCE_START.split(text[max(0, match.start() - 40):match.start()])[-1]
        if kind == "event_day" or _COMPARED.search(before):
            continue
        if not kind.startswith("cutoff") and _NOT_REPORTED.search(before):
            continue
        mention = _mention(kind, match, published)
        if mention is not None:
            found.append(mention)
    return found


def year_hint(mentions: list[PeriodMention]) -> int | None:
    """Return the year an undated article most likely reports on: the most frequent written year, latest on ties."""
    counts = Counter(mention.year for mention in mentions if mention.year)
    return max(counts, key=lambda year: (counts[year], year)) if counts else None


def _mention(kind: str, match: re.Match, published: date | None) -> PeriodMention | None:
    group = match.groupdict()
    year = int(group.get("y") or group.get("y2") or group.get("y3") or 0) or None
    start, end = match.start(), match.end()
    if kind == "cutoff_day":
        day, month = int(group["d"] or group["d2"]), int(group["m"] or group["m2"])
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
        return PeriodMention(start, end, "cutoff", "year" if (day, month) == (31, 12) else "ytd", month, day, year)
    if kind == "cutoff_month":
        month = int(group["m"])
        return PeriodMention(start, end, "cutoff", "ytd", month, None, year) if 1 <= month <= 12 else None
    if kind == "cutoff_quarter":
        return PeriodMention(start, end, "cutoff", "ytd", 3 * _quarter(group["q"]), None, year)
    if kind == "since_start":
        return PeriodMention(start, end, "since_start", "ytd")
    if kind in ("months", "quarters", "half"):
        months = 6 if kind == "half" else int(group["n"]) * (3 if kind == "quarters" else 1)
        if not 1 <= months <= 12:
            return None
        if group.get("late") and "cuối" in group["late"]:
            return _closing_months(start, end, months, year, published)
        return PeriodMention(start, end, "span", "year" if months == 12 else "ytd", months, None, year)
    if kind == "quarter":
        quarter = _quarter(group["q"])
        return PeriodMention(start, end, "span", "ytd" if quarter == 1 else "quarter", 3 * quarter, None, year)
    if kind == "year":
        return PeriodMention(start, end, "year", "year", 12, None, year)
    if kind == "this_year":
        last_year = "qua" in group["which"].lower() and published is not None and published.month <= 3
        return PeriodMention(start, end, "year", "year", 12, None, None, -1 if last_year else 0)
    if kind == "this_month":
        return PeriodMention(start, end, "month", "quarter" if group["unit"] == "quý" else "month")
    month = int(group["m"])
    return PeriodMention(start, end, "month", "month", month, None, year) if 1 <= month <= 12 else None


def _closing_months(start: int, end: int, months: int, year: int | None, published: date | None) -> PeriodMention | None:
    """'6 tháng cuối năm 2023' in a 2024 article is the second half's own value; in a 2023 one (or without its
    year) it is the work ahead."""
    if published is None or year is None or date(year, 12, 31) >= published:
        return None
    period = {3: "quarter", 6: "half_year"}.get(months, "other")
    return PeriodMention(start, end, "span", period, 12, None, year)


def _quarter(written: str) -> int:
    return _ROMAN.get(written.lower()) or int(written)


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _year_earlier(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))
