#!/usr/bin/env python3
"""Write the district-kpi sample news site: our own Vietnamese articles about district People's Committee meetings.

One article per district (Thanh Xuân, Cầu Giấy, Long Biên) per month, January 2024 – February 2025, each about
the district's monthly meeting early in the following month. Every KPI figure is read from the sample department
files in ``samples/departments/`` and written in one of the genre's many ways; a few figures deliberately disagree
with the department files (see ``DISAGREEMENTS``). Around the figures sit distractors an extractor must not take as
the district's KPI: city totals, targets, per-capita income, areas, fractions, rates of rates, sector values,
figures of another year, reader comments and related-link headlines.

Outputs (under ``--out``, default: this folder):
  site/          the web root: articles, index.html, rss.xml, sitemap.xml, robots.txt, a few extra pages
  manifest.json  ground truth of what we wrote: every page, its expected facts and its non-facts

The feed, the sitemap and robots.txt hold the literal placeholder ``{{BASE_URL}}`` (see README.md).
Stdlib only, deterministic: every random choice comes from a ``random.Random`` seeded with a fixed string, so
re-running the script produces byte-identical output.

    python samples/news_site/generate.py [--out DIR] [--departments DIR]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import html
import io
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
DEFAULT_DEPARTMENTS = HERE.parent / "departments"
SEED = "district-kpi sample news site, v1"
BASE_URL = "{{BASE_URL}}"
SITE_NAME = "Bản tin Quận - Huyện"
TZ = timezone(timedelta(hours=7))

TY = 10**9
TRIEU = 10**6
NGHIN_TY = 10**12

MONTHS = [(2024, month) for month in range(1, 13)] + [(2025, 1), (2025, 2)]
MONEY_METRICS = ("budget_revenue", "budget_expenditure", "public_investment_disbursement")
COUNT_METRICS = ("construction_permits", "urban_violations")


# ---------------------------------------------------------------------------------------------------------------
# Districts (people and places below are invented for the sample; only the district and ward names are real)
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class District:
    """What the articles need to know about a district besides its figures."""

    name: str
    slug: str
    chair: str
    vice_chair: str
    wards: tuple[str, ...]
    violations_word: str  # the department's wording: 'trật tự xây dựng' or 'trật tự đô thị'
    violations_abbr: str  # TTXD | TTĐT
    precision: int  # the department file's precision, in đồng
    per_capita: dict[int, int]  # invented income per head, triệu đồng/người/năm
    industry_year: int  # invented yearly industrial production value of the non-state sector, tỷ đồng
    adjusted_plan_factor: Decimal  # invented: the spending estimate after the mid-year adjustment / initial one
    revenue_growth: Decimal  # invented: 2024 revenue over 2023 revenue, used to invent the 2023 series
    spending_growth: Decimal
    disbursement_growth: Decimal


DISTRICTS: dict[str, District] = {
    "Thanh Xuân": District(
        name="Thanh Xuân", slug="thanh-xuan", chair="Đỗ Minh Khang", vice_chair="Phạm Thị Lan Hương",
        wards=("Khương Trung", "Nhân Chính", "Thượng Đình", "Hạ Đình", "Kim Giang", "Phương Liệt",
               "Thanh Xuân Bắc", "Thanh Xuân Nam", "Thanh Xuân Trung", "Khương Mai", "Khương Đình"),
        violations_word="trật tự xây dựng", violations_abbr="TTXD", precision=10**8,
        per_capita={2024: 96, 2025: 104}, industry_year=2_640, adjusted_plan_factor=Decimal("1.12"),
        revenue_growth=Decimal("1.16"), spending_growth=Decimal("1.09"), disbursement_growth=Decimal("1.21"),
    ),
    "Cầu Giấy": District(
        name="Cầu Giấy", slug="cau-giay", chair="Trịnh Quốc Bảo", vice_chair="Lê Thanh Tùng",
        wards=("Dịch Vọng", "Dịch Vọng Hậu", "Mai Dịch", "Nghĩa Đô", "Nghĩa Tân", "Quan Hoa", "Trung Hòa", "Yên Hòa"),
        violations_word="trật tự xây dựng", violations_abbr="TTXD", precision=TRIEU,
        per_capita={2024: 121, 2025: 130}, industry_year=3_180, adjusted_plan_factor=Decimal("1.07"),
        revenue_growth=Decimal("1.11"), spending_growth=Decimal("1.06"), disbursement_growth=Decimal("0.94"),
    ),
    "Long Biên": District(
        name="Long Biên", slug="long-bien", chair="Hoàng Đức Thịnh", vice_chair="Ngô Thu Trang",
        wards=("Bồ Đề", "Cự Khối", "Đức Giang", "Gia Thụy", "Giang Biên", "Ngọc Lâm", "Ngọc Thụy",
               "Phúc Đồng", "Phúc Lợi", "Sài Đồng", "Thạch Bàn", "Thượng Thanh", "Việt Hưng", "Long Biên"),
        violations_word="trật tự đô thị", violations_abbr="TTĐT", precision=10**8,
        per_capita={2024: 88, 2025: 95}, industry_year=4_310, adjusted_plan_factor=Decimal("1.10"),
        revenue_growth=Decimal("1.13"), spending_growth=Decimal("1.08"), disbursement_growth=Decimal("1.17"),
    ),
}

AUTHORS = ("Minh Châu", "Hà Phương", "Quang Huy", "Thu Trang", "Đức Anh", "Khánh Linh", "Ngọc Mai", "Tuấn Kiệt")

# Invented city figures for the distractors: Hà Nội's budget revenue estimate per year, in tỷ đồng.
CITY_REVENUE_PLAN = {2024: 391_200, 2025: 512_400}

# No meeting or publication on the Tết Giáp Thìn holiday (8-14 February 2024).
HOLIDAYS = {date(2024, 2, day) for day in range(8, 15)}


# ---------------------------------------------------------------------------------------------------------------
# Special pages, deliberate disagreements and features placed by hand (so that each one is certain to appear)
# ---------------------------------------------------------------------------------------------------------------

SPECIAL_KIND = {
    ("Long Biên", 2024, 4): "cp1258",      # Windows-1258 with combining tone marks
    ("Thanh Xuân", 2024, 7): "malformed",  # unclosed tags, still readable
    ("Cầu Giấy", 2024, 5): "injection",    # a literal <script> in the title and the text
}
OUTLET_LAYOUT = {("Thanh Xuân", 2024, 10): 684_217}  # an outlet's layout: /tin-tuc/<slug>-<id>.html

# Counts written from the start of the year ('lũy kế') instead of, or beside, the month's own count.
CUMULATIVE_COUNTS = {
    ("Cầu Giấy", 2024, 9): "both_ytd",
    ("Long Biên", 2024, 6): "permits_month_and_ytd",
    ("Thanh Xuân", 2024, 11): "violations_month_and_ytd",
    ("Long Biên", 2025, 2): "both_ytd",
}
# Revenue written as the month's own value and the cumulative one in one sentence.
MONTH_AND_YTD_REVENUE = {("Cầu Giấy", 2024, 10), ("Long Biên", 2024, 8), ("Thanh Xuân", 2024, 5)}


@dataclass(frozen=True)
class Disagreement:
    """A figure the article writes differently from the department file, on purpose."""

    kind: str  # preliminary_estimate | typo | rounding_beyond_tolerance | different_count
    text: str  # the figure as the article writes it
    value: int  # its value in base units
    resolution: int
    qualifier: str | None
    pct_basis: str  # 'news': ratios computed from the news figure; 'department': from the department figure
    note: str


DISAGREEMENTS: dict[tuple[str, int, int, str], Disagreement] = {
    ("Thanh Xuân", 2024, 3, "budget_revenue"): Disagreement(
        "preliminary_estimate", "1.890 tỷ đồng", 1_890 * TY, TY, "estimate", "news",
        "The article reports the office's early estimate for the quarter; the department file holds the final "
        "1.876,7 tỷ đồng. The % of plan and of the same period are computed from the estimate.",
    ),
    ("Cầu Giấy", 2024, 7, "budget_expenditure"): Disagreement(
        "typo", "1.094 tỷ 694 triệu đồng", 1_094_694 * TRIEU, TRIEU, None, "department",
        "Transposed digits (1.049 → 1.094); the % of plan next to it is computed from the department figure, "
        "so the sentence contradicts itself.",
    ),
    ("Long Biên", 2024, 9, "public_investment_disbursement"): Disagreement(
        "typo", "hơn 1.421 tỷ đồng", 1_421 * TY, TY, "more_than", "department",
        "Swapped digits (1.412,8 → 1.421); the % of plan is computed from the department figure.",
    ),
    ("Long Biên", 2024, 11, "urban_violations"): Disagreement(
        "different_count", "57", 57, 1, None, "department",
        "The news count includes cases carried over from October; the department file counts 51.",
    ),
    ("Cầu Giấy", 2024, 12, "budget_revenue"): Disagreement(
        "rounding_beyond_tolerance", "hơn 10,1 nghìn tỷ đồng", 10_100 * TY, 100 * TY, "more_than", "department",
        "Rounded up and written with 'hơn': the year's 10.058.630 triệu đồng is less than 10,1 nghìn tỷ.",
    ),
}


# ---------------------------------------------------------------------------------------------------------------
# Department files (stdlib reader; quarantine-worthy rows are skipped, as the warehouse contract would)
# ---------------------------------------------------------------------------------------------------------------

COLUMN_ROLES = {
    "quận/huyện": "district", "district": "district",
    "chỉ tiêu": "metric", "metric": "metric",
    "tháng": "period", "kỳ báo cáo": "period", "period": "period",
    "giá trị": "value", "value": "value",
    "đơn vị tính": "unit", "đvt": "unit", "unit": "unit",
    "kế hoạch năm": "plan", "annual_plan": "plan",
}
DISTRICT_NAMES = {"thanh xuân": "Thanh Xuân", "q. thanh xuân": "Thanh Xuân", "cau giay": "Cầu Giấy",
                  "cầu giấy": "Cầu Giấy", "long biên": "Long Biên"}
METRIC_NAMES = {
    "thu ngân sách nhà nước trên địa bàn": "budget_revenue", "budget_revenue": "budget_revenue",
    "chi ngân sách địa phương": "budget_expenditure", "budget_expenditure": "budget_expenditure",
    "giải ngân vốn đầu tư công": "public_investment_disbursement",
    "public_investment_disbursement": "public_investment_disbursement",
    "cấp giấy phép xây dựng": "construction_permits", "giấy phép xây dựng": "construction_permits",
    "construction_permits": "construction_permits",
    "xử lý vi phạm trật tự xây dựng": "urban_violations", "vi phạm trật tự đô thị": "urban_violations",
    "urban_violations": "urban_violations",
}
UNIT_FACTORS = {"tỷ đồng": TY, "triệu đồng": TRIEU, "giấy phép": 1, "trường hợp": 1}
_VN_NUMBER = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def parse_vn_number(text: str) -> Decimal | None:
    """Read a Vietnamese-format number: '1.204,5' -> 1204.5; anything else (``..``, ``12.45,6``) -> None."""
    text = text.strip()
    if not _VN_NUMBER.match(text):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def parse_period(text: str) -> tuple[int, int] | None:
    """Read '01/2024', '1/2024', 'Tháng 1/2024' or '2024-01' as (year, month); None when not a real month."""
    text = text.strip().lower().removeprefix("tháng").strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{4})", text) or re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match:
        return None
    first, second = (int(part) for part in match.groups())
    year, month = (second, first) if "/" in text else (first, second)
    return (year, month) if 1 <= month <= 12 else None


# The department files the articles report on (the other samples show other layouts, not other figures).
SOURCE_FILES = (
    "cau_giay_bao_cao_thang_2024-2025.csv",
    "long_bien_tong_hop_2024-2025.tsv",
    "thanh_xuan_quan_ly_do_thi_2024-2025.csv",
    "thanh_xuan_tai_chinh_2024-2025.csv",
)


class Figures:
    """The department figures in base units: whole đồng (year-to-date) and monthly counts, with annual plans."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str, int, int], int] = {}
        self.plans: dict[tuple[str, str, int], int] = {}

    @classmethod
    def read(cls, folder: Path) -> Figures:
        """Read the long-layout department files the articles report on; rows the warehouse would quarantine are skipped."""
        figures = cls()
        for name in SOURCE_FILES:
            figures._read_file((folder / name).read_bytes().decode("utf-8-sig"))
        return figures

    def _read_file(self, text: str) -> None:
        header = text.splitlines()[0]
        delimiter = max(";\t,", key=header.count)
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        roles = {COLUMN_ROLES[label.strip().lower()]: index for index, label in enumerate(next(rows))
                 if label.strip().lower() in COLUMN_ROLES}
        for row in rows:
            cell = {role: row[index].strip() for role, index in roles.items() if index < len(row)}
            district = DISTRICT_NAMES.get(cell["district"].lower())
            metric = METRIC_NAMES.get(cell["metric"].lower())
            period = parse_period(cell["period"])
            number = parse_vn_number(cell["value"])
            factor = UNIT_FACTORS.get(cell.get("unit", "").lower())
            if None in (district, metric, period, number, factor) or number < 0:
                continue  # unknown district or metric, no such month, '..', unreadable or negative: quarantined
            key = (district, metric, *period)
            value = int(number * factor)
            if self.values.get(key, value) != value:
                raise ValueError(f"two different figures for {key}")
            self.values[key] = value
            plan = parse_vn_number(cell.get("plan", ""))
            if plan is not None:
                self.plans[(district, metric, period[0])] = int(plan * factor)

    def value(self, district: str, metric: str, year: int, month: int) -> int | None:
        """The figure as filed: year-to-date for money, the month's own count for counts."""
        return self.values.get((district, metric, year, month))

    def plan(self, district: str, metric: str, year: int) -> int:
        """The annual plan (dự toán, kế hoạch vốn) in đồng."""
        return self.plans[(district, metric, year)]

    def month_amount(self, district: str, metric: str, year: int, month: int) -> int:
        """The month's own amount of a year-to-date series: the difference of two cumulative figures."""
        current = self.values[(district, metric, year, month)]
        return current - self.values[(district, metric, year, month - 1)] if month > 1 else current

    def ytd_count(self, district: str, metric: str, year: int, month: int) -> int | None:
        """The count from January to ``month``; None when a month is missing."""
        counts = [self.value(district, metric, year, m) for m in range(1, month + 1)]
        return None if None in counts else sum(counts)


# ---------------------------------------------------------------------------------------------------------------
# Invented context: the 2023 series behind 'bằng X% so với cùng kỳ' in 2024 articles, adjusted plans, city totals
# ---------------------------------------------------------------------------------------------------------------

def invent_prior_year(figures: Figures) -> dict[tuple[str, str, int], int]:
    """Invent each district's 2023 year-to-date series so that 2024 articles can compare with 'cùng kỳ'.

    Each 2023 month is the 2024 month's own amount divided by the district's growth factor (with a little
    seeded noise), rounded to the department file's precision, then accumulated: the invented series is a
    proper cumulative series, so every ratio written in 2024 articles is consistent with every other.
    """
    rng = random.Random(f"{SEED}|prior-year")
    prior: dict[tuple[str, str, int], int] = {}
    for name, district in DISTRICTS.items():
        growth = {"budget_revenue": district.revenue_growth, "budget_expenditure": district.spending_growth,
                  "public_investment_disbursement": district.disbursement_growth}
        for metric in MONEY_METRICS:
            total = 0
            for month in range(1, 13):
                noise = Decimal(rng.randint(-40, 40)) / 1000
                amount = Decimal(figures.month_amount(name, metric, 2024, month)) / (growth[metric] + noise)
                total += int((amount / district.precision).quantize(Decimal(1), ROUND_HALF_UP)) * district.precision
                prior[(name, metric, month)] = total
    return prior


def same_period_base(figures: Figures, prior: dict, district: str, metric: str, year: int, month: int) -> int:
    """The same period of the previous year: invented for 2024, the department's 2024 figure for 2025."""
    if year == 2024:
        return prior[(district, metric, month)]
    return figures.value(district, metric, year - 1, month)


def city_revenue(figures: Figures, year: int, month: int) -> tuple[Decimal, Decimal]:
    """Invented Hà Nội budget revenue to date (nghìn tỷ đồng, 1 decimal) and its % of the city's estimate."""
    shares = [Decimal(figures.value(name, "budget_revenue", year, month))
              / figures.plan(name, "budget_revenue", year) for name in DISTRICTS]
    share = sum(shares) / len(shares) * Decimal("0.97")
    amount = (CITY_REVENUE_PLAN[year] * share / 1000).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return amount, ratio(amount * NGHIN_TY, CITY_REVENUE_PLAN[year] * TY, places=1)


# ---------------------------------------------------------------------------------------------------------------
# Writing numbers the Vietnamese way
# ---------------------------------------------------------------------------------------------------------------

def group(number: int) -> str:
    """Group thousands with dots: 1151248 -> '1.151.248'."""
    return f"{number:,}".replace(",", ".")


def vn_decimal(number: Decimal, places: int) -> str:
    """Write a number with ``places`` decimals and a decimal comma: 1204.5 -> '1.204,5'."""
    quantized = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    whole, _, fraction = f"{abs(quantized):f}".partition(".")
    return sign + group(int(whole)) + ("," + fraction if fraction else "")


def vn_short(number: Decimal) -> str:
    """Write a one-decimal figure without a useless ',0': 332.0 -> '332', 84.5 -> '84,5'."""
    return vn_decimal(number, 0 if number % 1 == 0 else 1)


def ratio(value: int | Decimal, base: int | Decimal, places: int = 2) -> Decimal:
    """``value / base * 100`` rounded half-up to ``places`` decimals."""
    return (Decimal(value) * 100 / Decimal(base)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def pct_text(pct: Decimal) -> str:
    """Write a percentage without trailing zeros: 84.70 -> '84,7'; 100.00 -> '100'."""
    text = f"{pct:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def decimals_of(value: int, unit: int) -> int:
    """How many decimals ``value`` needs when written in ``unit``: 1_204_500_000_000 in tỷ -> 1."""
    places = 0
    while value % unit and places < 6:
        unit //= 10
        places += 1
    return places


@dataclass(frozen=True)
class Written:
    """A figure as an article writes it, and what that writing means."""

    text: str  # 'hơn 5.606 tỷ đồng'
    value: int  # the written figure in base units
    resolution: int  # base units per step of the last written digit
    qualifier: str | None  # more_than | about | estimate | None


def amount_forms(value: int, rng: random.Random, *, qualified: bool = True) -> list[Written]:
    """Every way the genre would write ``value`` đồng that is true within its written precision.

    Exact forms ('1.204,5 tỷ đồng', '1.204 tỷ 500 triệu đồng', '1.204.500 triệu đồng'), rounded ones
    ('8.281,6 tỷ'), and with ``qualified`` the truncated 'hơn'/'trên' and rounded 'khoảng'/'xấp xỉ'/'gần'
    forms, in tỷ or nghìn tỷ. Spelling varies: 'tỷ' or 'tỉ', with or without 'đồng'.
    """
    ty = rng.choice(("tỷ", "tỷ", "tỷ", "tỷ", "tỉ"))
    dong = rng.choice((" đồng", " đồng", " đồng", " đồng", ""))
    in_ty = Decimal(value) / TY
    places = decimals_of(value, TY)
    forms = [Written(f"{vn_decimal(in_ty, places)} {ty}{dong}", value, 10 ** (9 - places), None)]
    rounded = in_ty.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if places > 1 and rounded % 1:
        forms.append(Written(f"{vn_decimal(rounded, 1)} {ty}{dong}", int(rounded * TY), 10**8, None))
    if value % TY and value % TRIEU == 0:
        millions = (value % TY) // TRIEU
        unit = rng.choice(("triệu đồng", "triệu đồng", "triệu", "trđ"))
        forms.append(Written(f"{group(value // TY)} {ty} {millions:03d} {unit}", value, TRIEU, None))
    if value % TRIEU == 0:
        forms.append(Written(f"{group(value // TRIEU)} triệu{dong}", value, TRIEU, None))
    if not qualified:
        return forms
    if value % TY:
        floor = value // TY
        forms.append(Written(f"{rng.choice(('hơn', 'hơn', 'trên'))} {group(floor)} {ty}{dong}", floor * TY, TY, "more_than"))
        nearest = int(in_ty.quantize(Decimal(1), ROUND_HALF_UP))
        word = "gần" if nearest * TY > value else rng.choice(("khoảng", "xấp xỉ"))
        forms.append(Written(f"{word} {group(nearest)} {ty}{dong}", nearest * TY, TY, "about"))
    floor = in_ty.quantize(Decimal("0.1"), ROUND_FLOOR)
    if places > 1 and floor % 1:
        forms.append(Written(f"hơn {vn_decimal(floor, 1)} {ty}{dong}", int(floor * TY), 10**8, "more_than"))
    if value >= NGHIN_TY:
        in_nghin = Decimal(value) / NGHIN_TY
        floor = in_nghin.quantize(Decimal("0.1"), ROUND_FLOOR)
        step = 100 * TY if floor % 1 else NGHIN_TY  # 'hơn 7 nghìn tỷ', not 'hơn 7,0 nghìn tỷ'
        if value % (100 * TY):
            forms.append(Written(f"hơn {vn_short(floor)} nghìn {ty}{dong}", int(floor * NGHIN_TY), step, "more_than"))
        nearest = in_nghin.quantize(Decimal("0.1"), ROUND_HALF_UP)
        step = 100 * TY if nearest % 1 else NGHIN_TY
        if nearest * NGHIN_TY != value:
            word = "gần" if nearest * NGHIN_TY > value else rng.choice(("khoảng", "xấp xỉ"))
            forms.append(Written(f"{word} {vn_short(nearest)} nghìn {ty}{dong}", int(nearest * NGHIN_TY), step, "about"))
    return forms


def count_text(count: int, rng: random.Random) -> str:
    """Write a count, now and then with the genre's leading zero: 9 -> '09'."""
    return f"0{count}" if count < 10 and rng.random() < 0.3 else group(count)


# ---------------------------------------------------------------------------------------------------------------
# Cut-off dates and periods
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cutoff:
    """How an article names the period of a cumulative figure."""

    text: str  # 'đến ngày 31-10-2024', '10 tháng năm 2024'
    as_of: date
    period: str  # ytd | year | month
    kind: str  # date ('đến ngày …') | span ('10 tháng …')


def cutoff_forms(year: int, month: int, published: date) -> list[Cutoff]:
    """Every way to name 'from January to the end of ``month``'; forms without a year only when the
    publication year supplies it."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    same_year = published.year == year
    forms = [
        Cutoff(f"đến ngày {last.day}-{month}-{year}", last, "ytd", "date"),
        Cutoff(f"tính đến ngày {last.day:02d}/{month:02d}/{year}", last, "ytd", "date"),
        Cutoff(f"đến hết tháng {month}-{year}", last, "ytd", "date"),
        Cutoff(f"đến hết tháng {month}/{year}", last, "ytd", "date"),
    ]
    if same_year:
        forms.append(Cutoff(f"tính đến {last.day}/{month}", last, "ytd", "date"))
    if 2 <= month <= 11:
        forms += [Cutoff(f"{month} tháng năm {year}", last, "ytd", "span"),
                  Cutoff(f"{month} tháng đầu năm {year}", last, "ytd", "span"),
                  Cutoff(f"lũy kế {month} tháng", last, "ytd", "span")]
        if same_year:
            forms.append(Cutoff(f"{month} tháng đầu năm", last, "ytd", "span"))
    if month == 3:
        forms += [Cutoff(f"quý I/{year}", last, "ytd", "span"), Cutoff(f"quý I năm {year}", last, "ytd", "span")]
    if month == 12:
        forms += [Cutoff(f"năm {year}", last, "year", "span"), Cutoff(f"cả năm {year}", last, "year", "span")]
    if month == 1:
        forms += [Cutoff(f"tháng 1-{year}", last, "month", "span"), Cutoff(f"tháng 01/{year}", last, "month", "span")]
    return forms


def title_span(year: int, month: int) -> str:
    """The period as a headline names it: 'quý I', '6 tháng', '10 tháng', 'năm 2024'."""
    return {1: "tháng 1", 3: "quý I", 6: "6 tháng", 12: f"năm {year}"}.get(month, f"{month} tháng")


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def cap(text: str) -> str:
    """Capitalise the first letter only: 'đến ngày …' -> 'Đến ngày …'."""
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------------------------------
# Sentence templates (data). Placeholders: {D} district, {cut}/{Cut} cut-off, {amt} amount, {pct} % of plan,
# {sp} % of the same period, {tail} optional clauses, {rm}/{ry} report month/year, {mm}/{my} meeting month/year.
# 'est' templates say 'ước' themselves, so the amount is written without another qualifier.
# 'cut' names the cut-off kinds a template reads well with.
# ---------------------------------------------------------------------------------------------------------------

LEADS = [
    "{Buoi} {md}-{mm}, {role} {chair} chủ trì phiên họp thường kỳ của UBND quận {D} tháng {mm}-{my}, đánh giá "
    "kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội tháng {rm} và bàn giải pháp cho nhiệm vụ trọng tâm tháng {mm}.",
    "Ngày {md}/{mm}, UBND quận {D} tổ chức phiên họp định kỳ tháng {mm}/{my} dưới sự chủ trì của {role} {chair}. "
    "Tham dự có các đồng chí Phó Chủ tịch UBND quận, lãnh đạo các phòng, ban, đơn vị và Chủ tịch UBND các phường.",
    "Tại phiên họp UBND quận {D} tháng {mm}-{my} diễn ra {buoi} {md}-{mm}, các đại biểu đã nghe báo cáo tình hình "
    "kinh tế - xã hội, quốc phòng - an ninh tháng {rm} và thảo luận giải pháp thực hiện nhiệm vụ những tháng tiếp theo.",
    "{Buoi} {md}-{mm}, UBND quận {D} họp phiên thường kỳ tháng {mm} do {role} {chair} chủ trì. Phiên họp tập trung "
    "đánh giá kết quả tháng {rm}/{ry}, chỉ rõ những tồn tại, hạn chế và đề ra giải pháp cho thời gian tới.",
    "UBND quận {D} vừa tổ chức phiên họp thường kỳ tháng {mm}-{my} nhằm đánh giá tình hình thực hiện nhiệm vụ "
    "tháng {rm} và triển khai nhiệm vụ tháng {mm}. Chủ trì phiên họp là {role} {chair}.",
]
LEADS_SAME_DAY = [
    "{Buoi} nay ({md}-{mm}), tập thể UBND quận {D} họp phiên thường kỳ để kiểm điểm công tác tháng {rm} và thống "
    "nhất các nhiệm vụ trọng tâm tháng {mm}-{my}. {Role} {chair} chủ trì phiên họp.",
]
LEADS_YEAR_END = [
    "{Buoi} {md}-{mm}, {role} {chair} chủ trì phiên họp UBND quận {D} tháng {mm}-{my}, tổng kết công tác năm {ry} "
    "và triển khai nhiệm vụ, giải pháp trọng tâm năm {my}.",
]

REVENUE_SUBJECTS = ["thu ngân sách nhà nước trên địa bàn quận", "thu NSNN trên địa bàn", "tổng thu ngân sách nhà nước "
                    "trên địa bàn", "thu ngân sách của quận", "thu ngân sách trên địa bàn quận"]

REVENUE = [
    {"text": "{Cut}, {subj} đạt {amt}, đạt {pct}% dự toán thành phố giao{tail}.", "est": False},
    {"text": "{Subj} {cut} ước đạt {amt}, bằng {pct}% so với dự toán năm{tail}.", "est": True},
    {"text": "Về thu ngân sách, {cut} quận thu được {amt}, đạt {pct}% dự toán HĐND quận giao{tail}.", "est": False},
    {"text": "{Cut}, tổng thu NSNN trên địa bàn quận là {amt}, đạt {pct}% dự toán{tail}.", "est": False},
    {"text": "Theo báo cáo của Phòng Tài chính - Kế hoạch, {subj} {cut} thực hiện {amt}, tương đương {pct}% dự toán "
             "được giao{tail}.", "est": False},
    {"text": "{Subj} {cut} đạt {amt}, bằng {sp}% so với cùng kỳ, đạt {pct}% dự toán{tail}.", "est": False, "sp": True},
    {"text": "Công tác thu ngân sách tiếp tục được chỉ đạo quyết liệt; {cut}, {subj} ước thực hiện {amt}, đạt {pct}% "
             "kế hoạch năm{tail}.", "est": True},
    {"text": "Báo cáo cho thấy, {cut}, quận thu được {amt} (đạt {pct}% dự toán{tail}).", "est": False},
]
REVENUE_MONTH_AND_YTD = ("Riêng tháng {rm}, {subj} đạt {mamt}; lũy kế {rm} tháng đạt {amt}, bằng {pct}% dự "
                         "toán{tail}.")

EXPENDITURE = [
    {"text": "Chi ngân sách địa phương {cut} đạt {amt}, đạt {pct}% dự toán{tail}.", "est": False},
    {"text": "Công tác chi ngân sách bảo đảm đúng quy định, chặt chẽ, tiết kiệm; {cut}, tổng chi ngân sách quận thực "
             "hiện {amt}, bằng {pct}% dự toán{tail}.", "est": False},
    {"text": "Về chi ngân sách, {cut} quận đã chi {amt}, đạt {pct}% dự toán HĐND quận giao đầu năm{tail}.", "est": False},
    {"text": "Tổng chi ngân sách địa phương {cut} ước thực hiện {amt}, đạt {pct}% dự toán{tail}.", "est": True},
    {"text": "{Cut}, chi ngân sách quận ước đạt {amt}, bằng {pct}% so với dự toán{tail}, đáp ứng kịp thời các nhiệm "
             "vụ chính trị của địa phương.", "est": True},
    {"text": "Việc điều hành chi ngân sách được thực hiện chủ động, tiết kiệm: {cut}, tổng chi đạt {amt}, đạt {pct}% "
             "dự toán{tail}.", "est": False},
]

DISBURSEMENT = [
    {"text": "Công tác giải ngân vốn đầu tư công được đẩy nhanh; {cut}, quận đã giải ngân {amt}, đạt {pct}% kế hoạch "
             "vốn{tail}.", "est": False},
    {"text": "{Cut}, giá trị giải ngân vốn đầu tư xây dựng cơ bản đạt {amt}, bằng {pct}% kế hoạch{tail}.", "est": False},
    {"text": "Giải ngân vốn đầu tư công {cut} ước đạt {amt}, đạt {pct}% KH vốn năm {ry}{tail}.", "est": True},
    {"text": "Về đầu tư công, {cut} quận giải ngân được {amt}, đạt {pct}% kế hoạch vốn được giao{tail}.", "est": False},
    {"text": "Quận đã giải ngân {amt} vốn đầu tư công {cut}, đạt {pct}% kế hoạch{tail}; nhiều dự án trọng điểm bám sát "
             "tiến độ.", "est": False, "cut": "date"},
    {"text": "Tiến độ giải ngân tiếp tục được cải thiện: {cut}, tổng giá trị giải ngân đạt {amt}, tương đương {pct}% "
             "kế hoạch vốn{tail}.", "est": False},
]

# Urban order. {n} permits, {v} violations (the month's own), {N}/{V} from January; {vw}/{va} the district's
# wording and abbreviation for the violations ('trật tự xây dựng', TTXD).
URBAN_BOTH = [
    "Công tác quản lý trật tự xây dựng được duy trì thường xuyên; trong tháng {rm}, quận đã cấp {n} giấy phép xây "
    "dựng, kiểm tra và xử lý {v} trường hợp vi phạm {vw}.",
    "Trong tháng, UBND quận cấp {n} GPXD; lực lượng chức năng kiểm tra, xử lý {v} trường hợp vi phạm {va}.",
    "Tháng {rm}/{ry}, quận tiếp nhận, thẩm định và cấp {n} giấy phép xây dựng cho hộ gia đình, cá nhân; đồng thời "
    "xử lý {v} vụ vi phạm {vw}.",
    "Về quản lý đô thị, trong tháng {rm} quận đã cấp {n} GPXD và xử lý {v} trường hợp vi phạm {va}, chủ yếu là lấn "
    "chiếm vỉa hè, lòng đường và xây dựng sai nội dung giấy phép.",
]
URBAN_PERMITS = [
    "Trong tháng {rm}, Phòng Quản lý đô thị quận đã tham mưu cấp {n} giấy phép xây dựng, bảo đảm đúng thời hạn.",
    "Quận cấp {n} GPXD trong tháng {rm}, không có hồ sơ quá hạn.",
]
URBAN_VIOLATIONS = [
    "Đội Quản lý trật tự xây dựng đô thị phối hợp với UBND các phường kiểm tra, lập biên bản và xử lý {v} trường hợp "
    "vi phạm {vw} trong tháng {rm}.",
    "Cũng trong tháng, quận phát hiện và xử lý {v} công trình vi phạm {va}, không để vi phạm kéo dài.",
]
URBAN_BOTH_YTD = [
    "Lũy kế từ đầu năm đến hết tháng {rm}, quận đã cấp {N} giấy phép xây dựng và xử lý {V} trường hợp vi phạm {vw}.",
    "Tính từ đầu năm {ry} đến ngày {last}-{rm}, toàn quận cấp {N} GPXD, kiểm tra và xử lý {V} vụ vi phạm {va}.",
]
URBAN_PERMITS_MONTH_AND_YTD = ("Riêng trong tháng {rm}, quận cấp {n} GPXD, nâng tổng số giấy phép xây dựng được cấp "
                               "từ đầu năm lên {N} giấy phép.")
URBAN_VIOLATIONS_MONTH_AND_YTD = ("Trong tháng, lực lượng chức năng xử lý {v} trường hợp vi phạm {vw}; lũy kế {rm} "
                                  "tháng xử lý {V} trường hợp.")
URBAN_VIOLATIONS_ALONE = [
    "Trong tháng {rm}, quận kiểm tra, xử lý {v} trường hợp vi phạm {vw}, tập trung vào các công trình xây dựng sai phép.",
    "Lực lượng chức năng của quận đã xử lý {v} trường hợp vi phạm {va} trong tháng {rm}/{ry}.",
]
URBAN_NO_PERMIT_FIGURE = "Số liệu cấp giấy phép xây dựng tháng {rm} đang được Phòng Quản lý đô thị tổng hợp."

SECTION_INTROS = {
    "budget": [
        "Theo báo cáo tại phiên họp, tình hình kinh tế trên địa bàn quận tiếp tục ổn định, hoạt động thương mại - "
        "dịch vụ duy trì đà phục hồi.",
        "Lĩnh vực tài chính - ngân sách ghi nhận nhiều kết quả tích cực.",
        "Công tác thu, chi ngân sách được các phòng, ban bám sát dự toán ngay từ đầu năm.",
        "Báo cáo của UBND quận cho biết, các nguồn thu lớn trên địa bàn tiếp tục được khai thác hiệu quả.",
    ],
    "investment": [
        "Quận đã tổ chức giao ban định kỳ với các chủ đầu tư, tháo gỡ vướng mắc về giải phóng mặt bằng và thủ tục đầu tư.",
        "Một số dự án chuyển tiếp đã hoàn thành, sớm được đưa vào sử dụng và phát huy hiệu quả.",
        "Các tổ công tác đặc biệt của quận thường xuyên kiểm tra hiện trường, đôn đốc nhà thầu tăng ca, tăng kíp.",
    ],
    "urban": [
        "Công tác duy tu, duy trì hạ tầng kỹ thuật và vệ sinh môi trường được thực hiện thường xuyên.",
        "Quận tiếp tục ra quân lập lại trật tự vỉa hè, lòng đường trên các tuyến phố chính.",
        "Việc chỉnh trang đô thị, cải tạo các tuyến phố, ngõ xóm được triển khai theo kế hoạch.",
    ],
}

HEADINGS = {
    "budget": ["Thu ngân sách đạt khá", "Thu, chi ngân sách bám sát dự toán", "Tài chính - ngân sách ổn định",
               "Chủ động nguồn thu, chi tiết kiệm"],
    "investment": ["Đẩy nhanh giải ngân vốn đầu tư công", "Tăng tốc các dự án đầu tư công",
                   "Giải ngân đầu tư công chuyển biến tích cực"],
    "urban": ["Siết chặt trật tự xây dựng", "Quản lý đô thị có chuyển biến", "Kiên quyết xử lý vi phạm trật tự đô thị"],
    "social": ["Bảo đảm an sinh xã hội", "Văn hóa - xã hội nhiều điểm sáng", "Chăm lo đời sống Nhân dân"],
    "closing": ["Không chủ quan, lơ là", "Tập trung cao cho nhiệm vụ trọng tâm", "Quyết liệt ngay từ đầu tháng"],
}

# Social affairs: (months of the report it suits, sentence). No figures here; the distractors add their own.
SOCIAL = [
    (range(1, 13), "Lĩnh vực văn hóa - xã hội tiếp tục có chuyển biến; công tác chăm lo cho người có công, hộ nghèo, "
                   "hộ cận nghèo được thực hiện kịp thời, đúng đối tượng."),
    (range(1, 13), "Ngành giáo dục quận duy trì chất lượng dạy và học; công tác y tế, phòng chống dịch bệnh được triển "
                   "khai chủ động."),
    (range(1, 13), "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn được giữ vững."),
    (range(1, 13), "Công tác cải cách hành chính, chuyển đổi số được đẩy mạnh, người dân ngày càng quen với việc nộp "
                   "hồ sơ trực tuyến."),
    (range(5, 9), "Quận tổ chức tốt các hoạt động hè cho thiếu nhi và công tác tuyển sinh đầu cấp."),
    (range(8, 10), "Các trường học trên địa bàn đã chuẩn bị chu đáo cơ sở vật chất cho lễ khai giảng năm học mới."),
    (range(6, 11), "Công tác phòng, chống sốt xuất huyết được triển khai quyết liệt tại các khu dân cư có nguy cơ cao."),
    (range(10, 12), "Nhiều hoạt động thiết thực chào mừng Ngày Nhà giáo Việt Nam được các nhà trường tổ chức."),
    (range(2, 4), "Các lễ hội, hoạt động văn hóa đầu xuân diễn ra an toàn, tiết kiệm, đúng quy định."),
]

CLOSINGS = [
    (range(1, 13), "Kết luận phiên họp, {role_short} {chair} đề nghị các phòng, ban, đơn vị và UBND các phường bám sát "
                   "kế hoạch, tập trung hoàn thành các nhiệm vụ trọng tâm tháng {mm}."),
    (range(1, 13), "Chủ tịch UBND quận yêu cầu Chi cục Thuế khu vực và các đơn vị liên quan tăng cường biện pháp chống "
                   "thất thu, quản lý chặt chẽ các nguồn thu trên địa bàn."),
    (range(1, 13), "Đối với công tác quản lý trật tự xây dựng, quận yêu cầu kiên quyết xử lý dứt điểm các vi phạm mới "
                   "phát sinh, không để tồn đọng kéo dài."),
    (range(1, 13), "Các chủ đầu tư được giao rà soát từng dự án, điều chuyển vốn từ những dự án chậm giải ngân sang dự "
                   "án có khối lượng thực hiện."),
    (range(1, 13), "Lãnh đạo quận cũng lưu ý công tác bảo đảm vệ sinh môi trường, an toàn thực phẩm và phòng cháy, "
                   "chữa cháy tại các khu dân cư."),
    (range(8, 12), "{Role_short} {chair} nhấn mạnh, thời gian còn lại của năm không nhiều, các đơn vị phải chủ động, "
                   "quyết liệt hơn nữa để hoàn thành các chỉ tiêu đề ra."),
    (range(12, 13), "Phát biểu chỉ đạo, {role_short} {chair} đề nghị các đơn vị khẩn trương triển khai kế hoạch năm "
                    "{my} ngay từ những ngày đầu, tháng đầu."),
    (range(1, 2), "Phát biểu chỉ đạo, {role_short} {chair} đề nghị các đơn vị khẩn trương triển khai kế hoạch năm "
                  "{my} ngay từ những ngày đầu, tháng đầu."),
]
TET = {  # publication (year, month) -> the coming or just-passed Tết
    (2024, 2): ("Quận yêu cầu chuẩn bị chu đáo các điều kiện để Nhân dân đón Tết Nguyên đán Giáp Thìn 2024 vui tươi, "
                "an toàn, tiết kiệm."),
    (2025, 1): ("Quận yêu cầu chuẩn bị chu đáo các điều kiện để Nhân dân đón Tết Nguyên đán Ất Tỵ 2025 vui tươi, an "
                "toàn, tiết kiệm."),
    (2025, 2): "Quận yêu cầu các đơn vị nhanh chóng ổn định, bắt tay ngay vào công việc sau kỳ nghỉ Tết Nguyên đán.",
}

SAPOS = [
    "Kinh tế - xã hội trên địa bàn quận {D} tiếp tục chuyển biến tích cực; thu ngân sách, giải ngân vốn đầu tư công "
    "bám sát kế hoạch.",
    "Nhiều chỉ tiêu quan trọng đạt khá so với kế hoạch, song quận {D} xác định còn không ít việc phải làm trong thời "
    "gian tới.",
    "UBND quận {D} yêu cầu các đơn vị tăng tốc, hoàn thành các nhiệm vụ trọng tâm, nhất là thu ngân sách và giải "
    "ngân vốn đầu tư công.",
    "Công tác quản lý trật tự xây dựng, trật tự đô thị tại quận {D} tiếp tục được siết chặt; an sinh xã hội được bảo đảm.",
]

TITLES_PLAIN = [
    "Quận {D} tập trung hoàn thành nhiệm vụ trọng tâm tháng {mm}",
    "UBND quận {D} đánh giá kết quả thực hiện nhiệm vụ tháng {rm}",
    "Quận {D} đẩy nhanh giải ngân, chống thất thu ngân sách",
    "{D} siết chặt trật tự xây dựng, tăng tốc thu ngân sách",
    "Quận {D} quyết liệt thực hiện các chỉ tiêu kinh tế - xã hội năm {ry}",
    "Phiên họp UBND quận {D} tháng {mm}: nhiều chỉ tiêu đạt khá",
]

CAPTIONS = [
    "{Role_short} {chair} phát biểu tại phiên họp. Ảnh: {author}",
    "Quang cảnh phiên họp UBND quận {D} tháng {mm}. Ảnh: {author}",
    "Các đại biểu dự phiên họp thường kỳ UBND quận {D}. Ảnh: {author}",
]

# Reader comments: (author, text, non-facts in it as (figure text, district, metric, value, unit)).
COMMENTS = [
    ("Hương Giang", "Thu ngân sách tăng là tốt, nhưng mong quận dành thêm kinh phí cải tạo vỉa hè quanh các khu tập thể cũ.", []),
    ("Trần Minh", "Tôi nghe nói cả thành phố thu hơn 400 nghìn tỷ đồng, không rõ quận mình đóng góp được bao nhiêu?",
     [("hơn 400 nghìn tỷ đồng", "Hà Nội (thành phố)", "budget_revenue", 400 * NGHIN_TY, "VND")]),
    ("Lê Hoàng", "Nhà tôi xin phép sửa chữa mất gần 20 ngày mới xong, mong thủ tục nhanh hơn nữa.", []),
    ("Bảo Ngọc", "Ngõ nhà tôi có tới 3 công trình xây không phép mà chưa thấy phường xử lý.",
     [("3 công trình", None, "urban_violations", 3, "count")]),
    ("Quốc Việt", "Giải ngân được hơn một nửa kế hoạch mà đã gần cuối năm thì vẫn chậm, cuối năm lại dồn việc.", []),
    ("Thanh Tâm", "Đề nghị quận công khai danh sách 10 dự án chậm tiến độ để người dân cùng giám sát.",
     [("10 dự án", None, "other", 10, "count")]),
    ("Minh Khôi", "Bài viết rất hữu ích, cảm ơn phóng viên.", []),
    ("Đức Thắng", "Tháng trước tôi đọc thấy quận thu được 9.000 tỷ, sao giờ số liệu lại khác?",
     [("9.000 tỷ", None, "budget_revenue", 9_000 * TY, "VND")]),
    ("Phương Anh", "Mong quận sớm hoàn thành trường mầm non mới, con tôi năm nay vẫn phải học xa nhà.", []),
]

PROJECTS = ["dự án xây dựng trường mầm non tại phường {ward}", "dự án cải tạo, mở rộng tuyến đường nội bộ phường {ward}",
            "dự án xây dựng nhà văn hóa tổ dân phố tại phường {ward}", "dự án cải tạo vườn hoa, sân chơi phường {ward}"]


# ---------------------------------------------------------------------------------------------------------------
# What an article is made of
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Fact:
    """An expected fact, in the project's fact shape, plus how it is written."""

    district: str
    metric: str
    value: int | float
    unit: str
    qualifier: str | None
    as_of: date
    period: str
    evidence: str
    written: str
    resolution: int
    pct_of_plan: Decimal | None = None
    pct_of_same_period: Decimal | None = None
    growth_pct: Decimal | None = None
    other_plan_ratios: list[dict] = field(default_factory=list)
    disagreement: Disagreement | None = None
    department_value: int | None = None

    def to_dict(self) -> dict:
        """JSON-ready, keys in a fixed order; ``department_value`` only for deliberate disagreements."""
        out = {
            "district": self.district, "metric": self.metric, "value": self.value, "unit": self.unit,
            "qualifier": self.qualifier, "as_of": self.as_of.isoformat(), "period": self.period,
            "pct_of_plan": _num(self.pct_of_plan), "pct_of_same_period": _num(self.pct_of_same_period),
            "growth_pct": _num(self.growth_pct), "is_target": False, "evidence": self.evidence,
            "written": self.written, "resolution": self.resolution,
        }
        if self.other_plan_ratios:
            out["other_plan_ratios"] = self.other_plan_ratios
        if self.disagreement:
            out["department_value"] = self.department_value
            out["disagreement"] = {"kind": self.disagreement.kind, "pct_basis": self.disagreement.pct_basis,
                                   "note": self.disagreement.note}
        return out


@dataclass
class NonFact:
    """A figure in the page that is not one of the district's KPI values, and why."""

    kind: str
    text: str  # the figure as written
    evidence: str  # the sentence (or headline, comment) it sits in
    district: str | None  # whose figure it is: the district, 'Hà Nội (thành phố)', or None
    metric: str  # a catalogue code, or 'other'
    value: int | float | None
    unit: str
    reason: str
    is_target: bool = False
    as_of: date | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "evidence": self.evidence, "district": self.district,
                "metric": self.metric, "value": _num(self.value), "unit": self.unit, "is_target": self.is_target,
                "as_of": self.as_of.isoformat() if self.as_of else None, "reason": self.reason}


def _num(value):
    """Decimal -> float for JSON (84.72), ints stay ints."""
    return float(value) if isinstance(value, Decimal) else value


@dataclass
class Article:
    """One generated page about one district's monthly meeting."""

    district: str
    year: int
    month: int
    published: datetime
    meeting: date
    author: str
    kind: str  # article | malformed | injection | cp1258
    layout: str  # site | outlet
    outlet_id: int | None
    title: str = ""
    sapo: str = ""
    path: str = ""
    blocks: list[tuple] = field(default_factory=list)  # ('p', text) | ('h2', text) | ('figure', src, alt, caption)
    facts: list[Fact] = field(default_factory=list)
    non_facts: list[NonFact] = field(default_factory=list)
    mentions: list[dict] = field(default_factory=list)  # headline restatements of body figures
    comments: list[tuple[str, str, datetime]] = field(default_factory=list)
    related: list[Article] = field(default_factory=list)
    injected: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# Composing one article
# ---------------------------------------------------------------------------------------------------------------

DISTRACTOR_KINDS = ("city_total", "target", "per_capita", "area", "fraction", "rate_of_rate", "sector_value",
                    "other_revenue_total", "on_time_rate")


class Composer:
    """Writes one district-month article: picks templates, writes figures, records facts and non-facts."""

    def __init__(self, district: str, year: int, month: int, figures: Figures, prior: dict,
                 used_titles: set[str] | None = None):
        self.d = DISTRICTS[district]
        self.year, self.month = year, month
        self.figures, self.prior = figures, prior
        self.used_titles = used_titles if used_titles is not None else set()  # plain titles this district has used
        self.rng = random.Random(f"{SEED}|{district}|{year}-{month:02d}")
        self.last = date(year, month, calendar.monthrange(year, month)[1])
        pub_year, pub_month = (year + 1, 1) if month == 12 else (year, month + 1)
        meeting_days = [day for day in range(3, 10) if date(pub_year, pub_month, day).weekday() < 5
                        and not {date(pub_year, pub_month, day), date(pub_year, pub_month, day + 1)} & HOLIDAYS]
        self.meeting = date(pub_year, pub_month, self.rng.choice(meeting_days))
        self.same_day = self.rng.random() < 0.6
        if self.same_day:
            self.buoi = "sáng"
            published = datetime.combine(self.meeting, datetime.min.time()).replace(
                hour=self.rng.randint(11, 17), minute=self.rng.randrange(0, 60, 5), tzinfo=TZ)
        else:
            self.buoi = self.rng.choice(("sáng", "chiều"))
            published = datetime.combine(self.meeting + timedelta(days=1), datetime.min.time()).replace(
                hour=self.rng.randint(7, 10), minute=self.rng.randrange(0, 60, 5), tzinfo=TZ)
        key = (district, year, month)
        self.article = Article(
            district=district, year=year, month=month, published=published, meeting=self.meeting,
            author=self.rng.choice(AUTHORS), kind=SPECIAL_KIND.get(key, "article"),
            layout="outlet" if key in OUTLET_LAYOUT else "site", outlet_id=OUTLET_LAYOUT.get(key),
        )
        self.cutoffs = cutoff_forms(year, month, published.date())
        self.primary_cut = self.rng.choice(self.cutoffs)
        self.distractors = set(self.rng.sample(DISTRACTOR_KINDS, self.rng.randint(3, 5)))
        if not self.distractors & {"city_total", "target"}:
            self.distractors.add(self.rng.choice(("city_total", "target")))
        role = self.rng.choice((f"Phó Bí thư Quận ủy, Chủ tịch UBND quận {district}", f"Chủ tịch UBND quận {district}"))
        self.ctx = {
            "D": district, "Buoi": cap(self.buoi), "buoi": self.buoi, "md": self.meeting.day, "mm": self.meeting.month,
            "my": self.meeting.year, "rm": month, "ry": year, "last": self.last.day, "role": role, "Role": cap(role),
            "role_short": "Chủ tịch UBND quận", "Role_short": "Chủ tịch UBND quận", "chair": self.d.chair,
            "vw": self.d.violations_word, "va": self.d.violations_abbr, "author": self.article.author,
        }

    # -- helpers --------------------------------------------------------------------------------------------------

    def fill(self, template: str, **values) -> str:
        """Format a template with the article context and ``values``."""
        return template.format(**{**self.ctx, **values})

    def cutoff(self, kind: str | None = None) -> Cutoff:
        """The article's usual cut-off form most of the time, another form now and then."""
        forms = [form for form in self.cutoffs if kind is None or form.kind == kind]
        if self.primary_cut in forms and self.rng.random() < 0.6:
            return self.primary_cut
        return self.rng.choice(forms)

    def written(self, value: int, *, qualified: bool) -> Written:
        return self.rng.choice(amount_forms(value, self.rng, qualified=qualified))

    def non_fact(self, kind: str, text: str, evidence: str, reason: str, *, district: str | None = "",
                 metric: str = "other", value=None, unit: str = "other", is_target: bool = False,
                 as_of: date | None = None) -> None:
        assert text in evidence, (text, evidence)
        self.article.non_facts.append(NonFact(
            kind=kind, text=text, evidence=evidence, district=self.d.name if district == "" else district,
            metric=metric, value=value, unit=unit, reason=reason, is_target=is_target, as_of=as_of))

    # -- money KPIs -----------------------------------------------------------------------------------------------

    def money_sentence(self, metric: str, templates: list[dict]) -> str:
        """One sentence with the year-to-date figure of ``metric``, its % of plan and optional clauses."""
        dept = self.figures.value(self.d.name, metric, self.year, self.month)
        plan = self.figures.plan(self.d.name, metric, self.year)
        disagreement = DISAGREEMENTS.get((self.d.name, self.year, self.month, metric))
        if disagreement:
            wants_est = disagreement.qualifier == "estimate"
            templates = [t for t in templates if t["est"] == wants_est]
        template = self.rng.choice(templates)
        cut = self.cutoff(template.get("cut"))
        if disagreement:
            written = Written(disagreement.text, disagreement.value, disagreement.resolution, disagreement.qualifier)
        else:
            written = self.written(dept, qualified=not template["est"])
        basis = written.value if disagreement and disagreement.pct_basis == "news" else dept
        pct = ratio(basis, plan)
        fact = Fact(district=self.d.name, metric=metric, value=written.value, unit="VND",
                    qualifier="estimate" if template["est"] else written.qualifier, as_of=cut.as_of,
                    period=cut.period, evidence="", written=written.text, resolution=written.resolution,
                    pct_of_plan=pct, disagreement=disagreement, department_value=dept if disagreement else None)
        values = {"cut": cut.text, "Cut": cap(cut.text), "amt": written.text, "pct": pct_text(pct)}
        if "{subj}" in template["text"] or "{Subj}" in template["text"]:
            subject = self.rng.choice(REVENUE_SUBJECTS)
            values.update(subj=subject, Subj=cap(subject))
        pending: list[tuple] = []
        if template.get("sp"):
            sp = ratio(basis, same_period_base(self.figures, self.prior, self.d.name, metric, self.year, self.month), 1)
            fact.pct_of_same_period = sp
            values["sp"] = pct_text(sp)
        values["tail"] = self.money_tail(metric, fact, basis, plan, pending, same_allowed=not template.get("sp"),
                                         paren_ok="(" not in template["text"])
        sentence = self.fill(template["text"], **values)
        fact.evidence = sentence
        self.article.facts.append(fact)
        for args, kwargs in pending:
            self.non_fact(*args, evidence=sentence, **kwargs)
        return sentence

    def money_tail(self, metric: str, fact: Fact, basis: int, plan: int, pending: list, *, same_allowed: bool,
                   paren_ok: bool = True) -> str:
        """Optional clauses after the % of plan: overshoot, adjusted plan, same period (ratio, growth or amount).
        Inside a parenthesis (``paren_ok`` false) no clause opens another one."""
        tail = ""
        pct = fact.pct_of_plan
        if pct > 100 and self.rng.random() < 0.6:
            over = pct_text(pct - 100)
            tail += f", vượt {over}% dự toán"
            pending.append((("overshoot", f"vượt {over}%"), dict(
                reason="overshoot of the plan ('vượt X%'), not a growth rate", value=pct - 100, unit="percent")))
        if metric == "budget_expenditure" and self.year == 2024 and self.month >= 7 and self.rng.random() < 0.5:
            adjusted = int(plan * self.d.adjusted_plan_factor)
            second = ratio(basis, adjusted)
            tail += f"; đạt {pct_text(second)}% dự toán sau điều chỉnh, bổ sung"
            fact.other_plan_ratios.append({"pct": float(second), "baseline": "dự toán sau điều chỉnh, bổ sung"})
        chance = {"budget_revenue": 0.65, "budget_expenditure": 0.35, "public_investment_disbursement": 0.3}[metric]
        if not same_allowed or self.rng.random() >= chance:
            return tail
        base = same_period_base(self.figures, self.prior, self.d.name, metric, self.year, self.month)
        sp = ratio(basis, base, self.rng.choice((1, 1, 2)))
        growth = sp - 100
        style = self.rng.choice(("paren", "bang", "tang", "so_voi", "amount", "amount"))
        if metric == "public_investment_disbursement":
            style = "prior_pct"
        if not paren_ok and style in ("paren", "amount", "prior_pct"):
            style = self.rng.choice(("bang", "tang", "so_voi"))
        if growth == 0 and style in ("tang", "so_voi"):
            style = "bang"
        prior_year = self.year - 1
        if style == "paren":
            tail += f" (bằng {pct_text(sp)}% so với cùng kỳ năm {prior_year})"
            fact.pct_of_same_period = sp
        elif style == "bang":
            tail += f", bằng {pct_text(sp)}% so với cùng kỳ"
            fact.pct_of_same_period = sp
        elif style == "tang":
            tail += f", {'tăng' if growth > 0 else 'giảm'} {pct_text(abs(growth))}% so với cùng kỳ"
            fact.growth_pct = growth
        elif style == "so_voi":
            tail += f"; so với cùng kỳ {'tăng' if growth > 0 else 'giảm'} {pct_text(abs(growth))}%"
            fact.growth_pct = growth
        elif style == "amount":
            prior_written = self.rng.choice([w for w in amount_forms(base, self.rng, qualified=False)])
            tail += f" (cùng kỳ năm {prior_year} đạt {prior_written.text})"
            pending.append((("other_year", prior_written.text), dict(
                reason=f"the same period of {prior_year}, not this article's figure", metric=metric,
                value=prior_written.value, unit="VND", as_of=date(prior_year, self.month, calendar.monthrange(prior_year, self.month)[1]))))
        else:  # disbursement: last year's % of plan at the same point
            prior_plan = (self.figures.plan(self.d.name, metric, prior_year) if prior_year == 2024
                          else invented_prior_plan(self.d, metric, self.figures))
            prior_pct = ratio(base, prior_plan, 1)
            tail += f" (cùng kỳ năm {prior_year} đạt {pct_text(prior_pct)}%)"
            pending.append((("other_year", f"{pct_text(prior_pct)}%"), dict(
                reason=f"% of plan of the same period of {prior_year}", value=prior_pct, unit="percent",
                as_of=date(prior_year, self.month, calendar.monthrange(prior_year, self.month)[1]))))
        return tail

    def revenue_month_and_ytd(self) -> str:
        """'Riêng tháng 10, thu … đạt X; lũy kế 10 tháng đạt Y, bằng Z% dự toán': a month's own value and the YTD."""
        metric = "budget_revenue"
        dept = self.figures.value(self.d.name, metric, self.year, self.month)
        own = self.figures.month_amount(self.d.name, metric, self.year, self.month)
        plan = self.figures.plan(self.d.name, metric, self.year)
        month_written = self.written(own, qualified=True)
        ytd_written = self.written(dept, qualified=True)
        pct = ratio(dept, plan)
        subject = self.rng.choice(REVENUE_SUBJECTS)
        month_fact = Fact(self.d.name, metric, month_written.value, "VND", month_written.qualifier, self.last, "month",
                          "", month_written.text, month_written.resolution)
        ytd_fact = Fact(self.d.name, metric, ytd_written.value, "VND", ytd_written.qualifier, self.last, "ytd", "",
                        ytd_written.text, ytd_written.resolution, pct_of_plan=pct)
        pending: list[tuple] = []
        tail = self.money_tail(metric, ytd_fact, dept, plan, pending, same_allowed=True)
        sentence = self.fill(REVENUE_MONTH_AND_YTD, subj=subject, mamt=month_written.text, amt=ytd_written.text,
                             pct=pct_text(pct), tail=tail)
        for fact in (month_fact, ytd_fact):
            fact.evidence = sentence
            self.article.facts.append(fact)
        for args, kwargs in pending:
            self.non_fact(*args, evidence=sentence, **kwargs)
        return sentence

    # -- counts ---------------------------------------------------------------------------------------------------

    def count_fact(self, metric: str, count: int, text: str, period: str, sentence: str) -> None:
        disagreement = DISAGREEMENTS.get((self.d.name, self.year, self.month, metric)) if period == "month" else None
        dept = self.figures.value(self.d.name, metric, self.year, self.month)
        self.article.facts.append(Fact(
            self.d.name, metric, count, "count", None, self.last, period, sentence, text, 1,
            disagreement=disagreement, department_value=dept if disagreement else None))

    def urban_sentences(self) -> list[str]:
        """Permits and violations: the month's counts, or counts from January, or both."""
        name, year, month = self.d.name, self.year, self.month
        permits = self.figures.value(name, "construction_permits", year, month)
        violations = self.figures.value(name, "urban_violations", year, month)
        disagreement = DISAGREEMENTS.get((name, year, month, "urban_violations"))
        if disagreement:
            violations = disagreement.value
        n, v = count_text(permits, self.rng) if permits is not None else None, count_text(violations, self.rng)
        mode = CUMULATIVE_COUNTS.get((name, year, month))
        sentences = []
        if permits is None:  # the department has no figure for the month: the article says so
            sentence = self.fill(self.rng.choice(URBAN_VIOLATIONS_ALONE), v=v)
            self.count_fact("urban_violations", violations, v, "month", sentence)
            sentences += [sentence, self.fill(URBAN_NO_PERMIT_FIGURE)]
        elif mode == "both_ytd":
            total_n = self.figures.ytd_count(name, "construction_permits", year, month)
            total_v = self.figures.ytd_count(name, "urban_violations", year, month)
            sentence = self.fill(self.rng.choice(URBAN_BOTH_YTD), N=group(total_n), V=group(total_v))
            self.count_fact("construction_permits", total_n, group(total_n), "ytd", sentence)
            self.count_fact("urban_violations", total_v, group(total_v), "ytd", sentence)
            sentences.append(sentence)
        elif mode == "permits_month_and_ytd":
            total_n = self.figures.ytd_count(name, "construction_permits", year, month)
            first = self.fill(URBAN_PERMITS_MONTH_AND_YTD, n=n, N=group(total_n))
            self.count_fact("construction_permits", permits, n, "month", first)
            self.count_fact("construction_permits", total_n, group(total_n), "ytd", first)
            second = self.fill(self.rng.choice(URBAN_VIOLATIONS), v=v)
            self.count_fact("urban_violations", violations, v, "month", second)
            sentences += [first, second]
        elif mode == "violations_month_and_ytd":
            total_v = self.figures.ytd_count(name, "urban_violations", year, month)
            first = self.fill(self.rng.choice(URBAN_PERMITS), n=n)
            self.count_fact("construction_permits", permits, n, "month", first)
            second = self.fill(URBAN_VIOLATIONS_MONTH_AND_YTD, v=v, V=group(total_v))
            self.count_fact("urban_violations", violations, v, "month", second)
            self.count_fact("urban_violations", total_v, group(total_v), "ytd", second)
            sentences += [first, second]
        elif self.rng.random() < 0.55:
            sentence = self.fill(self.rng.choice(URBAN_BOTH), n=n, v=v)
            self.count_fact("construction_permits", permits, n, "month", sentence)
            self.count_fact("urban_violations", violations, v, "month", sentence)
            sentences.append(sentence)
        else:
            first = self.fill(self.rng.choice(URBAN_PERMITS), n=n)
            second = self.fill(self.rng.choice(URBAN_VIOLATIONS), v=v)
            self.count_fact("construction_permits", permits, n, "month", first)
            self.count_fact("urban_violations", violations, v, "month", second)
            sentences += [first, second]
        return sentences

    # -- distractors ----------------------------------------------------------------------------------------------

    def city_revenue_sentence(self) -> str:
        amount, pct = city_revenue(self.figures, self.year, self.month)
        cut = self.cutoff()
        text = f"{vn_short(amount)} nghìn tỷ đồng"
        sentence = self.rng.choice([
            f"Theo số liệu của Sở Tài chính Hà Nội, {cut.text}, toàn thành phố thu ngân sách nhà nước ước đạt {text}, "
            f"bằng {pct_text(pct)}% dự toán.",
            f"Cùng thời điểm, tổng thu ngân sách nhà nước trên địa bàn toàn thành phố đạt khoảng {text}.",
        ])
        self.non_fact("city_total", text, sentence, "a city-wide total inside a district article",
                      district="Hà Nội (thành phố)", metric="budget_revenue", value=int(amount * NGHIN_TY),
                      unit="VND", as_of=cut.as_of)
        return sentence

    def city_disbursement_sentence(self, district_pct: Decimal) -> str:
        gap = Decimal(self.rng.randint(18, 95)) / 10
        if self.rng.random() < 0.5 and district_pct - gap > 0:
            city = district_pct - gap
            sentence = f"Tỷ lệ này cao hơn mức bình quân chung của thành phố ({pct_text(city)}%)."
            self.non_fact("city_total", f"{pct_text(city)}%", sentence, "the city's average disbursement rate",
                          district="Hà Nội (thành phố)", value=city, unit="percent")
        else:
            sentence = (f"Tỷ lệ giải ngân của quận cao hơn {pct_text(gap)} điểm phần trăm so với bình quân chung của "
                        f"thành phố.")
            self.non_fact("rate_of_rate", f"{pct_text(gap)} điểm phần trăm", sentence,
                          "a difference between two rates, not a KPI value", value=gap, unit="percent")
        return sentence

    def target_sentences(self) -> list[str]:
        """Targets and assigned estimates: is_target, never actuals."""
        target_year = self.year + 1 if self.month == 12 else self.year
        plan = self.figures.plan(self.d.name, "budget_revenue", target_year)
        spending = self.figures.plan(self.d.name, "budget_expenditure", target_year)
        stretch = int((Decimal(plan) * Decimal("1.06") / (10 * TY)).quantize(Decimal(1), ROUND_HALF_UP)) * 10 * TY
        sentences = []
        style = self.rng.choice(("stretch", "assigned", "disbursement"))
        if style == "stretch":
            text = f"{group(stretch // TY)} tỷ đồng"
            who = self.rng.choice(("Lãnh đạo UBND quận", f"Đồng chí {self.d.chair}", "UBND quận"))
            sentence = (f"{who} giao Phòng Tài chính - Kế hoạch phối hợp với cơ quan thuế rà soát, khai thác các nguồn "
                        f"thu còn dư địa, phấn đấu thu ngân sách năm {target_year} đạt {text}.")
            self.non_fact("target", text, sentence, "a target ('phấn đấu'), not an actual", metric="budget_revenue",
                          value=stretch, unit="VND", is_target=True, as_of=date(target_year, 12, 31))
        elif style == "assigned":
            revenue_text, spending_text = f"{group(plan // TY)} tỷ đồng", f"{group(spending // TY)} tỷ đồng"
            sentence = (f"Theo chỉ tiêu giao, năm {target_year} quận phải thu ngân sách {revenue_text}; dự toán chi ngân "
                        f"sách địa phương là {spending_text}.")
            self.non_fact("target", revenue_text, sentence, "the assigned estimate ('chỉ tiêu giao'), not an actual",
                          metric="budget_revenue", value=plan, unit="VND", is_target=True, as_of=date(target_year, 12, 31))
            self.non_fact("target", spending_text, sentence, "the spending estimate, not an actual",
                          metric="budget_expenditure", value=spending, unit="VND", is_target=True,
                          as_of=date(target_year, 12, 31))
        else:
            sentence = f"Quận phấn đấu giải ngân 100% kế hoạch vốn đầu tư công năm {target_year} được giao."
            self.non_fact("target", "100%", sentence, "a disbursement target rate", metric="public_investment_disbursement",
                          value=100, unit="percent", is_target=True, as_of=date(target_year, 12, 31))
        sentences.append(sentence)
        return sentences

    def per_capita_sentence(self) -> str:
        income = self.d.per_capita[self.year]
        text = f"{income} triệu đồng/người/năm"
        sentence = f"Đời sống Nhân dân tiếp tục được nâng lên; thu nhập bình quân đầu người năm {self.year} ước đạt {text}."
        self.non_fact("per_capita", text, sentence, "income per head, not a district total", value=income * TRIEU, unit="VND")
        return sentence

    def area_sentence(self) -> str:
        area = self.rng.randrange(800, 26_000, 10)
        project = self.rng.choice(PROJECTS).format(ward=self.rng.choice(self.d.wards))
        text = self.rng.choice((f"{group(area)}m2", f"{group(area)} m2"))
        sentence = self.rng.choice([
            f"Quận đã bàn giao {text} mặt bằng cho {project}.",
            f"Công tác giải phóng mặt bằng được đẩy mạnh; trong tháng, quận hoàn thành thu hồi {text} đất phục vụ {project}.",
        ])
        self.non_fact("area", text, sentence, "an area in square metres", value=area, unit="other")
        return sentence

    def fraction_sentence(self) -> str:
        total = {"Thanh Xuân": 16, "Cầu Giấy": 18, "Long Biên": 17}[self.d.name]
        done = min(total, total - 7 + self.month // 2 + self.rng.randint(0, 1))
        if self.rng.random() < 0.6:
            text = f"{done}/{total} chỉ tiêu"
            sentence = (f"Báo cáo tại phiên họp cho thấy, {text} kinh tế - xã hội chủ yếu năm {self.year} đạt và vượt "
                        f"tiến độ đề ra.")
        else:
            wards = len(self.d.wards)
            good = wards - self.rng.randint(0, 2)
            text = f"{good}/{wards} phường"
            sentence = f"Trong tháng, {text} được đánh giá hoàn thành tốt nhiệm vụ thu ngân sách được giao."
        self.non_fact("fraction", text, sentence, "a fraction of targets or wards, not a KPI value",
                      value=int(text.split("/")[0]), unit="count")
        return sentence

    def rate_of_rate_sentence(self) -> str:
        rate = Decimal(self.rng.randint(105, 495)) / 100
        if self.rng.random() < 0.5:
            text = f"{pct_text(rate)}%"
            sentence = (f"Tuy nhiên, tốc độ tăng thu giảm {text} so với mức tăng của cùng kỳ do một số khoản thu tiền "
                        f"sử dụng đất chưa phát sinh.")
            self.non_fact("rate_of_rate", text, sentence, "a change of a growth rate ('giảm X% mức tăng')",
                          value=rate, unit="percent")
        else:
            growth = Decimal(self.rng.randint(72, 96)) / 10
            text = f"{pct_text(growth)}%"
            sentence = f"Tốc độ tăng trưởng giá trị sản xuất trên địa bàn ước đạt {text}, đạt 100% kế hoạch đề ra."
            self.non_fact("rate_of_rate", text, sentence, "a growth rate with its own % of plan; no amount",
                          value=growth, unit="percent")
        return sentence

    def sector_value_sentence(self) -> str:
        amount = (Decimal(self.d.industry_year) * self.month / 12
                  * (1 + Decimal(self.rng.randint(-30, 30)) / 1000)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        growth = Decimal(self.rng.randint(38, 94)) / 10
        cut = self.cutoff("span") if any(c.kind == "span" for c in self.cutoffs) else self.cutoff()
        text = f"{vn_short(amount)} tỷ đồng"
        sentence = (f"Giá trị sản xuất công nghiệp ngoài nhà nước {cut.text} ước đạt {text}, tăng {pct_text(growth)}% "
                    f"so với cùng kỳ.")
        self.non_fact("sector_value", text, sentence, "one sector's production value, not the district total",
                      value=int(amount * TY), unit="VND", as_of=cut.as_of)
        return sentence

    def other_revenue_total_sentence(self) -> str:
        spending = self.figures.value(self.d.name, "budget_expenditure", self.year, self.month)
        amount = (Decimal(spending) * Decimal("1.18") / TY).quantize(Decimal("0.1"), ROUND_HALF_UP)
        text = f"{vn_short(amount)} tỷ đồng"
        sentence = (f"Tổng thu ngân sách địa phương, bao gồm cả thu bổ sung từ ngân sách cấp trên, đạt {text}.")
        self.non_fact("other_revenue_total", text, sentence,
                      "local-budget revenue including transfers, not 'thu NSNN trên địa bàn'",
                      value=int(amount * TY), unit="VND", as_of=self.last)
        return sentence

    def on_time_sentence(self) -> str:
        rate = Decimal(self.rng.randint(985, 1000)) / 10
        text = f"{pct_text(rate)}%"
        sentence = f"Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng và trước hạn đạt {text}."
        self.non_fact("other_rate", text, sentence, "an administrative-reform rate, not in the catalogue",
                      value=rate, unit="percent")
        return sentence

    def tet_gift_sentence(self) -> str | None:
        publication = (self.article.published.year, self.article.published.month)
        if publication not in TET:
            return None
        parcels = self.rng.randrange(3_000, 9_000, 10)
        amount = Decimal(self.rng.randint(28, 75)) / 10
        parcels_text, amount_text = f"{group(parcels)} suất quà", f"{vn_short(amount)} tỷ đồng"
        sentence = {
            (2024, 2): f"Nhân dịp Tết Nguyên đán Giáp Thìn 2024, quận đã trao tặng {parcels_text} cho người có công, "
                       f"hộ nghèo, hộ cận nghèo với tổng trị giá hơn {amount_text}.",
            (2025, 1): f"Quận đang chuẩn bị trao {parcels_text} Tết Ất Tỵ 2025 tới các gia đình chính sách, hộ có hoàn "
                       f"cảnh khó khăn, tổng trị giá khoảng {amount_text}.",
            (2025, 2): f"Dịp Tết Nguyên đán Ất Tỵ 2025 vừa qua, quận đã trao tặng {parcels_text} với tổng trị giá hơn "
                       f"{amount_text}.",
        }[publication]
        self.non_fact("other_amount", amount_text, sentence, "the value of Tết gifts, not a KPI",
                      value=int(amount * TY), unit="VND")
        self.non_fact("other_count", parcels_text, sentence, "a count of gift parcels, not a KPI",
                      value=parcels, unit="count")
        return sentence

    # -- the article ----------------------------------------------------------------------------------------------

    def compose(self) -> Article:
        """Write the whole article: lead, budget, investment, urban order, social affairs, closing."""
        rng, a = self.rng, self.article
        key = (self.d.name, self.year, self.month)
        leads = LEADS + (LEADS_SAME_DAY if self.same_day else []) + (LEADS_YEAR_END * 3 if self.month == 12 else [])
        lead = [self.fill(rng.choice(leads))]
        if "fraction" in self.distractors:
            lead.append(self.fraction_sentence())

        budget = []
        if rng.random() < 0.5:
            budget.append(rng.choice(SECTION_INTROS["budget"]))
        if "sector_value" in self.distractors:
            budget.append(self.sector_value_sentence())
        elif "rate_of_rate" in self.distractors and rng.random() < 0.5:
            self.distractors.discard("rate_of_rate")
            budget.append(self.rate_of_rate_sentence())
        revenue = self.revenue_month_and_ytd() if key in MONTH_AND_YTD_REVENUE else self.money_sentence("budget_revenue", REVENUE)
        budget.append(revenue)
        if "rate_of_rate" in self.distractors:
            budget.append(self.rate_of_rate_sentence())
        if "city_total" in self.distractors and rng.random() < 0.6:
            self.distractors.discard("city_total")
            budget.append(self.city_revenue_sentence())
        budget_second = [self.money_sentence("budget_expenditure", EXPENDITURE)]
        if "other_revenue_total" in self.distractors:
            budget_second.append(self.other_revenue_total_sentence())

        investment = []
        if rng.random() < 0.4:
            investment.append(rng.choice(SECTION_INTROS["investment"]))
        investment.append(self.money_sentence("public_investment_disbursement", DISBURSEMENT))
        if "city_total" in self.distractors:
            investment.append(self.city_disbursement_sentence(a.facts[-1].pct_of_plan))

        urban = []
        if rng.random() < 0.5:
            urban.append(rng.choice(SECTION_INTROS["urban"]))
        urban += self.urban_sentences()
        if "area" in self.distractors:
            urban.append(self.area_sentence())

        social = [text for months, text in rng.sample(SOCIAL, len(SOCIAL)) if self.month in months][: rng.randint(1, 2)]
        if "per_capita" in self.distractors:
            social.append(self.per_capita_sentence())
        if "on_time_rate" in self.distractors:
            social.append(self.on_time_sentence())
        gift = self.tet_gift_sentence()
        if gift:
            social.append(gift)

        closing = [self.fill(text) for months, text in rng.sample(CLOSINGS, len(CLOSINGS))
                   if self.month in months][: rng.randint(2, 3)]
        if "target" in self.distractors:
            closing[1:1] = self.target_sentences()
        tet = TET.get((a.published.year, a.published.month))
        if tet:
            closing.append(tet)

        self.assemble(lead, budget, budget_second, investment, urban, social, closing)
        self.comments()
        self.headline()
        return a

    def assemble(self, lead, budget, budget_second, investment, urban, social, closing) -> None:
        """Lay the sections out as paragraphs and headings, in one of several orders."""
        rng, a = self.rng, self.article
        headings = rng.random() < 0.55
        merged = rng.random() < 0.3
        money = [("budget", [budget, budget_second + (investment if merged else [])])]
        if not merged:
            money.append(("investment", [investment]))
        urban_section = [("urban", [urban])]
        social_section = [("social", [social])]
        order = rng.choice([
            money + urban_section + social_section,
            money + social_section + urban_section,
            urban_section + money + social_section,
            money[:1] + urban_section + money[1:] + social_section,
        ])
        figure = ("figure", f"/static/anh/phien-hop-{self.d.slug}.svg", f"Phiên họp UBND quận {self.d.name}",
                  self.fill(rng.choice(CAPTIONS)))
        figure_after_lead = rng.random() < 0.6
        a.blocks.append(("p", " ".join(lead)))
        if figure_after_lead:
            a.blocks.append(figure)
        for index, (section, paragraphs) in enumerate(order):
            if headings:
                a.blocks.append(("h2", rng.choice(HEADINGS[section])))
            for paragraph in paragraphs:
                if paragraph:
                    a.blocks.append(("p", " ".join(paragraph)))
            if index == 0 and not figure_after_lead:
                a.blocks.append(figure)
        if headings:
            a.blocks.append(("h2", rng.choice(HEADINGS["closing"])))
        a.blocks.append(("p", " ".join(closing[:2])))
        if closing[2:]:
            a.blocks.append(("p", " ".join(closing[2:])))
        a.sapo = rng.choice(SAPOS).format(D=self.d.name)

    def comments(self) -> None:
        """Reader comments (excluded from extraction); figures in them are non-facts."""
        a = self.article
        chosen = self.rng.sample(COMMENTS, self.rng.choice((0, 1, 2, 2, 3)))
        when = a.published
        for author, text, figures in chosen:
            when += timedelta(minutes=self.rng.randint(20, 600))
            a.comments.append((author, text, when))
            for figure_text, district, metric, value, unit in figures:
                self.non_fact("comment", figure_text, text, "a reader comment, not the article",
                              district=district, metric=metric, value=value, unit=unit)

    def headline(self) -> None:
        """Pick a title; a figure in it restates a body figure (recorded as a mention, not a second fact)."""
        rng, a = self.rng, self.article
        revenue = next(f for f in a.facts if f.metric == "budget_revenue" and f.pct_of_plan is not None)
        disbursement = next(f for f in a.facts if f.metric == "public_investment_disbursement")
        span = title_span(self.year, self.month)
        choice = rng.random()
        if a.kind in ("injection", "cp1258") or choice < 0.55:
            fresh = [t for t in TITLES_PLAIN if t not in self.used_titles] or TITLES_PLAIN
            template = rng.choice(fresh)
            self.used_titles.add(template)
            a.title = self.fill(template)
        elif choice < 0.7:
            text = f"{pct_text(revenue.pct_of_plan)}% dự toán"
            a.title = f"Quận {self.d.name}: Thu ngân sách {span} đạt {text}"
            a.mentions.append({"where": "title", "text": text, "metric": "budget_revenue", "value": None,
                               "pct_of_plan": float(revenue.pct_of_plan), "restates": revenue.evidence})
        elif choice < 0.85 and not revenue.disagreement and revenue.value % TY:
            floor = revenue.value // TY
            text = f"hơn {group(floor)} tỷ đồng"
            where = f"năm {self.year}" if self.month == 12 else f"trong {span}"
            a.title = f"Quận {self.d.name} thu ngân sách {text} {where}"
            a.mentions.append({"where": "title", "text": text, "metric": "budget_revenue", "value": floor * TY,
                               "qualifier": "more_than", "restates": revenue.evidence})
        else:
            text = f"{pct_text(disbursement.pct_of_plan)}% kế hoạch"
            a.title = f"{self.d.name}: Giải ngân vốn đầu tư công {span} đạt {text}"
            a.mentions.append({"where": "title", "text": text, "metric": "public_investment_disbursement",
                               "value": None, "pct_of_plan": float(disbursement.pct_of_plan),
                               "restates": disbursement.evidence})
        clean_title = a.title
        if a.kind == "injection":
            injected = "<script>alert(1)</script>"
            a.title = f"{a.title} {injected}"
            note = 'Lưu ý của tòa soạn: <script>alert("dkpi")</script> <img src=x onerror=alert(2)>'
            a.blocks.append(("p", note))
            a.injected = [injected, '<script>alert("dkpi")</script>', "<img src=x onerror=alert(2)>"]
        if a.layout == "outlet":
            a.path = f"/tin-tuc/{slugify(clean_title)}-{a.outlet_id}.html"
        else:
            a.path = f"/bai-viet/{a.published:%Y}/{a.published:%m}/{slugify(clean_title)}.html"


def invented_prior_plan(district: District, metric: str, figures: Figures) -> int:
    """Invented 2023 plan: the 2024 plan over the district's growth factor, rounded to 10 tỷ."""
    growth = {"budget_revenue": district.revenue_growth, "budget_expenditure": district.spending_growth,
              "public_investment_disbursement": district.disbursement_growth}[metric]
    plan = Decimal(figures.plan(district.name, metric, 2024)) / growth
    return int((plan / (10 * TY)).quantize(Decimal(1), ROUND_HALF_UP)) * 10 * TY


def slugify(text: str) -> str:
    """'Quận Thanh Xuân: Thu ngân sách …' -> 'quan-thanh-xuan-thu-ngan-sach-…'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# ---------------------------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------------------------

def e(text: str) -> str:
    """Escape text content."""
    return html.escape(text, quote=False)


def ea(text: str) -> str:
    """Escape an attribute value."""
    return html.escape(text, quote=True)


def display_time(moment: datetime, style: int) -> str:
    """The byline date the way outlets print it."""
    if style == 0:
        return f"{WEEKDAYS[moment.weekday()]}, {moment:%d/%m/%Y %H:%M}"
    return f"{moment.day}/{moment.month}/{moment.year} | {moment:%H:%M} GMT+7"


MENU = [("/", "Trang chủ"), ("/chu-de/thu-ngan-sach.html", "Thu ngân sách"), ("/lien-he.html", "Liên hệ")]
FOOTER_NOTE = ("Bản tin Quận - Huyện là trang tin mẫu của dự án district-kpi. Bài viết và số liệu do nhóm dự án biên "
               "soạn để thử nghiệm, không phải thông tin chính thức.")


def page_head(title: str, description: str, *, canonical: str, charset: str = "utf-8",
              published: datetime | None = None, page_type: str = "website", extra: str = "") -> str:
    """<!DOCTYPE> to </head>, with the meta tags extractors read."""
    lines = [
        "<!DOCTYPE html>", '<html lang="vi">', "<head>", f'<meta charset="{charset}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} - {SITE_NAME}</title>", f'<meta name="description" content="{ea(description)}">',
        f'<meta property="og:type" content="{page_type}">', f'<meta property="og:title" content="{ea(title)}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
    ]
    if published:
        lines += [f'<meta property="article:published_time" content="{published.isoformat()}">',
                  '<meta property="article:section" content="Quận - Huyện">']
    lines += [f'<link rel="canonical" href="{ea(canonical)}">', '<link rel="stylesheet" href="/static/site.css">',
              f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/rss.xml">']
    if extra:
        lines.append(extra)
    lines.append("</head>")
    return "\n".join(lines)


def site_header() -> str:
    items = "\n".join(f'      <li><a href="{href}">{label}</a></li>' for href, label in MENU)
    return (f'<header class="site-header">\n  <a class="logo" href="/">{SITE_NAME}</a>\n'
            f'  <nav class="main-menu" aria-label="Chuyên mục">\n    <ul>\n{items}\n    </ul>\n  </nav>\n</header>')


def site_footer(admin_link: bool = False) -> str:
    admin = ' · <a href="/admin/ban-nhap-thu-ngan-sach.html">Quản trị</a>' if admin_link else ""
    return (f'<footer class="site-footer">\n  <p>{e(FOOTER_NOTE)}</p>\n'
            f'  <p><a href="/lien-he.html">Liên hệ tòa soạn</a> · <a href="/rss.xml">RSS</a>{admin}</p>\n</footer>')


def body_blocks(article: Article, indent: str = "") -> list[str]:
    """The article body as HTML lines."""
    lines = []
    for block in article.blocks:
        if block[0] == "p":
            lines.append(f"{indent}<p>{e(block[1])}</p>")
        elif block[0] == "h2":
            lines.append(f"{indent}<h2>{e(block[1])}</h2>")
        else:
            _, src, alt, caption = block
            lines.append(f'{indent}<figure class="article-image"><img src="{src}" alt="{ea(alt)}" width="640" '
                         f'height="360"><figcaption>{e(caption)}</figcaption></figure>')
    return lines


def related_box(article: Article, title: str = "Tin liên quan") -> str:
    items = "\n".join(f'    <li><a href="{other.path}">{e(other.title)}</a></li>' for other in article.related)
    return f'<aside class="related">\n  <h3>{title}</h3>\n  <ul>\n{items}\n  </ul>\n</aside>'


def comments_box(article: Article) -> str:
    lines = ['<section class="comments" id="binh-luan">', f"  <h3>Bình luận ({len(article.comments)})</h3>"]
    if not article.comments:
        lines.append('  <p class="no-comment">Chưa có bình luận nào. Hãy là người đầu tiên bình luận.</p>')
    for author, text, when in article.comments:
        lines += ['  <div class="comment">',
                  f'    <p class="comment-meta"><span class="comment-author">{e(author)}</span> · '
                  f'<time datetime="{when.isoformat()}">{when:%d/%m/%Y %H:%M}</time></p>',
                  f'    <p class="comment-body">{e(text)}</p>', "  </div>"]
    lines += ['  <form class="comment-form" action="#binh-luan">',
              '    <textarea name="noi-dung" placeholder="Ý kiến của bạn"></textarea>',
              '    <button type="button">Gửi bình luận</button>', "  </form>", "</section>"]
    return "\n".join(lines)


def tracking_script(article: Article) -> str:
    """A page-data script like the outlets' (its numbers are not text and must not be read)."""
    data = json.dumps({"pageType": "article", "district": article.district,
                       "reportMonth": f"{article.year}-{article.month:02d}", "wordCount": 100 + 37 * len(article.blocks)},
                      ensure_ascii=False)
    return f"<script>window.dataLayer = window.dataLayer || []; dataLayer.push({data});</script>"


def render_site_article(article: Article, charset: str = "utf-8") -> str:
    """The site's own article layout: <article>, <h1>, <time>, body, related links, comments."""
    style = hash_choice(article.path, 2)
    lines = [
        page_head(article.title, article.sapo, canonical=article.path, charset=charset, published=article.published,
                  page_type="article", extra=tracking_script(article)),
        "<body>", site_header(), '<main class="container">',
        '<nav class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/chu-de/thu-ngan-sach.html">Quận - huyện</a></nav>',
        '<article class="article-detail">',
        f'  <h1 class="article-title">{e(article.title)}</h1>',
        f'  <p class="byline"><span class="author">{e(article.author)}</span> · <time datetime="'
        f'{article.published.isoformat()}">{display_time(article.published, style)}</time></p>',
        f'  <p class="sapo"><strong>{e(article.sapo)}</strong></p>',
        '  <div class="article-body">', *body_blocks(article, "    "), "  </div>",
        '  <p class="tags">Từ khóa: <a href="/chu-de/thu-ngan-sach.html">thu ngân sách</a>, '
        f'<a href="/chu-de/thu-ngan-sach.html">quận {e(article.district)}</a></p>',
        "</article>", related_box(article), comments_box(article), "</main>", site_footer(), "</body>", "</html>", "",
    ]
    return "\n".join(lines)


def render_outlet_article(article: Article) -> str:
    """An outlet's layout: no <article> or <time>, a 'detail' block, a sapo in <h2>, JSON-LD, 'tin cùng chuyên mục'."""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                     "datePublished": article.published.isoformat(), "author": {"@type": "Person", "name": article.author}},
                    ensure_ascii=False).replace("</", "<\\/")
    body = []
    for block in article.blocks:
        if block[0] == "figure":
            _, src, alt, caption = block
            body += ['      <table class="image center"><tbody>',
                     f'        <tr><td><img src="{src}" alt="{ea(alt)}"></td></tr>',
                     f'        <tr><td class="image-caption">{e(caption)}</td></tr>', "      </tbody></table>"]
        elif block[0] == "h2":
            body.append(f"      <p><strong>{e(block[1])}</strong></p>")
        else:
            body.append(f"      <p>{e(block[1])}</p>")
    items = "\n".join(f'      <li class="item"><a href="{o.path}" title="{ea(o.title)}">{e(o.title)}</a></li>'
                      for o in article.related)
    lines = [
        page_head(article.title, article.sapo, canonical=article.path, published=article.published,
                  page_type="article", extra=f'<script type="application/ld+json">{ld}</script>'),
        '<body class="detail-page">', '<div class="wrapper">',
        f'<div class="top-bar"><span class="today">{WEEKDAYS[article.published.weekday()]}, '
        f'{article.published:%d/%m/%Y}</span> <a href="/rss.xml">RSS</a></div>',
        site_header(),
        '<div class="breadcrumbs"><ul><li><a href="/">Trang chủ</a></li><li><a href="/chu-de/thu-ngan-sach.html">Hà Nội'
        '</a></li><li>Quận - huyện</li></ul></div>',
        '<div class="detail">',
        f'  <div class="detail__meta"><span class="detail__cate">Quận - huyện</span> <span class="detail__time">'
        f'{WEEKDAYS[article.published.weekday()]}, {article.published:%d/%m/%Y - %H:%M}</span></div>',
        f'  <h1 class="detail__title">{e(article.title)}</h1>',
        f'  <h2 class="detail__sapo">{e(article.sapo)}</h2>',
        '  <div class="detail__content" itemprop="articleBody">', *body,
        f'      <p class="detail__author"><strong>{e(article.author)}</strong></p>', "  </div>",
        '  <div class="detail__tags"><span>Tags:</span> <a href="/chu-de/thu-ngan-sach.html">thu ngân sách</a> '
        f'<a href="/chu-de/thu-ngan-sach.html">{e(article.district)}</a></div>',
        "</div>",
        '<div class="box-related">', '  <h3 class="box-title">Tin cùng chuyên mục</h3>', "  <ul>", items, "  </ul>",
        "</div>",
        comments_box(article).replace('<section class="comments"', '<section class="comments box-comment"'),
        site_footer(), "</div>", "</body>", "</html>", "",
    ]
    return "\n".join(lines)


def render_malformed_article(article: Article) -> str:
    """The site's layout written sloppily: an unfinished </head, unclosed <p>/<div>/<b>/<aside>, a stray </span>,
    headings closed with the wrong tag, unquoted attributes, no </article>, </body> or </html>. Browsers,
    html.parser and trafilatura still read every sentence."""
    lines = [
        page_head(article.title, article.sapo, canonical=article.path, published=article.published,
                  page_type="article").replace("</head>", "</head"),  # an unfinished end tag
        "<body>", site_header(), "<div class=container>",
        '<article class="article-detail">',
        f"  <h1 class=article-title>{e(article.title)}</h1>",
        f'  <div class="byline"><span class=author>{e(article.author)}</span></span> · '
        f'<time datetime="{article.published.isoformat()}">{display_time(article.published, 0)}</time>',
        f'  <p class="sapo"><b>{e(article.sapo)}',
        '  <div class="article-body">',
    ]
    for block in article.blocks:
        if block[0] == "p":
            lines.append(f"    <p>{e(block[1])}")  # never closed
        elif block[0] == "h2":
            lines.append(f"    <h2>{e(block[1])}</h3>")  # closed with the wrong tag
        else:
            _, src, alt, caption = block
            lines.append(f"    <figure><img src={src} alt=\"{ea(alt)}\"><figcaption>{e(caption)}</figcaption></figure>")
    lines += ["  </div>", related_box(article).replace("</ul>\n</aside>", ""), comments_box(article), ""]
    return "\n".join(lines)


def hash_choice(text: str, options: int) -> int:
    """A deterministic small choice from a string (stable across runs, unlike hash())."""
    return sum(text.encode("utf-8")) % options


TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 the way legacy tools wrote it.

    cp1258 holds the base letters (ă â ê ô ơ ư đ) and a few precomposed vowels (à á è é …) but most toned vowels
    only as base letter + combining tone mark (U+0300 U+0301 U+0303 U+0309 U+0323). Each character that does not
    encode directly is decomposed (NFD), its tone marks split off, the rest recomposed (NFC) and both encoded.
    The result decodes, after NFC normalisation, to the same text (checked).
    """
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out += (base + tones).encode("cp1258")  # anything cp1258 cannot hold raises here
    data = bytes(out)
    if unicodedata.normalize("NFC", data.decode("cp1258")) != unicodedata.normalize("NFC", text):
        raise ValueError("cp1258 round trip failed")
    return data


# ---------------------------------------------------------------------------------------------------------------
# Site furniture: listing, tag page, contact, admin draft, feed, sitemap, robots, static files
# ---------------------------------------------------------------------------------------------------------------

def render_listing(articles: list[Article], *, title: str, description: str, canonical: str, intro: str,
                   admin_link: bool) -> str:
    """A listing page (the home page or a tag page): articles newest first."""
    items = []
    for article in articles:
        items += ['  <li class="story">',
                  f'    <a class="story-title" href="{article.path}">{e(article.title)}</a>',
                  f'    <span class="story-date">{article.published:%d/%m/%Y %H:%M}</span>',
                  f'    <p class="story-sapo">{e(article.sapo)}</p>', "  </li>"]
    admin = ""
    if admin_link:
        admin = ('<p class="internal">Nội bộ: <a href="/admin/ban-nhap-thu-ngan-sach.html">bản nháp bài viết chờ '
                 'duyệt</a></p>')
    lines = [page_head(title, description, canonical=canonical), "<body>", site_header(), '<main class="container">',
             f"<h1>{e(title)}</h1>", f'<p class="intro">{e(intro)}</p>', '<ul class="story-list">', *items, "</ul>",
             admin, "</main>", site_footer(admin_link), "</body>", "</html>", ""]
    return "\n".join(line for line in lines if line)


CONTACT_TEXT = [
    "Tòa soạn Bản tin Quận - Huyện (trang tin mẫu của dự án district-kpi).",
    "Địa chỉ: số 18 phố Thử Nghiệm, phường Mẫu, Hà Nội.",
    "Điện thoại: 024 3999 0000 - Đường dây nóng: 0900 000 000.",
    "Thư điện tử: toasoan@news.example.test.",
    "Bạn đọc gửi tin, bài, ảnh xin ghi rõ họ tên, địa chỉ và số điện thoại liên hệ.",
]


def render_contact() -> str:
    paragraphs = "\n".join(f"  <p>{e(text)}</p>" for text in CONTACT_TEXT)
    return "\n".join([page_head("Liên hệ", "Thông tin liên hệ tòa soạn", canonical="/lien-he.html"), "<body>",
                      site_header(), '<main class="container">', '<section class="contact">', "  <h1>Liên hệ</h1>",
                      paragraphs, "</section>", "</main>", site_footer(), "</body>", "</html>", ""])


ADMIN_DRAFT = [
    "[NHÁP - CHƯA DUYỆT] Tính đến ngày 30-11-2024, thu ngân sách nhà nước trên địa bàn quận Cầu Giấy đạt 9.999 tỷ "
    "đồng, đạt 105,47% dự toán.",
    "Giải ngân vốn đầu tư công đạt 1.111 tỷ đồng. Số liệu chờ Phòng Tài chính - Kế hoạch xác nhận.",
]


def render_admin_draft() -> str:
    paragraphs = "\n".join(f"  <p>{e(text)}</p>" for text in ADMIN_DRAFT)
    return "\n".join([page_head("Bản nháp: thu ngân sách quận Cầu Giấy", "Bản nháp nội bộ, chưa xuất bản",
                                canonical="/admin/ban-nhap-thu-ngan-sach.html",
                                extra='<meta name="robots" content="noindex, nofollow">'),
                      "<body>", '<main class="admin">', "<article>", "  <h1>Bản nháp: thu ngân sách quận Cầu Giấy</h1>",
                      paragraphs, "</article>", "</main>", "</body>", "</html>", ""])


def render_rss(articles: list[Article], limit: int = 20) -> str:
    """RSS 2.0 with the newest ``limit`` articles; links carry the {{BASE_URL}} placeholder."""
    newest = articles[:limit]
    items = []
    for article in newest:
        link = f"{BASE_URL}{article.path}"
        items += ["    <item>", f"      <title>{xml_escape(article.title)}</title>", f"      <link>{link}</link>",
                  f'      <guid isPermaLink="true">{link}</guid>',
                  f"      <pubDate>{format_datetime(article.published)}</pubDate>",
                  f"      <description>{xml_escape(article.sapo)}</description>", "    </item>"]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">', "  <channel>",
             f"    <title>{SITE_NAME}</title>", f"    <link>{BASE_URL}/</link>",
             "    <description>Tin phiên họp UBND các quận (trang tin mẫu của dự án district-kpi)</description>",
             "    <language>vi</language>", f"    <lastBuildDate>{format_datetime(newest[0].published)}</lastBuildDate>",
             f'    <atom:link href="{BASE_URL}/rss.xml" rel="self" type="application/rss+xml"/>', *items,
             "  </channel>", "</rss>", ""]
    return "\n".join(lines)


def render_sitemap(articles: list[Article]) -> str:
    urls = []
    for article in articles:
        urls += ["  <url>", f"    <loc>{BASE_URL}{article.path}</loc>",
                 f"    <lastmod>{article.published.isoformat()}</lastmod>", "  </url>"]
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>',
                      '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', *urls, "</urlset>", ""])


ROBOTS = f"""# Bản tin Quận - Huyện (sample site of district-kpi)
User-agent: *
Disallow: /admin/
Allow: /

Sitemap: {BASE_URL}/sitemap.xml
"""

CSS = """body { font-family: Arial, sans-serif; margin: 0; color: #222; }
.site-header { background: #8b0000; color: #fff; padding: 8px 16px; }
.site-header a { color: #fff; text-decoration: none; }
.main-menu ul { list-style: none; display: flex; gap: 16px; margin: 4px 0 0; padding: 0; }
.container, .wrapper { max-width: 860px; margin: 0 auto; padding: 0 16px; }
.sapo, .detail__sapo { font-size: 1.05em; }
.article-image img { max-width: 100%; height: auto; }
.related, .box-related, .comments { border-top: 1px solid #ccc; margin-top: 24px; }
.site-footer { font-size: 0.85em; color: #666; padding: 16px; border-top: 1px solid #ccc; }
"""


def svg_image(district: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">\n'
            f'  <rect width="640" height="360" fill="#d8d2c4"/>\n'
            f'  <text x="320" y="185" font-family="Arial" font-size="28" text-anchor="middle" fill="#5a4a3a">'
            f"Phiên họp UBND quận {district}</text>\n</svg>\n")


# ---------------------------------------------------------------------------------------------------------------
# Building the site and the manifest
# ---------------------------------------------------------------------------------------------------------------

def build_articles(figures: Figures, prior: dict) -> list[Article]:
    """Compose every district-month article and link each to three related ones; newest first."""
    articles = []
    for name in DISTRICTS:
        used_titles: set[str] = set()  # composed in month order, so this is deterministic
        articles += [Composer(name, year, month, figures, prior, used_titles).compose() for year, month in MONTHS]
    articles.sort(key=lambda a: (a.published, a.district), reverse=True)
    for article in articles:
        same_district = [o for o in articles if o.district == article.district and o.published < article.published]
        same_month = [o for o in articles if o.district != article.district
                      and (o.year, o.month) == (article.year, article.month)]
        article.related = (same_district[:2] + same_month[:1] + same_month[1:])[:3]
        for other in article.related:
            for mention in other.mentions:
                article.non_facts.append(NonFact(
                    kind="related_link", text=mention["text"], evidence=other.title, district=other.district,
                    metric=mention["metric"], value=mention["value"] if mention["value"] is not None
                    else mention["pct_of_plan"], unit="VND" if mention["value"] is not None else "percent",
                    reason="a headline of another article in the related-links box"))
    return articles


def article_entry(article: Article) -> dict:
    """The manifest entry of one article page."""
    return {
        "path": article.path, "file": f"site{article.path}", "kind": article.kind, "layout": article.layout,
        "role": "monthly-report", "title": article.title, "published": article.published.isoformat(),
        "meeting_date": article.meeting.isoformat(), "district": article.district,
        "report_month": f"{article.year}-{article.month:02d}",
        "encoding": "cp1258" if article.kind == "cp1258" else "utf-8", "robots_allowed": True,
        "facts": [fact.to_dict() for fact in article.facts],
        "repeated_mentions": article.mentions,
        "non_facts": [non_fact.to_dict() for non_fact in article.non_facts],
        **({"injected_strings": article.injected} if article.injected else {}),
    }


def other_entry(path: str, title: str, role: str, *, robots_allowed: bool = True, non_facts: list | None = None) -> dict:
    return {"path": path, "file": f"site{path}", "kind": "non-article", "layout": "site", "role": role, "title": title,
            "published": None, "meeting_date": None, "district": None, "report_month": None, "encoding": "utf-8",
            "robots_allowed": robots_allowed, "facts": [], "repeated_mentions": [], "non_facts": non_facts or []}


def admin_non_facts() -> list[dict]:
    reason = "a draft under /admin/, disallowed by robots.txt: a polite crawler never reads it"
    return [
        NonFact("robots_disallowed", "9.999 tỷ đồng", ADMIN_DRAFT[0], "Cầu Giấy", "budget_revenue", 9_999 * TY, "VND",
                reason, as_of=date(2024, 11, 30)).to_dict(),
        NonFact("robots_disallowed", "1.111 tỷ đồng", ADMIN_DRAFT[1], "Cầu Giấy", "public_investment_disbursement",
                1_111 * TY, "VND", reason).to_dict(),
    ]


def build_manifest(articles: list[Article], figures: Figures, prior: dict) -> dict:
    disagreements = []
    for article in articles:
        for fact in article.facts:
            if fact.disagreement:
                disagreements.append({
                    "path": article.path, "district": fact.district, "metric": fact.metric,
                    "month": f"{article.year}-{article.month:02d}", "department_value": fact.department_value,
                    "news_value": fact.value, "news_text": fact.written, "kind": fact.disagreement.kind,
                    "note": fact.disagreement.note})
    disagreements.sort(key=lambda d: (d["month"], d["district"]))
    invented = {
        "note": "Invented context, not in the department files: the 2023 series behind 'so với cùng kỳ' in 2024 "
                "articles (cumulative, whole đồng), the 2023 plans behind last year's disbursement rate, the "
                "adjusted spending plans, the city totals.",
        "prior_year_2023": {name: {metric: {f"2023-{m:02d}": prior[(name, metric, m)] for m in range(1, 13)}
                                   for metric in MONEY_METRICS} for name in DISTRICTS},
        "prior_year_2023_plans": {name: {metric: invented_prior_plan(d, metric, figures) for metric in MONEY_METRICS}
                                  for name, d in DISTRICTS.items()},
        "adjusted_spending_plan_2024": {name: int(figures.plan(name, "budget_expenditure", 2024) * d.adjusted_plan_factor)
                                        for name, d in DISTRICTS.items()},
        "city_revenue_plan": {str(year): plan * TY for year, plan in CITY_REVENUE_PLAN.items()},
    }
    pages = [article_entry(article) for article in articles]
    pages += [
        other_entry("/index.html", "Bản tin Quận - Huyện", "index"),
        other_entry("/chu-de/thu-ngan-sach.html", "Chủ đề: Thu ngân sách", "tag"),
        other_entry("/lien-he.html", "Liên hệ", "contact"),
        other_entry("/admin/ban-nhap-thu-ngan-sach.html", "Bản nháp: thu ngân sách quận Cầu Giấy", "admin-draft",
                    robots_allowed=False, non_facts=admin_non_facts()),
    ]
    return {
        "about": "Ground truth of the district-kpi sample news site: what we wrote, page by page. Written by "
                 "samples/news_site/generate.py; do not edit by hand.",
        "document_root": "site",
        "base_url_placeholder": BASE_URL,
        "placeholder_files": ["rss.xml", "sitemap.xml", "robots.txt"],
        "conventions": {
            "value": "the figure as written, in base units: whole đồng, counts, percent as a number",
            "resolution": "base units per step of the last written digit ('1.204,5 tỷ' -> 100000000)",
            "within_precision": "qualifier more_than: value < department < value + resolution (value <= department "
                                "for a count); otherwise |department - value| <= resolution / 2",
            "as_of": "the last day of the month the figure covers; period 'month' is that month's own value, "
                     "'ytd' from 1 January, 'year' the whole year",
            "pct_of_plan": "value / annual plan * 100 rounded half-up to 2 decimals, from the department figure "
                           "(or the news figure when a disagreement says pct_basis 'news')",
            "department_value": "only on deliberate disagreements",
            "repeated_mentions": "headline restatements of a body figure: neither expected nor wrong",
        },
        "kinds": {"article": "a normal monthly-report article", "malformed": "unclosed and mismatched tags",
                  "injection": "literal <script> and <img onerror> strings in the title and text (escaped in HTML)",
                  "cp1258": "Windows-1258 bytes with combining tone marks, declared by <meta charset>",
                  "non-article": "index, tag, contact and the robots-disallowed admin draft: no facts expected"},
        "disagreements": disagreements,
        "invented": invented,
        "pages": pages,
    }


def write_site(out: Path, departments: Path) -> None:
    """Write site/ and manifest.json under ``out`` (site/ is replaced as a whole)."""
    figures = Figures.read(departments)
    prior = invent_prior_year(figures)
    articles = build_articles(figures, prior)
    site = out / "site"
    if site.exists():
        shutil.rmtree(site)
    files: dict[str, bytes] = {}
    for article in articles:
        if article.kind == "cp1258":
            files[article.path] = encode_cp1258(render_site_article(article, charset="windows-1258"))
        elif article.kind == "malformed":
            files[article.path] = render_malformed_article(article).encode("utf-8")
        elif article.layout == "outlet":
            files[article.path] = render_outlet_article(article).encode("utf-8")
        else:
            files[article.path] = render_site_article(article).encode("utf-8")
    budget_tag = "Tin về thu, chi ngân sách và giải ngân vốn đầu tư công của các quận."
    files["/index.html"] = render_listing(
        articles, title=SITE_NAME, description="Tin phiên họp UBND các quận Thanh Xuân, Cầu Giấy, Long Biên",
        canonical="/", intro="Tin mới nhất về phiên họp thường kỳ của UBND các quận.", admin_link=True).encode("utf-8")
    files["/chu-de/thu-ngan-sach.html"] = render_listing(
        articles, title="Chủ đề: Thu ngân sách", description=budget_tag, canonical="/chu-de/thu-ngan-sach.html",
        intro=budget_tag, admin_link=False).encode("utf-8")
    files["/lien-he.html"] = render_contact().encode("utf-8")
    files["/admin/ban-nhap-thu-ngan-sach.html"] = render_admin_draft().encode("utf-8")
    files["/rss.xml"] = render_rss(articles).encode("utf-8")
    files["/sitemap.xml"] = render_sitemap(articles).encode("utf-8")
    files["/robots.txt"] = ROBOTS.encode("utf-8")
    files["/static/site.css"] = CSS.encode("utf-8")
    for name, district in DISTRICTS.items():
        files[f"/static/anh/phien-hop-{district.slug}.svg"] = svg_image(name).encode("utf-8")
    for path, data in files.items():
        target = site / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest = build_manifest(articles, figures, prior)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder for site/ and manifest.json (default: %(default)s)")
    parser.add_argument("--departments", type=Path, default=DEFAULT_DEPARTMENTS, help="department files")
    args = parser.parse_args(argv)
    write_site(args.out, args.departments)


if __name__ == "__main__":
    main()
