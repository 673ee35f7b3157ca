"""settled_month_restated: a month's figure changed long after the month was settled."""

import pytest

from tests.support.checks import fingerprints, found
from tests.support.observations import B, insert, news


def restate(con, old, new, *, old_loaded, new_loaded, old_sha="sha-a", new_sha="sha-b", **old_extra):
    """March 2024 revenue loaded as `old`, then replaced by `new` from another (or the same) file."""
    insert(con, "Thanh Xuân", "budget_revenue", "2024-03", old, loaded_at=old_loaded, source_sha256=old_sha,
           source_name="tx_2024-03.csv", source_row=4, superseded_by="load-new", superseded_at=new_loaded, **old_extra)
    insert(con, "Thanh Xuân", "budget_revenue", "2024-03", new, loaded_at=new_loaded, source_sha256=new_sha,
           source_name="tx_sua.csv", source_row=4, load_id="load-new")


@pytest.mark.parametrize(
    ("old", "new", "new_loaded", "extra", "severity"),
    [
        (1_876.7 * B, 1_950.2 * B, "2024-09-15", {}, "warning"),  # changed months after the month settled (30/05)
        (1_876.7 * B, 1_876.7 * B, "2024-09-15", {}, None),  # restated, but the same figure
        (1_876.7 * B, 1_950.2 * B, "2024-04-20", {}, None),  # corrected before the month settled
        (1_876.7 * B, 1_950.2 * B, "2024-09-15", {"is_preliminary": True}, None),  # a preliminary figure made final
        (1_876.7 * B, 18_767 * B, "2024-09-15", {}, "critical"),  # a digit too many
    ],
)
def test_a_settled_figure_replaced_by_a_different_one(wh, old, new, new_loaded, extra, severity):
    restate(wh.con, old, new, old_loaded="2024-04-10", new_loaded=new_loaded, **extra)
    assert [s for _, _, _, s in fingerprints(wh.con, "settled_month_restated")] == ([severity] if severity else [])


def test_the_same_file_read_again_by_a_better_parser_is_not_a_restatement(wh):
    restate(wh.con, 1_876.7 * B, 1_950.2 * B, old_loaded="2024-04-10", new_loaded="2024-09-15", new_sha="sha-a")
    assert found(wh.con, "settled_month_restated") == []


@pytest.mark.parametrize(("restated_on", "alerted"), [("2025-02-01", False), ("2025-04-01", True)])
def test_history_loaded_late_settles_after_its_first_load_and_resolves_when_put_back(wh, restated_on, alerted):
    # July 2024 first loaded in January 2025: it settles 60 days after that, on 06/03/2025
    insert(wh.con, "Cầu Giấy", "budget_expenditure", "2024-07", 1_049.694 * B, loaded_at="2025-01-05",
           source_sha256="sha-1", source_name="cg.csv", superseded_by="load-2", superseded_at=restated_on)
    restated = insert(wh.con, "Cầu Giấy", "budget_expenditure", "2024-07", 1_094.694 * B, loaded_at=restated_on,
                      source_sha256="sha-2", source_name="cg_sua.csv", load_id="load-2")
    rows = found(wh.con, "settled_month_restated")
    assert len(rows) == alerted
    if not alerted:
        return
    [row] = rows
    assert (row["district"], row["metric"], row["period"], row["subject"]) == (
        "Cầu Giấy", "budget_expenditure", "2024-07-01", "ytd"
    )
    assert ("1.049,694 tỷ đồng (cg.csv dòng 2, nạp 05/01/2025) thành 1.094,694 tỷ đồng (cg_sua.csv dòng 2, nạp "
            "01/04/2025, sau ngày chốt 06/03/2025)") in row["message"]
    wh.con.execute("update department_figures set superseded_by = 'load-3' where load_id = 'load-2'")
    assert wh.query("select obs_id from observations where superseded_by = 'load-3'").rows == [(restated,)]
    insert(wh.con, "Cầu Giấy", "budget_expenditure", "2024-07", 1_049.694 * B, loaded_at="2025-05-01",
           source_sha256="sha-3", source_name="cg_sua_lan_2.csv", load_id="load-3")
    assert found(wh.con, "settled_month_restated") == []


def test_a_changed_article_restates_its_own_figure(wh):
    url = "https://news.example/tx-3"
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 1_890 * B, source_name=url, source_sha256="page-1",
         loaded_at="2024-04-05", superseded_by="news-2")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 1_980 * B, source_name=url, source_sha256="page-2",
         loaded_at="2024-10-01", load_id="news-2")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-03-31", 1_876.7 * B, source_name="https://other.example/tx-3",
         loaded_at="2024-10-01")  # another article: two_articles_disagree's business, not a restatement
    assert fingerprints(wh.con, "settled_month_restated") == [("Thanh Xuân", "budget_revenue", "2024-03-01", "warning")]
