"""The extractor's output: one fact per reported KPI figure, and the article it was read from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sources.news.comparisons import PlanRatio


@dataclass(frozen=True)
class Fact:
    """One reported figure of a catalogued metric, in base units, with the sentence it was read from."""

    district: str | None
    metric: str
    value: int | float  # whole đồng, a count, or a percentage as a number
    unit: str  # VND | count | percent
    qualifier: str | None  # more_than | about | estimate
    as_of: date | None
    period: str  # ytd | month | quarter | half_year | year | other
    pct_of_plan: float | None
    plan_ratios: tuple[PlanRatio, ...]
    pct_of_same_period: float | None
    growth_pct: float | None
    is_target: bool
    evidence: str
    start: int
    end: int

    def to_dict(self) -> dict:
        """Return JSON-ready values: dates as ISO strings, plan ratios as objects."""
        return {
            "district": self.district, "metric": self.metric, "value": self.value, "unit": self.unit,
            "qualifier": self.qualifier, "as_of": self.as_of.isoformat() if self.as_of else None,
            "period": self.period, "pct_of_plan": self.pct_of_plan,
            "plan_ratios": [ratio.to_dict() for ratio in self.plan_ratios],
            "pct_of_same_period": self.pct_of_same_period, "growth_pct": self.growth_pct,
            "is_target": self.is_target, "evidence": self.evidence, "start": self.start, "end": self.end,
        }


@dataclass
class Article:
    """An article's text (as given, or as extracted from HTML), its title, publication date and facts."""

    title: str | None
    published: date | None
    text: str
    facts: list[Fact] = field(default_factory=list)
