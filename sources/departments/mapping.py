"""Declarative per-department mappings: how to recognise a department's files and what its labels mean."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sources.text import fold

ROLES = ("district", "metric", "period", "value", "unit", "cumulative", "annual_plan", "number", "year")
BASES = ("month", "ytd")


def label_key(label: str) -> str:
    """Fold a label for matching: 'Quận/Huyện' -> 'quan huyen', 'I. Thu NSNN:' -> 'i thu nsnn'."""
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", fold(label)).split())


@dataclass(frozen=True)
class Mapping:
    """One department's reading rules; every label key is folded with `label_key`."""

    department: str  # code stored with every observation, e.g. 'tai_chinh_ke_hoach'
    name: str  # the department's name as people write it
    file_names: tuple[str, ...] = ()  # glob patterns on the folded file name: '*tai_chinh*'
    keywords: tuple[str, ...] = ()  # folded phrases found in title lines or headers: 'phong tai chinh'
    columns: dict[str, str] = field(default_factory=dict)  # header key -> role or metric code
    rows: dict[str, str] = field(default_factory=dict)  # row label key -> metric code
    skip_rows: tuple[str, ...] = ()  # row label keys that are breakdowns, not KPIs (counted as skipped)
    unit: str | None = None  # unit when neither the row, the header nor a title line names one
    basis: str | None = None  # month | ytd, when the file does not say
    metric: str | None = None  # metric code when the file has no metric column (districts as rows)

    def matches_name(self, file_name: str) -> bool:
        """Tell whether the file name follows one of the department's naming patterns."""
        key = fold(file_name)
        return any(fnmatch.fnmatch(key, pattern) for pattern in self.file_names)

    def matches_text(self, text: str) -> bool:
        """Tell whether one of the department's keywords appears in the (folded) head of the file."""
        key = f" {label_key(text)} "
        return any(f" {keyword} " in key for keyword in self.keywords)


def select_mapping(file_name: str, head_text: str, mappings: Iterable[Mapping]) -> Mapping | None:
    """Return the mapping whose file-name pattern matches, else the first whose keyword is in the head, else None."""
    mappings = list(mappings)
    by_name = [mapping for mapping in mappings if mapping.matches_name(file_name)]
    if by_name:
        return by_name[0]
    by_text = [mapping for mapping in mappings if mapping.matches_text(head_text)]
    return by_text[0] if by_text else None
