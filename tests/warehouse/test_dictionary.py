"""Every view a user can query is documented in the warehouse, and docs/data_dictionary.md says the same."""

from flows.settings import PROJECT_DIR
from warehouse import dictionary


def test_every_view_and_column_has_a_comment(wh):
    assert dictionary.undocumented(wh.con) == []


def test_an_undocumented_view_or_column_is_named(wh):
    wh.con.execute("create view kpi_extra as select 1 as documented, 2 as forgotten")
    wh.con.execute("comment on column kpi_extra.documented is 'Documented.'")
    assert dictionary.undocumented(wh.con) == ["kpi_extra", "kpi_extra.forgotten"]


def test_the_committed_data_dictionary_is_current(wh):
    committed = (PROJECT_DIR / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    assert dictionary.render(wh.con) == committed, "docs/data_dictionary.md is out of date: run `dkpi docs`"


def test_views_come_in_layer_order_with_their_columns(wh):
    views = dictionary.documented_views(wh.con)
    names = [view.name for view in views]
    assert names[:4] == ["stg_department_observations", "stg_news_facts", "int_figure_bounds", "int_month_figures"]
    assert names[-1] == "kpi_yoy"
    monthly = next(view for view in views if view.name == "kpi_monthly")
    assert [column.name for column in monthly.columns][:5] == ["unit_id", "district", "metric", "unit", "month_start"]
