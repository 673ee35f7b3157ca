"""Parse reporting-period labels of department files: 'Tháng 1/2024', 'T1/2024', '01/2024', '2024-01'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sources.text import fold


class PeriodFormatError(ValueError):
    """Raised when a label is not a period we can read."""


@dataclass(frozen=True)
class Period:
    """A reporting month, with the flags a label can carry."""

    month_start: date
    is_preliminary: bool = False


_MONTH_YEAR = re.compile(r"(?:thang|t)?\s*0?(\d{1,2})\s*(?:/|-|\.|nam)\s*((?:19|20)\d\d)")
_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)\s*[-/.]\s*0?(\d{1,2})")
_PRELIMINARY = re.compile(r"^(so bo|uoc|uoc tinh|preliminary|prelim\.?)\s*:?\s*")


def parse_month(label: str) -> Period:
    """Read a month label: 'Tháng 1/2024' -> 2024-01-01; 'Sơ bộ tháng 10/2024' -> 2024-10-01, preliminary."""
    text = fold(label).strip()
    preliminary = _PRELIMINARY.match(text)
    if preliminary:
        text = text[preliminary.end():]
    month_year = _MONTH_YEAR.fullmatch(text)
    year_month = _YEAR_MONTH.fullmatch(text)
    if month_year:
        month, year = int(month_year.group(1)), int(month_year.group(2))
    elif year_month:
        year, month = int(year_month.group(1)), int(year_month.group(2))
    else:
        raise PeriodFormatError(f"'{label}' is not a month (expected e.g. 01/2024, Tháng 1/2024 or 2024-01)")
    if not 1 <= month <= 12:
        raise PeriodFormatError(f"'{label}': month {month} does not exist")
    return Period(date(year, month, 1), is_preliminary=preliminary is not None)
