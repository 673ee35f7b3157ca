"""Every check: documented in its header, and keeps the result contract (on an empty warehouse: it passes)."""

import pytest

from flows.settings import PROJECT_DIR
from warehouse.alerts import check_files, run_checks

CHECKS = check_files()
HEADER = ("-- Purpose:", "-- A row:", "-- Severity:", "-- Parameters")


def test_the_issue_asks_for_these_checks():
    assert {check.name for check in CHECKS} == {
        "quarantine_growth", "freshness", "ytd_falls", "mom_jump", "plan_drift", "news_vs_department",
        "internal_inconsistency", "two_articles_disagree", "settled_month_restated",
    }


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.name)
def test_each_check_says_what_it_finds_how_bad_it_is_and_what_it_takes(check):
    header = [line for line in check.sql.splitlines() if line.startswith("--")]
    assert all(any(line.startswith(start) for line in header) for start in HEADER), check.path
    assert "(" in check.title and check.title.endswith(")"), "a Vietnamese title with the English in parentheses"


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.name)
def test_each_check_passes_on_an_empty_warehouse(wh, check):
    [result] = run_checks(wh.con, [check])
    assert (result.rows, result.error) == (0, None)


def test_each_check_is_in_the_readme():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    missing = [check.name for check in CHECKS if f"| `{check.name}` |" not in readme]
    assert missing == [], "document every check in the README's table of checks"
