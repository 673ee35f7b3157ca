"""dkpi kpi --view: every KPI view, filtered by the columns it has."""

import json

import pytest

from flows.cli import main
from flows.commands.kpi import VIEWS
from tests.support.observations import B, insert, news
from warehouse import Warehouse


@pytest.fixture
def target(warehouse_path):
    with Warehouse(warehouse_path) as wh:
        for period, ytd in [("2024-01", 10), ("2024-02", 25), ("2024-03", 40)]:
            insert(wh.con, "Thanh Xuân", "budget_revenue", period, ytd * B, annual_plan=120 * B)
        insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-03", 50 * B)
        news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 41 * B)
    return str(warehouse_path)


def rows(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_view_filters_by_district_and_month(target, capsys, view):
    assert main(["--warehouse", target, "kpi", "--view", view, "--district", "Thanh Xuân", "--from", "2024-02",
                 "--to", "2024-03", "--format", "json"]) == 0
    found = rows(capsys)
    assert found and all(row["district"] == "Thanh Xuân" for row in found)
    assert all("2024-02-01" <= row["month_start"] <= "2024-03-01" for row in found)


def test_each_view_answers_with_its_own_figures(target, capsys):
    main(["--warehouse", target, "kpi", "--view", "plan", "--district", "Thanh Xuân", "--metric", "budget_revenue",
          "--from", "2024-03", "--format", "json"])
    assert [(r["ytd_value"], r["annual_plan"], r["pct_of_plan"]) for r in rows(capsys)] == [(40 * B, 120 * B, 33.33)]
    main(["--warehouse", target, "kpi", "--view", "reconciliation", "--format", "json"])
    assert [(r["department_value"], r["news_value"], r["pct_difference"]) for r in rows(capsys)] == [(40 * B, 41 * B, 2.5)]
    main(["--warehouse", target, "kpi", "--view", "latest", "--format", "json"])
    assert [(r["district"], r["month_start"]) for r in rows(capsys)] == [("Cầu Giấy", "2024-03-01"), ("Thanh Xuân", "2024-03-01")]


def test_a_filter_the_view_has_no_column_for_is_refused(target, capsys):
    assert main(["--warehouse", target, "kpi", "--view", "scorecard", "--metric", "budget_revenue"]) == 2
    assert "kpi_scorecard has no metric column to filter on" in capsys.readouterr().err
