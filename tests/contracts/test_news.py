from datetime import date

import pytest

from contracts.catalogue import gazetteer
from contracts.news import NEWS_RULES, facts_frame, validate_news

SENTENCE = "Đến ngày 31-10-2024, thu ngân sách trên địa bàn quận đạt hơn 1.204,5 tỷ đồng, đạt 84,72% dự toán."


def fact(**changes):
    base = dict(
        district="Tây Hồ", metric="budget_revenue", value=1_204_500_000_000, unit="VND", qualifier="more_than",
        as_of="2024-10-31", period="ytd", pct_of_plan=84.72, plan_ratios=[], pct_of_same_period=None,
        growth_pct=None, is_target=False, evidence=SENTENCE, start=0, end=len(SENTENCE),
    )
    return {**base, **changes}


def check(*facts):
    return validate_news(facts_frame(list(facts), published=date(2024, 11, 8), gazetteer=gazetteer()))


def test_good_facts_pass_and_resolve_their_unit():
    result = check(fact(), fact(metric="construction_permits", value=68, unit="count", pct_of_plan=None))
    assert result.rejected.height == 0
    assert result.valid["unit_id"].to_list() == ["hn-tay-ho", "hn-tay-ho"]


def test_unit_outside_the_gazetteer_loads_as_written():
    result = check(fact(district="Bình Tân"))
    assert result.valid.select("district", "unit_id").rows() == [("Bình Tân", None)]


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        (dict(metric="gdp"), "known_metric"),
        (dict(unit="count"), "unit_mismatch"),
        (dict(as_of=None), "period_unknown"),
        (dict(as_of="1999-12-31"), "period_range"),
        (dict(as_of="2024-12-31"), "period_range"),  # an actual after publication
        (dict(value=None, pct_of_plan=None), "no_figure"),
        (dict(value=-5), "negative_value"),
        (dict(pct_of_plan=1500.0), "percent_range"),
        (dict(evidence="", start=0, end=0), "evidence_offsets"),
        (dict(district=None), "no_district"),
    ],
)
def test_each_rule_quarantines_its_fact(changes, rule):
    result = check(fact(), fact(**changes))
    assert result.rejected.select("source_row", "rule").rows() == [(2, rule)]
    assert result.valid.height == 1
    assert result.rejected["message"][0]


def test_estimates_targets_and_year_figures_may_look_ahead():
    result = check(
        fact(as_of="2024-12-31", qualifier="estimate", period="year"),
        fact(as_of="2025-12-31", is_target=True, qualifier=None),
    )
    assert result.rejected.height == 0


def test_only_a_ratio_is_still_a_figure():
    assert check(fact(value=None, pct_of_plan=84.72)).rejected.height == 0


def test_every_rule_has_a_message():
    from contracts.news import NewsFact

    schema = NewsFact.to_schema()
    names = {c.name for c in schema.checks} | {c.name for col in schema.columns.values() for c in col.checks}
    assert names == set(NEWS_RULES)
