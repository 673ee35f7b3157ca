"""stg_department_observations: the current department figures, each with its file row."""

from tests.support.observations import B, insert, news


def test_current_department_figures_only_with_their_file_row(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B, superseded_by="later-load")
    kept = insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 11 * B, source_row=7, source_column="Giá trị")
    news(wh.con, "Thanh Xuân", "budget_revenue", "2024-01-31", 12 * B)
    assert wh.query(
        "select obs_id, district, month_start::varchar, as_of::varchar, value, source_name, source_row, source_column "
        "from stg_department_observations"
    ).rows == [(kept, "Thanh Xuân", "2024-01-01", "2024-01-31", 11 * B, "test.csv", 7, "Giá trị")]


def test_a_department_figure_is_never_qualified_and_flags_only_preliminary(wh):
    # department files state figures exactly; an estimate column ('Ước thực hiện') is read as preliminary
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 20 * B, is_preliminary=True)
    assert wh.query(
        "select qualifier, is_estimate, is_target, is_preliminary from stg_department_observations order by month_start"
    ).rows == [(None, False, False, False), (None, False, False, True)]
