"""Parse a department file, whatever its layout or sheets, into one row per figure with raw cells beside typed columns."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from sources.departments.columns import empty_cells, map_unique, parsed_fields, read_numbers
from sources.departments.headers import Layout, MetricResolver, find_layout, keyword_text, role_key, split_unit
from sources.departments.mapping import Mapping, label_key, select_mapping
from sources.departments.reading import Table, UnreadableFile, read_tables
from sources.departments.rows import is_column_code, is_signature, is_total, label_kind, strip_numbering
from sources.gazetteer import Gazetteer
from sources.numbers import NumberFormatError, is_number, parse_unit
from sources.periods import PeriodFormatError, find_period, parse_period

STRUCTURE_SCHEMA = {
    "source_sheet": pl.String, "source_row": pl.Int64, "rule": pl.String, "label": pl.String, "raw_row": pl.String,
}
_YES = {"co", "x", "true", "1", "yes", "y", "luy ke", "ytd", "c"}
_NO = {"khong", "", "false", "0", "no", "n", "k", "thang", "month"}


@dataclass(frozen=True)
class ParsedFile:
    """A department file parsed into one row per figure (raw cells kept), plus its structural rows; nothing validated."""

    name: str
    encoding: str
    delimiter: str | None
    header_line: int  # 1-based line of the first table's header
    headers: dict[str | None, dict[str, str]]  # sheet (None for text files) -> row role -> header as written
    frame: pl.DataFrame  # one row per figure: source_sheet, source_row, source_column, *_raw, parsed columns
    structure: pl.DataFrame  # one row per total/heading/breakdown row: source_sheet, source_row, rule, label, raw_row
    mapping: Mapping | None
    title_district: str | None  # the district a title line names, as written
    title_unit_id: str | None  # that district in the gazetteer
    report_period: date | None  # the period a title line names, else the latest period of the figures
    notes: tuple[str, ...]  # what was read but not loaded (sheets without a header, ignored columns)

    @property
    def department(self) -> str | None:
        return self.mapping.department if self.mapping else None

    @property
    def district_id(self) -> str | None:
        """The one unit the file is about: its title line's, else the only unit of its figures; None for several."""
        if self.title_unit_id:
            return self.title_unit_id
        units = self.frame.get_column("unit_id").drop_nulls().unique()
        return units[0] if len(units) == 1 else None


def parse_department_file(
    name: str, content: bytes, *, gazetteer: Gazetteer, metrics: MetricResolver, mappings: Iterable[Mapping] = ()
) -> ParsedFile:
    """Parse a department file (CSV/TSV in any encoding, or every sheet of a workbook) into typed figures."""
    tables = read_tables(name, content)
    mapping = select_mapping(name, keyword_text(tables[0].head), mappings)
    laid_out: list[tuple[Table, Layout]] = []
    notes: list[str] = []
    for table in tables:
        try:
            layout = find_layout(table.name, table.head, metrics=metrics, gazetteer=gazetteer, mapping=mapping)
        except UnreadableFile as error:
            if len(tables) == 1:
                raise
            notes.append(str(error))
            continue
        laid_out.append((table, layout))
        if layout.ignored:
            notes.append(f"{table.name}: columns not read: {', '.join(layout.ignored)}")
        if "note" in layout.roles:
            notes.append(f"{table.name}: column {layout.headers['note']} read only for 'sơ bộ' (preliminary figures)")
    if not laid_out:
        raise UnreadableFile(f"{name}: no sheet has a header row we can read ({'; '.join(notes)})")
    figures, structures = [], []
    for table, layout in laid_out:
        rows, structure = _split_structure(table, layout, metrics=metrics, gazetteer=gazetteer, mapping=mapping)
        structures.append(structure)
        # Each table is parsed with its own title's year: sheets of one workbook may report different years.
        figures.append(parse_cells(
            _figures(rows, table, layout, mapping), gazetteer=gazetteer, metrics=metrics, mapping=mapping,
            year=layout.title.year,
            # a preliminary report ('BÁO CÁO SƠ BỘ THÁNG 10/2024') makes that month's figures preliminary
            preliminary_month=layout.title.period.figure_month
            if layout.title.period and layout.title.period.is_preliminary else None,
        ))
    first_table, first = laid_out[0]
    frame = pl.concat(figures, how="diagonal_relaxed")
    # File metadata from title lines counts only when every sheet's title says the same.
    districts = {layout.title.district for _, layout in laid_out}
    district = districts.pop() if len(districts) == 1 else None
    periods = {layout.title.period.month_start for _, layout in laid_out if layout.title.period and layout.title.period.months == 1}
    unit = gazetteer.resolve(district) if district else None
    return ParsedFile(
        name=name, encoding=first_table.encoding, delimiter=first_table.delimiter, header_line=first.header_index + 1,
        headers={table.sheet: layout.headers for table, layout in laid_out},
        frame=frame, structure=pl.concat(structures, how="diagonal_relaxed"), mapping=mapping,
        title_district=district,
        title_unit_id=unit.id if unit else None,
        report_period=periods.pop() if len(periods) == 1 else frame.get_column("month_start").max(),
        notes=tuple(notes),
    )


LABEL_ROLES = ("district", "metric", "period", "unit", "cumulative", "number", "year", "note")
CATEGORICAL_NULL = pl.lit(None, pl.Categorical)


@dataclass(frozen=True)
class _LabelFacts:
    """What a row label says about its row."""

    kind: str | None  # total | breakdown | mapping_skip | None
    known: bool  # names a catalogued metric (metric column) or a known unit (district column)


def _cell(layout: Layout, role: str) -> pl.Expr:
    position = layout.roles.get(role)
    return pl.col(f"column_{position}") if position is not None else CATEGORICAL_NULL


def _split_structure(
    table: Table, layout: Layout, *, metrics: MetricResolver, gazetteer: Gazetteer, mapping: Mapping | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the table body and set its structural rows (totals, headings, breakdowns, column numbers) apart."""
    labels = frozenset(position for role, position in layout.roles.items() if role in LABEL_ROLES)
    body = table.read_body(layout.body_start, layout.width, labels)
    cells = [f"column_{i}" for i in range(layout.width)]
    values = [f"column_{c.position}" for c in layout.values]
    # (blank, missing) of each text column: value cells, mostly numbers; label columns are categorical, and each
    # rule below reads their few distinct values (taken once: millions of labels, a few thousand distinct)
    empty = {c: empty_cells(body, c) for c in cells if body.schema[c] != pl.Categorical}
    distinct = {c: body.get_column(c).drop_nulls().unique().to_list() for c in cells if body.schema[c] == pl.Categorical}
    blank_rows = body.select(pl.all_horizontal(
        [pl.lit(empty[c][0]) if c in empty else _blank(c, distinct[c]) for c in cells]
    )).to_series()
    body = body.with_columns(pl.any_horizontal([~pl.lit(empty[v][1]) for v in values]).alias("has_figure"))
    if blank_rows.any():
        body = body.filter(~blank_rows)
    label_role = "metric" if "metric" in layout.roles else "district" if "district" in layout.roles else None
    facts = {"metric": pl.lit(None, pl.String), "metric_known": pl.lit(False), "district_total": pl.lit(False), "district_known": pl.lit(False)}
    # Which rows may be structural: no figure and no period, or a label that is no known metric, or a total of
    # districts, or a row of column numbers. Only those (usually none of millions) go through the rules below.
    suspect = ~pl.col("has_figure") & _cell(layout, "period").is_null()
    if "metric" in layout.roles:
        column = f"column_{layout.roles['metric']}"
        read = _label_facts(distinct[column], lambda label: _LabelFacts(
            label_kind(label, mapping), resolve_metric(label, metrics, mapping) is not None
        ))
        kind, known = parsed_fields(body, column, read.get, {"metric_kind": ("kind", pl.String), "metric_known": ("known", pl.Boolean)})
        facts |= {"metric": kind, "metric_known": known.fill_null(False)}
        suspect |= pl.col(column).is_in([label for label, fact in read.items() if not fact.known])
    if "district" in layout.roles:
        column = f"column_{layout.roles['district']}"
        read = _label_facts(distinct[column], lambda label: _LabelFacts(
            "total" if is_total(label) else None, gazetteer.resolve(label) is not None
        ))
        kind, known = parsed_fields(body, column, read.get, {"district_kind": ("kind", pl.String), "district_known": ("known", pl.Boolean)})
        facts |= {"district_total": kind.is_not_null(), "district_known": known.fill_null(False)}
        suspect |= pl.col(column).is_in([label for label, fact in read.items() if fact.kind])
    period_total = pl.lit(False)
    if "period" in layout.roles:  # months as rows end with a 'Cộng' or 'Tổng' row
        column = f"column_{layout.roles['period']}"
        totals = [label for label in distinct[column] if is_total(label)]
        period_total = pl.col(column).is_in(totals)
        suspect |= period_total
    footer = pl.col("source_row") >= _footer_start(body, distinct, values)
    suspect |= footer
    numbering = pl.col("source_row").is_in(_numbering_rows(body, layout, cells))
    suspect |= numbering
    label_known = facts["metric_known"] if label_role == "metric" else facts["district_known"]
    has_period = _cell(layout, "period").is_not_null()
    structure_kind = (
        pl.when(numbering).then(pl.lit("numbering"))
        .when(footer).then(pl.lit("footer"))
        .when(~facts["metric_known"] & (facts["metric"] == "total")).then(pl.lit("total"))
        .when(facts["district_total"]).then(pl.lit("total"))
        .when(period_total).then(pl.lit("total"))
        .when(~facts["metric_known"] & facts["metric"].is_not_null()).then(facts["metric"])
        .when(~pl.col("has_figure") & ~has_period & ~label_known).then(pl.lit("heading"))
    )
    label_cell = _cell(layout, label_role) if label_role else CATEGORICAL_NULL
    trigger = (
        pl.when(footer).then(pl.concat_str([pl.col(c).cast(pl.String) for c in cells], separator=" ", ignore_nulls=True))
        .when(facts["district_total"]).then(_cell(layout, "district").cast(pl.String))
        .when(period_total).then(_cell(layout, "period").cast(pl.String))
        .otherwise(label_cell.cast(pl.String))
    )
    suspects = body.filter(suspect.fill_null(False))
    # the label that made a row structural, as text: cast for those few rows only, not millions of figures
    structural = suspects.with_columns(structure_kind.alias("structure_kind")).filter(
        pl.col("structure_kind").is_not_null()
    ).with_columns(trigger.alias("structure_label"))
    records = _structure_records(structural, table, layout, cells)
    if structural.height:
        body = body.filter(~pl.col("source_row").is_in(structural.get_column("source_row").implode()))
    return body.drop("has_figure"), records


def _footer_start(body: pl.DataFrame, distinct: dict[str, list[str]], values: list[str]) -> int:
    """The line where the report's signature block begins ('Người lập biểu', 'Nơi nhận:' in a label column);
    beyond the last line when there is none. A line with a number in a value cell is a figure's, never the
    signature's. `distinct` holds each label column's distinct values."""
    signed = {c: [v for v in labels if is_signature(v)] for c, labels in distinct.items()}
    signed = {c: found for c, found in signed.items() if found}
    if not signed:
        return 2**31 - 1
    candidates = body.filter(pl.any_horizontal([pl.col(c).is_in(found) for c, found in signed.items()]))
    for row in candidates.select("source_row", *values).iter_rows(named=True):
        if not any(is_number(row[v]) for v in values):
            return row["source_row"]
    return 2**31 - 1


def _label_facts(labels: list[str], read: Callable[[str], _LabelFacts]) -> dict[str, _LabelFacts]:
    """What each distinct label of a column says about its rows."""
    return {label: read(label) for label in labels}


def _blank(column: str, labels: list[str]) -> pl.Expr:
    """Flag empty cells of a label column, through its few distinct values, not millions of strings."""
    spaces = [value for value in labels if not value.strip()]
    return pl.col(column).is_null() | pl.col(column).is_in(spaces)


def _numbering_rows(body: pl.DataFrame, layout: Layout, cells: list[str]) -> list[int]:
    """Find rows of column codes under the header ('A | B | 1 | 2' or '(1) | (2) | (3)'); only rows whose label is a code."""
    label = layout.roles.get("metric", layout.roles.get("district"))
    if label is None:
        return []
    codes = [value for value in body.get_column(f"column_{label}").drop_nulls().unique().to_list() if is_column_code(value)]
    candidates = body.filter(pl.col(f"column_{label}").is_in(codes)) if codes else body.clear()
    return [
        row["source_row"] for row in candidates.select("source_row", *cells).iter_rows(named=True)
        if all(is_column_code(row[c]) for c in cells)
    ]


def _structure_records(rows: pl.DataFrame, table: Table, layout: Layout, cells: list[str]) -> pl.DataFrame:
    """One record per structural row: where it is, what kind, the label that says so and every cell by header."""
    names = _cell_names(layout, cells)
    records = [
        {
            "source_sheet": table.sheet,
            "source_row": row["source_row"],
            "rule": row["structure_kind"],
            "label": row["structure_label"],
            "raw_row": json.dumps({names[c]: row[c] for c in cells if row[c]}, ensure_ascii=False),
        }
        for row in rows.iter_rows(named=True)
    ]
    return pl.DataFrame(records, schema=STRUCTURE_SCHEMA)


def _cell_names(layout: Layout, cells: list[str]) -> dict[str, str]:
    names = {f"column_{position}": header for role, header in layout.headers.items() if (position := layout.roles[role]) is not None}
    names |= {f"column_{c.position}": c.header for c in layout.values}
    return {cell: names.get(cell, cell.replace("column_", "cột ")) for cell in cells}


def _figures(rows: pl.DataFrame, table: Table, layout: Layout, mapping: Mapping | None) -> pl.DataFrame:
    """Melt the value columns into one row per figure, each field taken from the row, else its column, else the title."""
    title = layout.title
    by_name = {f"column_{c.position}": c for c in layout.values}
    row_fields = [
        pl.col("source_row"),
        *[_cell(layout, role).alias(f"{role}_cell") for role in ("district", "metric", "period", "unit", "cumulative", "year", "note")],
        _cell(layout, "annual_plan").cast(pl.String).alias("annual_plan_raw"),
    ]
    if len(by_name) == 1:
        (name,) = by_name
        melted = rows.select(*row_fields, pl.col(name).alias("value_raw"), pl.lit(name).alias("value_column"))
    else:
        melted = (
            rows.select(*row_fields, *[pl.col(name) for name in by_name])
            .unpivot(on=list(by_name), index=[e.meta.output_name() for e in row_fields], variable_name="value_column", value_name="value_raw")
            .sort("source_row", maintain_order=True)  # stable: figures of a row stay in column order
        )

    def attribute(field: str) -> list[pl.Expr]:
        values = {name: getattr(column, field) for name, column in by_name.items()}
        if not any(value is not None for value in values.values()):
            return []
        if len(set(values.values())) == 1:
            return [pl.lit(next(iter(values.values()))).cast(pl.Categorical)]
        return [pl.col("value_column").replace_strict(values, default=None, return_dtype=pl.String).cast(pl.Categorical)]

    def first_of(*sources) -> pl.Expr:
        """Coalesce the sources that exist (a long file has no column or title values: no copy then)."""
        present = [source for source in sources if isinstance(source, pl.Expr)] + [
            pl.lit(source).cast(pl.Categorical) for source in sources if isinstance(source, str)
        ]
        return pl.coalesce(present) if len(present) > 1 else present[0] if present else CATEGORICAL_NULL

    def file_wide(role: str, value: str | None) -> str | None:
        # A title or mapping speaks for the whole file only when the file has no column for it: a blank
        # cell in a Chỉ tiêu/Tháng/Quận column stays blank (and is reported), it is not filled by a guess.
        return None if role in layout.roles else value

    default_metric = file_wide("metric", (mapping.metric if mapping else None) or title.metric)
    cumulative = {name: column.cumulative for name, column in by_name.items()}
    return melted.select(
        pl.lit(table.sheet, pl.String).alias("source_sheet"),
        "source_row",
        first_of(*attribute("header")).alias("source_column"),
        first_of(pl.col("district_cell"), *attribute("district"), file_wide("district", title.district)).alias("district_raw"),
        first_of(pl.col("metric_cell"), *attribute("metric"), default_metric).alias("metric_raw"),
        first_of(_with_year(layout), *attribute("period"), file_wide("period", title.period_label)).alias("period_raw"),
        "value_raw",
        pl.col("unit_cell"),
        first_of(*attribute("unit"), title.unit, mapping.unit if mapping else None).alias("unit_default"),
        pl.col("cumulative_cell").alias("cumulative_raw"),
        pl.col("note_cell"),
        (pl.col("value_column").replace_strict(cumulative, default=None, return_dtype=pl.Boolean)
         if any(v is not None for v in cumulative.values()) else pl.lit(None, pl.Boolean)).alias("column_cumulative"),
        "annual_plan_raw",
        pl.lit("cumulative" in layout.roles).alias("has_cumulative_column"),
    ).with_columns(pl.col("value_raw").cast(pl.String))


def _with_year(layout: Layout) -> pl.Expr:
    """A row's period cell, completed by its 'Năm' cell when it has none of its own: ('9', '2024') -> '9 năm 2024'."""
    if "year" not in layout.roles or "period" not in layout.roles:
        return pl.col("period_cell")
    period, year = pl.col("period_cell").cast(pl.String), pl.col("year_cell").cast(pl.String)
    return (
        pl.when(year.is_null() | period.str.contains(r"(?:19|20)\d\d")).then(period)
        .otherwise(pl.concat_str(period, pl.lit(" năm "), year))
        .cast(pl.Categorical)
    )


@dataclass(frozen=True)
class NoteFacts:
    """What a row's note says of its figures: preliminary, and the month it names (None: all of the row's)."""

    preliminary: bool
    month: int | None
    year: int | None


_NOTE_PRELIMINARY = re.compile(r"\b(?P<negated>(?:khong|chua) (?:phai )?(?:la )?)?(?:so lieu )?so bo\b")
# folded: 'tháng 10/2024' reads 'thang 10 2024', 'tháng 10 năm 2024' 'thang 10 nam 2024'
_NOTE_MONTH = re.compile(r"\bthang (?P<month>1[0-2]|0?[1-9])\b(?:\s*[/ ]\s*(?:nam\s+)?(?P<year>(?:19|20)\d\d)\b)?")


def note_says(note: str) -> NoteFacts | None:
    """Read a 'Ghi chú' cell: 'Số liệu tháng 10 là sơ bộ' -> preliminary, month 10; 'Sơ bộ' -> the whole row;
    'Không phải số liệu sơ bộ' or any other note -> None (nothing flagged)."""
    folded = label_key(note)
    said = _NOTE_PRELIMINARY.search(folded)
    if said is None or said.group("negated"):
        return None
    months = list(_NOTE_MONTH.finditer(folded))
    if not months:
        return NoteFacts(True, None, None)  # no month named: every figure of the row
    # the month it speaks of: the last named before 'sơ bộ' ('tháng 9 chính thức, tháng 10 sơ bộ'), else the first after
    before = [m for m in months if m.start() < said.start()]
    named = before[-1] if before else months[0]
    return NoteFacts(True, int(named.group("month")), int(named.group("year")) if named.group("year") else None)


def resolve_metric(label: str, metrics: MetricResolver, mapping: Mapping | None = None):
    """Resolve a row label to a metric: the department's mapping first, then the catalogue; list numbers ignored.

    A label ending in its unit names the metric without it: 'Thu ngân sách nhà nước (tỷ đồng)'. Only a unit is
    taken off: '(không kể tiền sử dụng đất)' changes what is counted, and such a label stays unknown.
    """
    bare = strip_numbering(label)
    found = _resolve_label(bare, metrics, mapping) or metrics.resolve(label)
    if found is None:
        name, unit = split_unit(bare)
        found = _resolve_label(name, metrics, mapping) if unit else None
    return found


def _resolve_label(label: str, metrics: MetricResolver, mapping: Mapping | None):
    if mapping is not None and (code := mapping.rows.get(label_key(label))):
        return metrics.resolve(code)
    return metrics.resolve(label)


def _label_unit(label: str):
    """The unit a row label ends in ('Cấp giấy phép xây dựng (giấy phép)' -> count), None without one."""
    _, unit = split_unit(strip_numbering(label))
    return _unit_or_none(unit) if unit else None


def parse_cells(
    frame: pl.DataFrame, *, gazetteer: Gazetteer, metrics: MetricResolver, mapping: Mapping | None, year: int | None,
    preliminary_month: date | None = None,
) -> pl.DataFrame:
    """Add parsed columns next to the raw ones; a cell that cannot be parsed becomes null, never a guess."""
    mapped_basis = {"ytd": True, "month": False}.get(mapping.basis) if mapping and mapping.basis else None
    cat = pl.Categorical
    frame, value_text = _percent_signs(frame)
    number, missing = read_numbers(frame, value_text)
    plan_number, _ = read_numbers(frame, "annual_plan_raw")
    frame = frame.with_columns(
        *parsed_fields(frame, "district_raw", gazetteer.resolve, {"unit_id": ("id", cat), "district": ("name", cat)}),
        *parsed_fields(frame, "metric_raw", lambda label: resolve_metric(label, metrics, mapping), {
            "metric": ("code", cat), "metric_unit": ("unit", cat), "metric_is_ytd": ("is_ytd", pl.Boolean),
        }),
        *parsed_fields(frame, "period_raw", lambda label: _period_or_none(label, year), {
            # Each distinct period label is read once, with the month its figures sit at and their as-of date:
            # computing those over millions of dates cost ~0.5 s per 5 M figures.
            "month_start": ("figure_month", pl.Date), "as_of": ("as_of", pl.Date), "period_months": ("months", pl.Int8),
            "period_cumulative": ("is_cumulative", pl.Boolean), "is_preliminary": ("is_preliminary", pl.Boolean),
        }),
        *parsed_fields(frame, "unit_cell", _unit_or_none, {"cell_unit": ("unit", cat), "cell_factor": ("factor", pl.Float64)}),
        *parsed_fields(frame, "metric_raw", _label_unit, {"label_unit": ("unit", cat), "label_factor": ("factor", pl.Float64)}),
        *parsed_fields(frame, "unit_default", _unit_or_none, {"default_unit": ("unit", cat), "default_factor": ("factor", pl.Float64)}),
        missing.alias("value_missing"),
        number.alias("number"),
        plan_number.alias("annual_plan_number"),
        # In the 'x or empty' convention an empty cell means 'not cumulative'.
        pl.when(pl.col("cumulative_raw").is_null()).then(False)
        .otherwise(map_unique(frame, "cumulative_raw", _flag, pl.Boolean)).alias("row_cumulative"),
    )
    preliminary = pl.col("is_preliminary").fill_null(False)
    if preliminary_month is not None:
        preliminary = preliminary | (pl.col("month_start") == preliminary_month).fill_null(False)
    note = parsed_fields(frame, "note_cell", note_says, {"note_preliminary": ("preliminary", pl.Boolean), "note_month": ("month", pl.Int8), "note_year": ("year", pl.Int16)})
    if not all(field.meta.is_literal(allow_aliasing=True) for field in note):  # no note says so: nothing to do
        frame = frame.with_columns(*note)
        # a note naming a month ('số liệu tháng 10 là sơ bộ') flags that month's figure of the row, else all of them
        named = pl.col("note_month").is_null() | (
            (pl.col("month_start").dt.month() == pl.col("note_month"))
            & (pl.col("note_year").is_null() | (pl.col("month_start").dt.year() == pl.col("note_year")))
        )
        preliminary = preliminary | (pl.col("note_preliminary") & named).fill_null(False)
    frame = frame.with_columns(*_units(), *_basis(mapped_basis)).with_columns(preliminary.alias("is_preliminary"))
    scaled = pl.col("number") * pl.col("factor")
    plan = pl.col("annual_plan_number") * pl.col("factor")
    is_vnd = pl.col("unit") == "VND"
    return frame.with_columns(
        pl.when(is_vnd).then(scaled.round(0)).otherwise(scaled).alias("value"),
        pl.when(is_vnd).then(plan.round(0)).otherwise(plan).alias("annual_plan"),
    ).drop(
        "unit_cell", "unit_default", "cell_unit", "cell_factor", "label_unit", "label_factor", "default_unit", "default_factor", "row_cumulative",
        "column_cumulative", "period_cumulative", "period_months", "percent_sign", "has_cumulative_column",
        "metric_is_ytd", "factor", "value_text", "note_cell", "note_preliminary", "note_month", "note_year", strict=False,
    )


def _percent_signs(frame: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Read '85,2%' as 85.2 in percent: add `percent_sign` and return the column of numbers to read.

    A figure written with a percent sign is a percentage whatever its row says, so a % figure of a metric in
    đồng is a unit mismatch, reported, not loaded. Files without a '%' (one fast scan) are not copied.
    """
    raw = frame.get_column("value_raw")
    if not raw.str.contains("%", literal=True).any():
        return frame.with_columns(pl.lit(False).alias("percent_sign")), "value_raw"
    signed = raw.str.contains(r"\d\s*%\s*$")
    return frame.with_columns(
        signed.alias("percent_sign"),
        pl.when(signed).then(raw.str.replace(r"\s*%\s*$", "")).otherwise(raw).alias("value_text"),
    ), "value_text"


def _units() -> list[pl.Expr]:
    """Pick each figure's unit: a percent sign in its cell, else the row's unit cell, else the unit its label ends
    in, else a header/title/mapping unit of the metric's kind, else the metric's own count or %."""
    metric_unit = pl.col("metric_unit")
    from_cell = pl.col("unit_cell").is_not_null()
    from_label = pl.col("label_unit").is_not_null()
    default_fits = pl.col("default_unit") == metric_unit
    needs_no_scale = metric_unit.is_in(["count", "percent"])

    def pick(sign: pl.Expr, cell: str, label: str, default: str, own: pl.Expr) -> pl.Expr:
        return (
            pl.when(pl.col("percent_sign")).then(sign)
            .when(from_cell).then(pl.col(cell))
            .when(from_label).then(pl.col(label))
            .when(default_fits).then(pl.col(default))
            .when(needs_no_scale).then(own)
            .otherwise(pl.col(default))
        )

    return [
        pick(pl.lit("percent", pl.Categorical), "cell_unit", "label_unit", "default_unit", metric_unit).alias("unit"),
        pick(pl.lit(1.0), "cell_factor", "label_factor", "default_factor", pl.lit(1.0)).alias("factor"),
        pick(pl.lit("%", pl.Categorical), "unit_cell", "metric_raw", "unit_default", CATEGORICAL_NULL).alias("unit_raw"),
    ]


def _basis(mapped_basis: bool | None) -> list[pl.Expr]:
    """Decide month, ytd or quarter: the row's Lũy kế cell, else the period's own words, else the mapping, else the metric."""
    stated = pl.coalesce("period_cumulative", "column_cumulative", pl.lit(mapped_basis, pl.Boolean))
    cumulative = pl.when(pl.col("has_cumulative_column")).then(pl.col("row_cumulative")).otherwise(stated)
    is_ytd = pl.when(pl.col("has_cumulative_column")).then(pl.col("row_cumulative")).otherwise(
        pl.coalesce(stated, "metric_is_ytd")
    )
    return [
        # A quarter is the quarter's own figure unless the file says it is cumulative.
        pl.when(pl.col("has_cumulative_column") & pl.col("row_cumulative").is_null()).then(pl.lit(None, pl.String))
        .when(pl.col("period_months") == 3)
        .then(pl.when(cumulative.fill_null(False)).then(pl.lit("ytd")).otherwise(pl.lit("quarter")))
        .when(is_ytd).then(pl.lit("ytd"))
        .when(is_ytd.not_()).then(pl.lit("month"))
        .cast(pl.Categorical)
        .alias("basis"),
    ]


def _unit_or_none(label: str):
    try:
        return parse_unit(label)
    except NumberFormatError:
        return None


def _period_or_none(label: str, year: int | None):
    """Read a period cell, header or title line ('BÁO CÁO THÁNG 02/2024' names 2024-02); None when it names none."""
    try:
        return parse_period(label, year)
    except PeriodFormatError:
        return find_period(label)


def _flag(label: str) -> bool | None:
    key = role_key(label)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None
