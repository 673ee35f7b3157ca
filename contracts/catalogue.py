"""Load the reference catalogues (metrics, administrative units) that contracts and the warehouse share."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sources.gazetteer import Gazetteer, Unit
from sources.text import fold

REFERENCE_DIR = Path(__file__).with_name("reference")


@dataclass(frozen=True)
class Metric:
    """One catalogued metric."""

    code: str
    label_vi: str
    label_en: str
    unit: str
    is_ytd: bool
    additive: bool
    aliases: tuple[str, ...]
    freshness_days: int  # a series lagging the warehouse's newest figure by more is late


class MetricCatalogue:
    """Resolve metric labels, aliases or codes written in any case or diacritics to catalogue codes."""

    def __init__(self, metrics: list[Metric]):
        self.metrics = {metric.code: metric for metric in metrics}
        self._by_key: dict[str, str] = {}
        for metric in metrics:
            for label in (metric.code, metric.label_vi, metric.label_en, *metric.aliases):
                self._by_key.setdefault(_label_key(label), metric.code)

    def resolve(self, label: str) -> Metric | None:
        """Return the metric a label names: 'Thu NSNN' -> budget_revenue; unknown -> None."""
        code = self._by_key.get(_label_key(label))
        return self.metrics[code] if code else None

    def search(self, text: str) -> Metric | None:
        """Return the metric whose longest label appears as whole words in a title: 'BÁO CÁO THU NGÂN SÁCH THÁNG 10' -> budget_revenue."""
        key = f" {_label_key(text)} "
        found = [label for label in self._by_key if len(label) > 4 and f" {label} " in key]
        return self.metrics[self._by_key[max(found, key=len)]] if found else None

    def suggest(self, label: str, limit: int = 3) -> list[str]:
        """Name the metrics whose labels are closest to an unknown one: 'Thu ngan sachh' -> ['Thu ngân sách … (budget_revenue)']."""
        close = difflib.get_close_matches(_label_key(label), list(self._by_key), n=limit * 3, cutoff=0.7)
        codes = list(dict.fromkeys(self._by_key[key] for key in close))[:limit]
        return [f"{self.metrics[code].label_vi} ({code})" for code in codes]

    def __iter__(self):
        return iter(self.metrics.values())


def _label_key(label: str) -> str:
    return " ".join(fold(label).replace("_", " ").replace("-", " ").replace(",", " ").split())


def _load(name: str) -> dict:
    with (REFERENCE_DIR / name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def metric_catalogue() -> MetricCatalogue:
    """Load contracts/reference/metrics.toml."""
    metrics = [
        Metric(
            code=row["code"], label_vi=row["label_vi"], label_en=row["label_en"], unit=row["unit"],
            is_ytd=row["is_ytd"], additive=row["additive"], aliases=tuple(row.get("aliases", ())),
            freshness_days=row["freshness_days"],
        )
        for row in _load("metrics.toml")["metric"]
    ]
    return MetricCatalogue(metrics)


@cache
def gazetteer() -> Gazetteer:
    """Load contracts/reference/units.toml as a gazetteer."""
    units = [
        Unit(
            id=row["id"], name=row["name"], type=row["type"], province=row["province"],
            valid_from=row.get("valid_from"), valid_to=row.get("valid_to"), aliases=tuple(row.get("aliases", ())),
            note=row.get("note"),
        )
        for row in _load("units.toml")["unit"]
    ]
    return Gazetteer(units)
