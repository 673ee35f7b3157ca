from datetime import date

import pytest

from benchmarks.extraction_eval import Score, district_key, read_published, score_article
from sources.news import Fact

CATALOGUE = {"budget_revenue", "construction_permits"}


def fact(metric="budget_revenue", value=5606000000000, district="Thanh Xuân", is_target=False, as_of=date(2024, 10, 31)):
    return Fact(district, metric, value, "VND", None, as_of, "ytd", 84.72, (), None, None, is_target, "…", 0, 1)


def annotation(metric="budget_revenue", value=5606000000000, district="Thanh Xuân", **extra):
    return {"metric": metric, "value": value, "district": district, "as_of": "2024-10-31", "pct_of_plan": 84.72,
            "evidence": "…", **extra}


@pytest.mark.parametrize(
    ("predicted", "right", "wrong", "magnitude"),
    [
        ([fact()], 1, 0, 0),
        ([fact(district="Quận Thanh Xuân")], 1, 0, 0),  # type words do not matter
        ([fact(value=5606000000)], 0, 1, 1),  # off by a thousand
        ([fact(), fact(value=5600000000000)], 1, 0, 0),  # a rounded second mention is neutral
        ([fact(district="Hà Nội", value=1)], 0, 0, 0),  # credited to the city: neutral
        ([fact(metric="construction_permits", value=68)], 0, 1, 0),  # not annotated
        ([fact(is_target=True)], 0, 1, 0),  # an actual called a target
    ],
)
def test_score_article(predicted, right, wrong, magnitude):
    score = Score()
    score_article("a", predicted, [annotation(), annotation(value=1, metric="other")], CATALOGUE, score)
    assert (score.right, score.wrong, len(score.magnitude_errors), score.expected) == (right, wrong, magnitude, 1)


def test_targets_and_other_levels_are_not_expected():
    score = Score()
    annotations = [annotation(is_target=True), annotation(district="Hà Nội (thành phố)", value=7)]
    score_article("a", [fact(is_target=True)], annotations, CATALOGUE, score)
    assert (score.expected, score.right, score.wrong, score.neutral["target recognised"]) == (0, 0, 0, 1)


@pytest.mark.parametrize(("raw", "expected"), [("2024-11-08", date(2024, 11, 8)), ("2018-12", date(2018, 12, 31)), (None, None)])
def test_read_published(raw, expected):
    assert read_published(raw) == expected


def test_district_key():
    assert district_key("Quận Thanh Xuân") == district_key("thanh xuan") == "thanh xuan"
    assert district_key("Hà Nội (thành phố)") == "ha noi"
