"""int_observations: both sources in one shape, with the period each figure covers in monthly terms."""

import pytest

from tests.support.observations import B, insert, news


@pytest.mark.parametrize(
    ("basis", "period", "period_kind"),
    [
        ("ytd", "2024-05", "cumulative"),
        ("month", "2024-05", "month"),
        ("quarter", "2024-03", "cumulative"),  # Q1 runs from January
        ("quarter", "2024-06", None),  # Q2 does not
        ("half_year", "2024-06", "cumulative"),
        ("half_year", "2024-12", None),
        ("year", "2024-12", "cumulative"),
        ("year", "2024-06", None),
        ("other", "2024-05", None),
    ],
)
def test_period_kind(wh, basis, period, period_kind):
    insert(wh.con, "Thanh Xuân", "budget_revenue", period, 1 * B, basis=basis)
    assert wh.query("select period_kind from int_observations").rows == [(period_kind,)]


def test_both_sources_with_precedence_partial_months_and_provenance(wh):
    department = insert(wh.con, "Thanh Xuân", "budget_revenue", "2023-03", 30 * B, source_row=4, source_column="Lũy kế")
    article = news(wh.con, "Thanh Xuân", "budget_revenue", "2023-03-07", 25 * B, qualifier="about", evidence="đến ngày 07/3")
    assert wh.query(
        "select obs_id, source_kind, source_priority, as_of::varchar, is_partial_month, is_approximate, source_name,"
        " source_row, source_column, evidence from int_observations order by source_priority"
    ).rows == [
        (department, "department", 1, "2023-03-31", False, False, "test.csv", 4, "Lũy kế", None),
        (article, "news", 2, "2023-03-07", True, True, "https://news.example/article", None, None, "đến ngày 07/3"),
    ]
