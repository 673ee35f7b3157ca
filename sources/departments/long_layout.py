"""Parse a long department CSV (one figure per row) into typed columns, keeping every raw cell beside its parse."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Protocol

import polars as pl

from sources.departments.columns import is_missing_expr, map_unique, number_expr
from sources.gazetteer import Gazetteer
from sources.numbers import NumberFormatError, parse_unit
from sources.periods import PeriodFormatError, parse_month
from sources.text import fold


class UnreadableFile(ValueError):
    """Raised when a file cannot be read at all; the message names the file and the reason."""


class MetricLike(Protocol):
    code: str
    unit: str
    is_ytd: bool


class MetricResolver(Protocol):
    def resolve(self, label: str) -> MetricLike | None: ...


# Header labels per role, folded (no diacritics, lower case, punctuation as spaces).
HEADER_ROLES: dict[str, tuple[str, ...]] = {
    "district": ("quan huyen", "quan huyen thi xa", "district", "quan", "huyen", "dia ban", "don vi hanh chinh"),
    "metric": ("chi tieu", "ten chi tieu", "metric", "indicator"),
    "period": ("thang", "ky", "ky bao cao", "thoi gian", "period", "month"),
    "value": ("gia tri", "so lieu", "thuc hien", "value"),
    "unit": ("don vi tinh", "dvt", "unit"),
    "cumulative": ("luy ke", "cong don", "cumulative", "ytd"),
    "annual_plan": ("ke hoach nam", "ke hoach", "du toan nam", "du toan", "annual plan", "plan"),
}
REQUIRED_ROLES = ("district", "metric", "period", "value")
_ROLE_BY_LABEL = {label: role for role, labels in HEADER_ROLES.items() for label in labels}

_YES = {"co", "x", "true", "1", "yes", "y", "luy ke", "ytd", "c"}
_NO = {"khong", "", "false", "0", "no", "n", "k", "thang", "month"}


@dataclass(frozen=True)
class ParsedFile:
    """A department file parsed into one row per figure, raw cells kept, nothing validated yet."""

    name: str
    encoding: str
    delimiter: str
    header_line: int
    columns: dict[str, str]  # role -> header as written
    frame: pl.DataFrame


def header_key(label: str) -> str:
    """Fold a header for role matching: 'Quận/Huyện' -> 'quan huyen', 'Đơn vị tính' -> 'don vi tinh'."""
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", fold(label)).split())


def match_header(cells: list[str]) -> dict[str, int]:
    """Map roles to column positions for a header row: ['Quận/huyện', 'Chỉ tiêu', …] -> {'district': 0, …}."""
    roles: dict[str, int] = {}
    for position, cell in enumerate(cells):
        role = _ROLE_BY_LABEL.get(header_key(cell))
        if role and role not in roles:
            roles[role] = position
    return roles


def decode(name: str, content: bytes) -> tuple[str, str]:
    """Decode a UTF-8 file with or without BOM; return (text, encoding)."""
    try:
        if content.startswith(b"\xef\xbb\xbf"):
            return content[3:].decode("utf-8"), "utf-8-sig"
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{name}: not UTF-8 text (byte {error.start}: {error.reason})") from None


def sniff_delimiter(sample: str) -> str:
    """Pick the delimiter among comma, semicolon and tab that splits the first lines most consistently."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in ",;\t"}
        return max(counts, key=counts.get)


def find_header(name: str, rows: list[list[str]]) -> tuple[int, dict[str, int]]:
    """Return the index of the first row that names every required role, with its role positions."""
    for index, cells in enumerate(rows):
        roles = match_header(cells)
        if all(role in roles for role in REQUIRED_ROLES):
            return index, roles
    wanted = ", ".join("|".join(HEADER_ROLES[role][:2]) for role in REQUIRED_ROLES)
    first = " | ".join(rows[0]) if rows else "(empty file)"
    raise UnreadableFile(f"{name}: no header row with the columns {wanted} (first row: {first})")


def parse_department_file(
    name: str, content: bytes, *, gazetteer: Gazetteer, metrics: MetricResolver
) -> ParsedFile:
    """Parse a long-layout department CSV into typed columns beside the raw cells."""
    text, encoding = decode(name, content)
    delimiter = sniff_delimiter("\n".join(text.splitlines()[:20]))
    head_rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[:50])), delimiter=delimiter))
    header_index, roles = find_header(name, head_rows)
    raw = pl.read_csv(
        io.StringIO(text), separator=delimiter, has_header=False, skip_rows=header_index + 1,
        infer_schema=False, truncate_ragged_lines=True, quote_char='"',
    )
    raw_columns = {role: raw.columns[position] for role, position in roles.items() if position < raw.width}
    frame = raw.select(
        (pl.int_range(pl.len(), dtype=pl.Int64) + header_index + 2).alias("source_row"),
        *[
            (pl.col(raw_columns[role]) if role in raw_columns else pl.lit(None, pl.String)).alias(f"{role}_raw")
            for role in HEADER_ROLES
        ],
    )
    frame = frame.filter(~pl.all_horizontal(pl.exclude("source_row").is_null()))
    header_cells = head_rows[header_index]
    return ParsedFile(
        name=name, encoding=encoding, delimiter=delimiter, header_line=header_index + 1,
        columns={role: header_cells[position] for role, position in roles.items()},
        frame=parse_cells(frame, gazetteer=gazetteer, metrics=metrics, has_cumulative="cumulative" in roles),
    )


def parse_cells(frame: pl.DataFrame, *, gazetteer: Gazetteer, metrics: MetricResolver, has_cumulative: bool) -> pl.DataFrame:
    """Add parsed columns next to the raw ones; a cell that cannot be parsed becomes null, never a guess."""
    metric_of = {label: metrics.resolve(label) for label in frame["metric_raw"].drop_nulls().unique()}
    unit_of = {label: _unit_or_none(label) for label in frame["unit_raw"].drop_nulls().unique()}
    frame = frame.with_columns(
        map_unique(frame, "district_raw", lambda label: _unit_field(gazetteer, label, "id"), pl.String).alias("unit_id"),
        map_unique(frame, "district_raw", lambda label: _unit_field(gazetteer, label, "name"), pl.String).alias("district"),
        pl.col("metric_raw").replace_strict({k: m.code if m else None for k, m in metric_of.items()}, default=None, return_dtype=pl.String).alias("metric"),
        pl.col("metric_raw").replace_strict({k: m.unit if m else None for k, m in metric_of.items()}, default=None, return_dtype=pl.String).alias("metric_unit"),
        pl.col("metric_raw").replace_strict({k: m.is_ytd if m else None for k, m in metric_of.items()}, default=None, return_dtype=pl.Boolean).alias("metric_is_ytd"),
        map_unique(frame, "period_raw", _month_or_none, pl.Date).alias("month_start"),
        map_unique(frame, "period_raw", _preliminary, pl.Boolean).fill_null(False).alias("is_preliminary"),
        pl.col("unit_raw").replace_strict({k: u.unit if u else None for k, u in unit_of.items()}, default=None, return_dtype=pl.String).alias("unit"),
        pl.col("unit_raw").replace_strict({k: float(u.factor) if u else None for k, u in unit_of.items()}, default=None, return_dtype=pl.Float64).alias("factor"),
        is_missing_expr("value_raw").alias("value_missing"),
        number_expr("value_raw").alias("number"),
        number_expr("annual_plan_raw").alias("annual_plan_number"),
        # In the 'x or empty' convention an empty cell means 'not cumulative'.
        pl.when(pl.col("cumulative_raw").is_null()).then(False)
        .otherwise(map_unique(frame, "cumulative_raw", _flag, pl.Boolean)).alias("cumulative"),
    )
    # Without a unit column a count or percent needs none; an amount in đồng must say its scale.
    frame = frame.with_columns(
        pl.when(pl.col("unit_raw").is_null() & pl.col("metric_unit").is_in(["count", "percent"]))
        .then(pl.col("metric_unit")).otherwise(pl.col("unit")).alias("unit"),
        pl.when(pl.col("unit_raw").is_null() & pl.col("metric_unit").is_in(["count", "percent"]))
        .then(1.0).otherwise(pl.col("factor")).alias("factor"),
        (pl.col("cumulative") if has_cumulative else pl.col("metric_is_ytd")).alias("is_ytd"),
    )
    scaled = pl.col("number") * pl.col("factor")
    return frame.with_columns(
        pl.when(pl.col("unit") == "VND").then(scaled.round(0)).otherwise(scaled).alias("value"),
        pl.when(pl.col("unit") == "VND")
        .then((pl.col("annual_plan_number") * pl.col("factor")).round(0))
        .otherwise(pl.col("annual_plan_number") * pl.col("factor")).alias("annual_plan"),
        pl.when(pl.col("is_ytd")).then(pl.lit("ytd")).when(pl.col("is_ytd").not_()).then(pl.lit("month")).alias("basis"),
    ).drop("is_ytd")


def _unit_field(gazetteer: Gazetteer, label: str, field: str) -> str | None:
    unit = gazetteer.resolve(label)
    return getattr(unit, field) if unit else None


def _unit_or_none(label: str):
    try:
        return parse_unit(label)
    except NumberFormatError:
        return None


def _month_or_none(label: str):
    try:
        return parse_month(label).month_start
    except PeriodFormatError:
        return None


def _preliminary(label: str) -> bool | None:
    try:
        return parse_month(label).is_preliminary
    except PeriodFormatError:
        return None


def _flag(label: str) -> bool | None:
    key = header_key(label)
    if key in _YES:
        return True
    if key in _NO:
        return False
    return None
