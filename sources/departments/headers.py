"""Find the header of a department table (one or two levels, after title lines) and say what each column holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Protocol

from sources.departments.mapping import Mapping, label_key
from sources.departments.reading import UnreadableFile
from sources.gazetteer import Gazetteer, unit_key
from sources.numbers import NumberFormatError, is_missing, is_number, parse_unit
from sources.periods import Period, PeriodFormatError, find_period, parse_period


class MetricLike(Protocol):
    code: str
    unit: str
    is_ytd: bool


class MetricResolver(Protocol):
    def resolve(self, label: str) -> MetricLike | None: ...

    def search(self, text: str) -> MetricLike | None: ...


# Header labels per row role, folded (no diacritics, lower case, punctuation as spaces, a trailing year dropped).
HEADER_ROLES: dict[str, tuple[str, ...]] = {
    "district": (
        "quan huyen", "quan huyen thi xa", "district", "quan", "huyen", "dia ban", "don vi hanh chinh", "ten don vi",
        "phuong xa", "xa phuong", "phuong xa thi tran", "xa phuong thi tran", "phuong", "xa", "commune", "ward",
    ),
    "metric": ("chi tieu", "ten chi tieu", "chi tieu chu yeu", "noi dung", "metric", "indicator"),
    "period": ("thang", "ky", "ky bao cao", "thoi gian", "period", "month"),
    "value": ("gia tri", "so lieu", "thuc hien", "value"),
    "unit": ("don vi tinh", "dvt", "unit"),
    "cumulative": ("luy ke", "cong don", "cumulative", "ytd"),
    "annual_plan": ("ke hoach nam", "ke hoach", "du toan nam", "du toan", "annual plan", "plan", "kh nam"),
    "number": ("stt", "tt", "so tt", "so thu tu", "no"),
    "year": ("nam", "year", "nam bao cao"),  # beside a 'Tháng' column of bare month numbers, as databases export
    "note": ("ghi chu", "chu thich", "note", "notes", "remarks"),  # read for 'số liệu sơ bộ' (parse.note_says)
}
_ROLE_BY_LABEL = {label: role for role, labels in HEADER_ROLES.items() for label in labels}
_TRAILING_YEAR = re.compile(r"\s*(?:nam\s*)?(?:19|20)\d\d$")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_UNIT_PREFIX = re.compile(r"^\s*(?:đvt|dvt|đơn vị tính|don vi tinh|đơn vị|don vi)\s*:?\s*", re.IGNORECASE)
_TITLE_UNIT = re.compile(r"(?:đvt|dvt|đơn vị tính|đơn vị)\s*:\s*([^)\n;]+)", re.IGNORECASE)
_TITLE_DISTRICT = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+((?:quan|huyen|thi xa|thanh pho|tp|q|h|tx)\s+.+)$")
# Columns of plans, comparisons and ratios sit beside the actual figures; they are not figures to load.
_NOT_ACTUALS = re.compile(r"\b(?:ke hoach|du toan|kh|chi tieu giao|so sanh|cung ky|so voi|ty le dat|ghi chu)\b")
_YEAR_IN = re.compile(r"\b(?:nam|/)\s*((?:19|20)\d\d)\b")
_YEAR_ONLY = re.compile(r"^nam\s*((?:19|20)\d\d)$")
_PRELIMINARY = re.compile(r"\b(?:so bo|uoc tinh|uoc thuc hien|bao cao nhanh)\b")
# Columns of a monthly report that leave the month to its title ('BÁO CÁO … THÁNG 10/2024'): the month's own figure
# ('Thực hiện tháng', 'Ước thực hiện tháng này') and the year to date ('Lũy kế từ đầu năm', 'Lũy kế đến nay').
_REPORT_MONTH = re.compile(
    r"(?P<estimate>uoc )?(?:thuc hien|th|so lieu|uoc tinh|uoc)?\s*(?:trong )?(?:thang|ky)(?: (?:nay|bao cao|nay nam nay))?"
)
_REPORT_TO_DATE = re.compile(
    r"(?P<estimate>uoc (?:thuc hien )?)?(?:luy ke|cong don|thuc hien luy ke)"
    r" (?:tu dau nam|den nay|den cuoi (?:thang|ky)(?: bao cao)?|den ky bao cao|tu dau nam den nay|tu dau nam den cuoi thang)"
)


def role_key(label: str) -> str:
    """Fold a header for role matching: 'Quận/Huyện' -> 'quan huyen', 'Kế hoạch năm 2024' -> 'ke hoach nam'."""
    return _TRAILING_YEAR.sub("", label_key(label))


def header_role(label: str) -> str | None:
    """Name the row role a header stands for: 'QUẬN / HUYỆN' -> 'district', 'Kế hoạch năm 2024' -> 'annual_plan'."""
    return _ROLE_BY_LABEL.get(role_key(label))


def split_unit(label: str) -> tuple[str, str | None]:
    """Take a unit out of a header: 'Giá trị (ĐVT: tỷ đồng)' -> ('Giá trị', 'tỷ đồng'); no unit -> (label, None)."""
    for match in _PARENTHESES.finditer(label):
        inner = _UNIT_PREFIX.sub("", match.group(1)).strip()
        try:
            parse_unit(inner)
        except NumberFormatError:
            continue
        return (label[: match.start()] + label[match.end():]).strip(), inner
    return label, None


@dataclass(frozen=True)
class Title:
    """What the lines above the header say about the whole table."""

    lines: tuple[str, ...] = ()
    district: str | None = None  # as written: 'UBND QUẬN TÂY HỒ' -> 'QUẬN TÂY HỒ'
    period: Period | None = None
    period_label: str | None = None
    unit: str | None = None  # as written: 'tỷ đồng'
    metric: str | None = None  # code of the catalogued metric a title line names (used when no column names one)
    named_year: int | None = None  # the one year title lines name without a period ('SỐ LIỆU NĂM 2024')

    @property
    def year(self) -> int | None:
        """The year that completes period labels without one ('Tháng 1'): the title period's, else the year named."""
        return self.period.month_start.year if self.period else self.named_year


def read_title(rows: list[list[str]], metrics: MetricResolver, gazetteer: Gazetteer) -> Title:
    """Read district, period, unit and metric from title lines: 'UBND QUẬN TÂY HỒ', 'BÁO CÁO … THÁNG 10/2024', '(ĐVT: tỷ đồng)'."""
    lines = tuple(" ".join(cell for cell in row if cell).strip() for row in rows)
    lines = tuple(line for line in lines if line)
    district = period = period_label = unit = metric = None
    for line in lines:
        if district is None:
            district = _title_district(line, gazetteer)
        if period is None and (found := find_period(line)) is not None:
            # 'BÁO CÁO THÁNG 10/2024 (SỐ LIỆU SƠ BỘ)': the marker may follow the period
            preliminary = found.is_preliminary or _PRELIMINARY.search(label_key(line)) is not None
            period, period_label = replace(found, is_preliminary=preliminary), line
        if unit is None and (match := _TITLE_UNIT.search(line)):
            unit = match.group(1).strip(" .")
        if metric is None and (found := metrics.search(line)) is not None:
            metric = found.code
    years = {int(match.group(1)) for line in lines for match in _YEAR_IN.finditer(label_key(line))}
    return Title(lines, district, period, period_label, unit, metric, years.pop() if len(years) == 1 else None)


def _title_district(line: str, gazetteer: Gazetteer) -> str | None:
    """Return the unit a 'UBND QUẬN TÂY HỒ' line names, as written; a 'QUẬN …' line only when the gazetteer knows it."""
    key = unit_key(line)
    words = line.split()
    match = _TITLE_DISTRICT.match(key)
    if match:
        return " ".join(words[len(words) - len(match.group(1).split()):])
    for start in range(len(words)):
        for end in range(len(words), start + 1, -1):
            candidate = " ".join(words[start:end])
            if unit_key(candidate).split()[0] in ("quan", "huyen", "thi") and gazetteer.resolve(candidate):
                return candidate
    return None


@dataclass(frozen=True)
class ValueColumn:
    """A column of figures and what its header says about them (None: the header does not say)."""

    position: int
    header: str  # as written; the levels of a two-level header joined with ' / '
    metric: str | None = None
    period: str | None = None
    district: str | None = None
    unit: str | None = None
    cumulative: bool | None = None


@dataclass(frozen=True)
class Layout:
    """Where the header is and what every column holds."""

    header_index: int  # 0-based line of the (first) header line
    header_lines: int  # 1, or 2 for a two-level header
    roles: dict[str, int]  # row role -> column position
    headers: dict[str, str]  # row role -> header as written
    values: tuple[ValueColumn, ...]
    ignored: tuple[str, ...]  # headers of columns that hold nothing we read (STT, notes, % of plan…)
    title: Title = field(default_factory=Title)
    header_width: int = 0

    @property
    def body_start(self) -> int:
        return self.header_index + self.header_lines

    @property
    def width(self) -> int:
        return max([*self.roles.values(), *(column.position for column in self.values), self.header_width - 1, 0]) + 1


def header_levels(rows: list[list[str]]) -> list[list[str]]:
    """Return each column's header parts: merged top cells are carried right, empty and repeated parts dropped."""
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    if len(padded) == 2:
        top, carried = padded[0], ""
        for position, cell in enumerate(top):
            # A merged top cell spans the columns whose top is empty but whose lower cell is filled.
            carried = cell or (carried if padded[1][position] else "")
            top[position] = carried
    parts = []
    for position in range(width):
        column = [row[position].strip() for row in padded if row[position].strip()]
        parts.append(list(dict.fromkeys(column)))
    return parts


def classify(
    rows: list[list[str]], *, title: Title, metrics: MetricResolver, gazetteer: Gazetteer, mapping: Mapping | None,
    sample: list[list[str]] = (),
) -> Layout | None:
    """Read a one- or two-line header; None when it is not a header we can use.

    `sample` is the first lines under the header: a column headed 'Đơn vị' is the unit or the district by what its
    cells hold ('tỷ đồng' or 'Quận Tây Hồ').
    """
    roles: dict[str, int] = {}
    headers: dict[str, str] = {}
    values: list[ValueColumn] = []
    ignored: list[str] = []
    # the title's period, else a year the header names ('Năm 2024' over its months), else one the title names
    year = (title.period.month_start.year if title.period else None) or _header_year(rows) or title.named_year
    for position, parts in enumerate(header_levels(rows)):
        if not parts:
            continue
        column = _classify_column(
            position, parts, year=year, metrics=metrics, gazetteer=gazetteer, mapping=mapping,
            title_month=title.period if title.period and title.period.months == 1 else None,
        )
        if column is None and [role_key(part) for part in parts] == ["don vi"]:
            column = _unit_or_district([row[position] for row in sample if position < len(row)], gazetteer)
        if isinstance(column, ValueColumn):
            values.append(column)
        elif column is not None and column not in roles:
            roles[column] = position
            headers[column] = " / ".join(parts)
        else:
            ignored.append(" / ".join(parts))
    annual = [c for c in values if c.period is None and _YEAR_IN.search(label_key(c.header))]
    if "period" not in roles and any(c.period for c in values):
        # Beside columns of months, 'Thực hiện năm 2023' or 'Ước thực hiện năm 2024' is a year's figure, not the
        # month the title names. (A lone 'Giá trị năm 2024' column stays the title month's figure.)
        values = [c for c in values if c not in annual]
        ignored += [c.header for c in annual]
    plain_values = [c for c in values if c.metric is None and c.period is None and c.district is None]
    if "cumulative" in roles and not plain_values:
        # Without a plain value column, 'Lũy kế' is a column of cumulative figures, not a yes/no flag.
        values.append(ValueColumn(roles.pop("cumulative"), headers.pop("cumulative"), cumulative=True))
        values.sort(key=lambda column: column.position)
    values = _contrast_cumulative(values)
    layout = Layout(0, len(rows), roles, headers, tuple(_unique_headers(values)), tuple(ignored), title)
    return layout if _usable(layout, mapping) else None


def _classify_column(
    position: int, parts: list[str], *, year: int | None, metrics: MetricResolver, gazetteer: Gazetteer,
    mapping: Mapping | None, title_month: Period | None = None,
) -> ValueColumn | str | None:
    """Return a row role, a ValueColumn, or None for a column we do not read."""
    unit = None
    bare = []
    for part in parts:
        text, found = split_unit(part)
        unit = unit or found
        if text:
            bare.append(text)
    mapped = [mapping.columns.get(label_key(part)) if mapping else None for part in bare]
    part_roles = [m if m in HEADER_ROLES else header_role(part) for m, part in zip(mapped, bare)]
    if "annual_plan" in part_roles:
        return "annual_plan"
    if any(_NOT_ACTUALS.search(label_key(part)) for part, role in zip(bare, part_roles) if role is None):
        return None
    for part in bare:
        year = int(match.group(1)) if (match := _YEAR_ONLY.match(label_key(part))) else year
    # a column with a row role ('Tháng', 'Kỳ báo cáo': the period of each row) is never a report column
    period = _period_of(bare, year) or (None if any(part_roles) else _report_period(bare, title_month))
    metric = next((m for m in mapped if m and m not in HEADER_ROLES), None)
    metric = metric or next((part for part in bare if metrics.resolve(part) is not None), None)
    district = next((part for part in bare if gazetteer.resolve(part) is not None), None)
    header = " / ".join(parts)
    if period is None and metric is None and district is None:
        role = next((role for role in part_roles if role), None)
        return ValueColumn(position, header, unit=unit) if role == "value" else role
    cumulative = True if (period and period[1].is_cumulative) or "cumulative" in part_roles else None
    return ValueColumn(position, header, metric, period[0] if period else None, district, unit, cumulative)


def _unit_or_district(cells: list[str], gazetteer: Gazetteer) -> str | None:
    """Decide an 'Đơn vị' column by its cells: units of measure ('tỷ đồng', 'người') or districts ('Quận Tây Hồ')."""
    units = districts = 0
    for cell in filter(None, cells):
        try:
            parse_unit(cell)
            units += 1
        except NumberFormatError:
            districts += gazetteer.resolve(cell) is not None
    return "unit" if units > districts else "district" if districts > units else None


def _header_year(rows: list[list[str]]) -> int | None:
    """Find the one year a header names ('Năm 2024' over its months), for period labels that leave it out."""
    years = {int(match.group(1)) for row in rows for cell in row if (match := _YEAR_IN.search(label_key(cell)))}
    return years.pop() if len(years) == 1 else None


def _period_of(parts: list[str], year: int | None) -> tuple[str, Period] | None:
    """Find the period a header names, in all its parts together or in one: ('Năm 2024', 'Tháng 1') -> Năm 2024 Tháng 1.

    A label that needs the year from elsewhere carries it: ('Lũy kế', '3 tháng') with 2024 -> 'Lũy kế 3 tháng [2024]'.
    """
    for label in [" ".join(parts), *parts]:
        try:
            return label, parse_period(label)
        except PeriodFormatError:
            pass
        if year is not None:
            try:
                return f"{label} [{year}]", parse_period(label, year)
            except PeriodFormatError:
                continue
    return None


def _report_period(parts: list[str], month: Period | None) -> tuple[str, Period] | None:
    """Read a report column that leaves its month to the title: ('Thực hiện tháng',) with 10/2024 ->
    'Tháng 10/2024'; 'Lũy kế từ đầu năm' -> 'Lũy kế tháng 10/2024'; 'Ước thực hiện tháng' -> 'Ước tháng 10/2024'."""
    if month is None:
        return None
    key = label_key(" ".join(parts))
    found = _REPORT_TO_DATE.fullmatch(key) or _REPORT_MONTH.fullmatch(key)
    if found is None or not key:
        return None
    label = (
        ("Ước " if found.group("estimate") else "")
        + ("Lũy kế " if found.re is _REPORT_TO_DATE else "")
        + f"tháng {month.month_start:%m/%Y}"
    )
    return label, parse_period(label)


def _contrast_cumulative(values: list[ValueColumn]) -> list[ValueColumn]:
    """When some period columns say 'Lũy kế', the other period columns are the month's own figures."""
    if not any(column.cumulative for column in values):
        return values
    return [
        column if column.cumulative or column.period is None else ValueColumn(
            column.position, column.header, column.metric, column.period, column.district, column.unit, False
        )
        for column in values
    ]


def _unique_headers(values: list[ValueColumn]) -> list[ValueColumn]:
    """Make repeated headers distinct with their column letter, so every figure's provenance is unique."""
    seen: dict[str, int] = {}
    for column in values:
        seen[column.header] = seen.get(column.header, 0) + 1
    return [
        column if seen[column.header] == 1 else ValueColumn(
            column.position, f"{column.header} [{column_letter(column.position)}]", column.metric, column.period,
            column.district, column.unit, column.cumulative,
        )
        for column in values
    ]


def column_letter(position: int) -> str:
    """Name a 0-based column the spreadsheet way: 0 -> 'A', 27 -> 'AB'."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _usable(layout: Layout, mapping: Mapping | None) -> bool:
    """A header is usable when every figure can get a value cell, a metric, a period and a district from somewhere."""
    if not layout.values:
        return False
    has_metric = "metric" in layout.roles or any(c.metric for c in layout.values) or layout.title.metric or (mapping and mapping.metric)
    has_period = "period" in layout.roles or any(c.period for c in layout.values) or layout.title.period
    has_district = "district" in layout.roles or any(c.district for c in layout.values) or layout.title.district
    return bool(has_metric and has_period and has_district)


def header_like(cells: list[str]) -> bool:
    """A header line has labels, never figures: ['', 'Tháng 1', 'Tháng 2'] yes; ['Thu NSNN', '1.204,5'] no."""
    if not any(cells):
        return False
    return not any(cell and (is_missing(cell) or is_number(cell)) for cell in cells)


def keyword_text(head: list[list[str]]) -> str:
    """The lines a department's keywords are looked for in: the title lines and the (one- or two-line) header,
    never a body row. A body row is a figure's label: 'Giải quyết việc làm' in a district's general report does not
    make it the labour department's file, whose defaults would then apply to every figure."""
    lines, header_lines = [], 0
    for row in head:
        if any(row) and not header_like(row):
            break
        if sum(map(bool, row)) > 1:  # a header line (a title line has one cell); a header has at most two
            header_lines += 1
            if header_lines > 2:
                break
        lines.append(" ".join(row))
    return "\n".join(lines)


def find_layout(
    name: str, head: list[list[str]], *, metrics: MetricResolver, gazetteer: Gazetteer, mapping: Mapping | None
) -> Layout:
    """Return the first usable header (two levels when the second line adds columns), with the title lines above it."""
    for index, cells in enumerate(head):
        if not any(cells):
            continue
        if not header_like(cells):
            continue
        title = read_title(head[:index], metrics, gazetteer)
        options = []
        for levels in (1, 2):
            rows = head[index:index + levels]
            # A line with one cell is a title ('(ĐVT: tỷ đồng)'), never the top of a two-level header.
            if len(rows) < levels or (levels == 2 and (sum(map(bool, rows[0])) < 2 or not header_like(rows[1]))):
                continue
            layout = classify(rows, title=title, metrics=metrics, gazetteer=gazetteer, mapping=mapping,
                              sample=head[index + levels:])
            if layout is not None:
                recognised = len(layout.roles) + len(layout.values)
                options.append((recognised, -levels, layout))
        if options:
            best = max(options, key=lambda option: (option[0], option[1]))[2]
            width = max(len(row) for row in head[index:index + best.header_lines])
            return Layout(index, best.header_lines, best.roles, best.headers, best.values, best.ignored, title, width)
    first = " | ".join(next((row for row in head if any(row)), ["(empty file)"]))
    raise UnreadableFile(
        f"{name}: no header row naming the figures' district, metric and period "
        f"(columns such as Quận/huyện, Chỉ tiêu, Tháng, Giá trị, or periods as columns like Tháng 1/2024; "
        f"or a title line such as UBND QUẬN TÂY HỒ) (first row: {first})"
    )
