"""Parse reporting-period labels of department files: 'Tháng 1/2024', 'T1/2024', '01/2024', 'Quý I/2024', '10 tháng 2024'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sources.text import fold


class PeriodFormatError(ValueError):
    """Raised when a label is not a period we can read."""


@dataclass(frozen=True)
class Period:
    """A reporting period: its first month, its length, and the flags a label can carry.

    A quarter is `months=3` starting at its first month. `is_cumulative` is True when the label says the
    figure runs from January ('Lũy kế', '10 tháng năm 2024'); then `month_start` is the cut-off month.
    None means the label does not say.
    """

    month_start: date
    is_preliminary: bool = False
    months: int = 1
    is_cumulative: bool | None = None

    @property
    def figure_month(self) -> date:
        """The month a figure of this period sits at: its last month ('Quý III/2024' -> 2024-09-01).

        A cumulative quarter is then the year to date at that month, and Q1 the year to date at March, as a
        news figure sits at the month of its cut-off.
        """
        month = self.month_start.month + self.months - 1
        return date(self.month_start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)

    @property
    def as_of(self) -> date:
        """The last day of the figure's month: the date its figure is as of."""
        start = self.figure_month
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)


_YEAR = r"((?:19|20)\d\d)"
_SEP = r"\s*(?:/|-|\.|\s|nam)\s*(?:nam\s*)?"
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Each body: (regex over a folded label, kind, group of the month/quarter number, group of the year).
_BODIES = (
    (re.compile(rf"(?:thang|t)?\s*0?(\d{{1,2}}){_SEP}{_YEAR}"), "month", 1, 2),
    (re.compile(rf"{_YEAR}\s*[-/.]\s*0?(\d{{1,2}})"), "month", 2, 1),
    (re.compile(rf"nam\s*{_YEAR}\s*(?:thang|t)\s*0?(\d{{1,2}})"), "month", 2, 1),
    (re.compile(rf"(?:quy|q)\s*(iv|iii|ii|i|[1-4]){_SEP}{_YEAR}"), "quarter", 1, 2),
    (re.compile(rf"nam\s*{_YEAR}\s*(?:quy|q)\s*(iv|iii|ii|i|[1-4])"), "quarter", 2, 1),
    # PX-Web (the statistics office's database) writes '2024M01' and '2024Q1'
    (re.compile(rf"{_YEAR}\s*m\s*0?(\d{{1,2}})"), "month", 2, 1),
    (re.compile(rf"{_YEAR}\s*q\s*([1-4])"), "quarter", 2, 1),
    (re.compile(rf"(\d{{1,2}})\s*thang(?:\s*dau)?(?:\s*nam)?(?:{_SEP}{_YEAR})?"), "months_to_date", 1, 2),
    (re.compile(r"(?:thang|t)\s*0?(\d{1,2})"), "month", 1, None),
    (re.compile(r"(?:quy|q)\s*(iv|iii|ii|i|[1-4])"), "quarter", 1, None),
)
_MARKERS = (
    (re.compile(r"so bo|uoc tinh|uoc thuc hien|uoc th|uoc|preliminary|prelim"), "preliminary"),
    (re.compile(r"luy ke|cong don|ytd|cumulative"), "cumulative"),
    (re.compile(r"thuc hien|th|so lieu"), None),
)
_PUNCTUATION = re.compile(r"[():;,*]+")
_YEAR_CONTEXT = re.compile(r"\s*\[((?:19|20)\d\d)\]\s*$")


def _strip_markers(text: str) -> tuple[str, set[str]]:
    """Remove leading and trailing period markers: 'so bo thang 10/2024' -> ('thang 10/2024', {'preliminary'})."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for pattern, flag in _MARKERS:
            head = re.match(rf"(?:{pattern.pattern})\b\s*", text)
            tail = re.search(rf"\s*\b(?:{pattern.pattern})$", text)
            for match in (head, tail):
                if match and match.group(0).strip():
                    text = text[: match.start()] + text[match.end():] if match is tail else text[match.end():]
                    found |= {flag} if flag else set()
                    changed = True
                    break
    return text.strip(), found


def parse_period(label: str, year: int | None = None) -> Period:
    """Read a period label: 'Quý I/2024' -> 2024-01 (3 months); 'Sơ bộ tháng 10/2024' -> 2024-10, preliminary.

    `year` completes labels that leave it to a title line: ('Lũy kế 10 tháng', 2024) -> 2024-10, cumulative;
    a header that took its year from elsewhere carries it in brackets: 'Sơ bộ tháng 3 [2024]'.
    """
    if context := _YEAR_CONTEXT.search(label):
        label, year = label[: context.start()], int(context.group(1))
    text, flags = _strip_markers(" ".join(_PUNCTUATION.sub(" ", fold(label)).split()))
    for pattern, kind, number_group, year_group in _BODIES:
        match = pattern.fullmatch(text)
        if not match:
            continue
        found_year = match.group(year_group) if year_group and match.group(year_group) else None
        if found_year is None and year is None:
            raise PeriodFormatError(f"'{label}' has no year (expected e.g. Tháng 1/2024 or Quý I/2024)")
        period_year = int(found_year) if found_year else year
        number = match.group(number_group)
        if kind == "quarter":
            return Period(date(period_year, 3 * _QUARTERS[number] - 2, 1), "preliminary" in flags, 3,
                          True if "cumulative" in flags else None)
        month = int(number)
        if not 1 <= month <= 12:
            raise PeriodFormatError(f"'{label}': month {month} does not exist")
        cumulative = True if kind == "months_to_date" or "cumulative" in flags else None
        return Period(date(period_year, month, 1), "preliminary" in flags, 1, cumulative)
    raise PeriodFormatError(
        f"'{label}' is not a period (expected e.g. 01/2024, Tháng 1/2024, Quý I/2024, 2024-01 or 2024M01)"
    )


def parse_month(label: str) -> Period:
    """Read a month label: 'Tháng 1/2024' -> 2024-01-01; 'Sơ bộ tháng 10/2024' -> 2024-10-01, preliminary."""
    try:
        period = parse_period(label)
    except PeriodFormatError as error:
        if "does not exist" in str(error):
            raise
        period = None
    if period is None or period.months != 1 or period.is_cumulative:
        raise PeriodFormatError(f"'{label}' is not a month (expected e.g. 01/2024, Tháng 1/2024 or 2024-01)")
    return period


_TITLE_PERIOD = re.compile(
    r"(?:(?:so bo|uoc tinh|uoc|luy ke)\s+)?(?:\d{1,2}\s*thang(?:\s*dau)?(?:\s*nam)?|thang\s*0?\d{1,2}|quy\s*(?:iv|iii|ii|i|[1-4]))"
    rf"{_SEP}{_YEAR}"
)


def find_period(text: str) -> Period | None:
    """Find the reporting period named in a title line: 'BÁO CÁO THU NGÂN SÁCH THÁNG 10/2024' -> 2024-10."""
    match = _TITLE_PERIOD.search(" ".join(_PUNCTUATION.sub(" ", fold(text)).split()))
    if match is None:
        return None
    try:
        return parse_period(match.group(0))
    except PeriodFormatError:
        return None
