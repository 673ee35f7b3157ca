"""Load the per-department mapping files (contracts/mappings/*.toml) and check them against the catalogue."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from contracts.catalogue import metric_catalogue
from sources.departments.mapping import BASES, ROLES, Mapping, label_key
from sources.numbers import NumberFormatError, parse_unit

MAPPINGS_DIR = Path(__file__).with_name("mappings")
_KEYS = {"department", "name", "match", "defaults", "columns", "rows", "skip_rows"}


class MappingError(ValueError):
    """Raised when a mapping file is wrong; the message names the file and the key."""


def read_mapping(path: Path) -> Mapping:
    """Read and check one mapping file: every metric code catalogued, every role known, the unit readable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path}: {error}") from error
    unknown = set(data) - _KEYS
    if unknown or "department" not in data:
        raise MappingError(f"{path}: needs 'department'; unknown keys {sorted(unknown)} (allowed: {sorted(_KEYS)})")
    catalogue = metric_catalogue()
    match, defaults = data.get("match", {}), data.get("defaults", {})

    def metric_code(where: str, code: str) -> str:
        metric = catalogue.resolve(code)
        if metric is None or metric.code != code:
            raise MappingError(f"{path}: {where} = {code!r} is not a metric code of contracts/reference/metrics.toml")
        return code

    columns = {}
    for label, target in data.get("columns", {}).items():
        columns[label_key(label)] = target if target in ROLES else metric_code(f"columns.{label!r}", target)
    rows = {label_key(label): metric_code(f"rows.{label!r}", code) for label, code in data.get("rows", {}).items()}
    if defaults.get("basis") not in (None, *BASES):
        raise MappingError(f"{path}: defaults.basis must be one of {BASES}")
    if "unit" in defaults:
        try:
            parse_unit(defaults["unit"])
        except NumberFormatError as error:
            raise MappingError(f"{path}: defaults.unit: {error}") from None
    return Mapping(
        department=data["department"],
        name=data.get("name", data["department"]),
        file_names=tuple(match.get("file_names", ())),
        keywords=tuple(label_key(keyword) for keyword in match.get("keywords", ())),
        columns=columns,
        rows=rows,
        skip_rows=tuple(label_key(label) for label in data.get("skip_rows", ())),
        unit=defaults.get("unit"),
        basis=defaults.get("basis"),
        metric=metric_code("defaults.metric", defaults["metric"]) if "metric" in defaults else None,
    )


@cache
def department_mappings() -> tuple[Mapping, ...]:
    """Load every mapping file of MAPPINGS_DIR in file-name order (the first that matches a file is used)."""
    return tuple(read_mapping(path) for path in sorted(MAPPINGS_DIR.glob("*.toml")))
