"""Materialized models: tables that always hold what their SQL gives, recomputed district by district."""

import itertools
import re
from datetime import UTC, datetime

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from tests.support.materialized import stale
from tests.support.observations import B, insert, month, month_end, news
from warehouse import Warehouse, materialize, migrate

# five districts of the gazetteer and three written as no gazetteer knows them (unit_id null)
DISTRICTS = {
    "Thanh Xuân": "hn-thanh-xuan", "Cầu Giấy": "hn-cau-giay", "Long Biên": "hn-long-bien", "Ba Đình": "hn-ba-dinh",
    "Tây Hồ": "hn-tay-ho", "TP. Thủ Đức": None, "Huyện Đảo Lý Sơn": None, "Quận 1": None,
}


def restate(con, district, month_start, factor=2):
    """Replace a district's figures of a month by new ones, as a corrected file (or article) does: a load of its own."""
    load_id = f"fix-{next(_fixes)}"
    unit = con.execute("select unit_id from dim_unit where name = ?", [district]).fetchone()
    if unit is None:  # a district outside the gazetteer: its figures are news facts
        current = "district = ? and month_start = ? and superseded_by is null and load_id <> ?"
        con.execute(
            f"insert into news_figures by name select * replace (obs_id || ':' || ? as obs_id, value * ? as value,"
            f" ? as load_id) from news_figures where {current}",
            [load_id, factor, load_id, district, month_start, load_id],
        )
        con.execute(f"update news_figures set superseded_by = ? where {current}", [load_id, district, month_start, load_id])
        return
    con.execute(
        "insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, status)"
        " values (?, 'ingest_departments', 'fix.csv', ?, now(), now(), 'success')",
        [load_id, f"sha-{load_id}"],
    )
    current = "unit_id = ? and month_start = ? and superseded_by is null and load_id <> ?"
    con.execute(
        f"insert into department_figures by name select * replace (value * ? as value, ? as load_id)"
        f" from department_figures where {current}",
        [factor, load_id, unit[0], month_start, load_id],
    )
    con.execute(f"update department_figures set superseded_by = ? where {current}", [load_id, unit[0], month_start, load_id])


_fixes = itertools.count(1)


@pytest.fixture
def districts(wh):
    for district, unit_id in DISTRICTS.items():
        for period, ytd in [("2024-01", 10), ("2024-02", 25), ("2024-03", 45)]:
            if unit_id:
                insert(wh.con, district, "budget_revenue", period, ytd * B, unit_id=unit_id)
            else:  # only news names districts outside the gazetteer
                news(wh.con, district, "budget_revenue", month_end(month(period)).isoformat(), ytd * B, unit_id=None)
        news(wh.con, district, "budget_revenue", "2024-04-07", 50 * B, unit_id=unit_id)
    wh.refresh_materialized(full=True)  # in order, as if the rows had come in one run
    assert wh.refresh_materialized().method == "unchanged"
    return wh


def test_a_materialized_model_is_a_table_with_its_comments_and_order(wh):
    tables = wh.query(
        "select table_name, comment is not null from duckdb_tables() where table_name in ('kpi_monthly', 'int_month_figures')"
        " order by 1"
    ).rows
    assert tables == [("int_month_figures", True), ("kpi_monthly", True)]
    assert wh.query("select model, order_by from materialized_models order by position").rows == [
        ("int_month_figures", "unit_id, district, metric, month_start"),
        ("kpi_monthly", "unit_id, district, metric, month_start"),
    ]
    assert wh.query("select count(*) from duckdb_columns() where table_name = 'kpi_monthly' and comment is null").rows == [(0,)]


def test_a_restated_figure_recomputes_its_district_only(districts):
    restate(districts.con, "Cầu Giấy", "2024-02-01")
    refreshed = districts.refresh_materialized()
    assert (refreshed.method, refreshed.districts) == ("incremental", 1)
    assert stale(districts.con) == {}
    assert districts.query(
        "select district, value from kpi_monthly where month_start = '2024-03-01' and district in ('Cầu Giấy', 'Ba Đình')"
        " order by 1"
    ).rows == [("Ba Đình", 20 * B), ("Cầu Giấy", -5 * B)]


def test_a_district_outside_the_gazetteer_is_recomputed_by_its_name(districts):
    restate(districts.con, "Quận 1", "2024-01-01")
    refreshed = districts.refresh_materialized()
    assert (refreshed.method, refreshed.districts) == ("incremental", 1)
    assert stale(districts.con) == {}
    assert districts.query("select value from kpi_monthly where district = 'Quận 1' and month_start = '2024-01-01'").rows == [
        (20 * B,)
    ]


def test_a_new_district_is_added_and_nothing_else_recomputed(districts):
    insert(districts.con, "Hoàn Kiếm", "budget_revenue", "2024-01", 3 * B, unit_id="hn-hoan-kiem")
    assert stale(districts.con) == {}
    assert districts.query("select count(distinct district) from kpi_monthly").rows == [(9,)]


def test_a_change_of_the_reference_tables_recomputes_everything(districts):
    districts.con.execute("update dim_metric set is_additive = false where metric = 'budget_revenue'")
    assert districts.refresh_materialized().method == "full"
    assert stale(districts.con) == {}
    assert districts.query("select count(*) from kpi_monthly where value_method = 'differenced'").rows == [(0,)]


def test_many_districts_changed_are_recomputed_all_at_once(districts):
    for district in ("Thanh Xuân", "Cầu Giấy", "Tây Hồ"):
        restate(districts.con, district, "2024-03-01")
    assert districts.refresh_materialized().method == "full"
    assert stale(districts.con) == {}


def test_a_whole_refresh_in_batches_of_districts_gives_every_row_in_table_order(districts, monkeypatch):
    monkeypatch.setattr(materialize, "REFRESH_BATCH_DISTRICTS", 3)  # 8 districts: batches of 3, 3 and 2
    districts.con.execute("delete from kpi_monthly")
    assert districts.refresh_materialized(full=True).method == "full"
    assert stale(districts.con) == {}
    stored = districts.query("select unit_id, district, metric, month_start from kpi_monthly").rows
    assert stored == sorted(stored, key=lambda row: (row[0] is None, row[0] or "", row[1], row[2], row[3]))
    assert {district for _, district, _, _ in stored} == set(DISTRICTS)


def test_rows_appended_out_of_order_are_written_again_in_order(districts, monkeypatch):
    restate(districts.con, "Long Biên", "2024-01-01")
    assert districts.refresh_materialized().method == "incremental"
    appended = dict(districts.query("select model, rows_appended from materialized_models").rows)
    assert appended == {"int_month_figures": 4, "kpi_monthly": 4}
    monkeypatch.setattr(materialize, "UNORDERED_SHARE", 0.1)  # 4 of 32 rows
    restate(districts.con, "Ba Đình", "2024-01-01")
    assert districts.refresh_materialized().method == "full"
    assert districts.query("select sum(rows_appended) from materialized_models").rows == [(0,)]
    assert stale(districts.con) == {}


def test_a_reader_gets_the_tables_made_from_the_observations_it_sees(warehouse_path):
    with Warehouse(warehouse_path) as wh:
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
        # loaded as a load does, without the test helper's refresh
        wh.con.execute(
            "insert into department_figures by name select * replace (3 as source_row, date '2024-02-01' as month_start,"
            " date '2024-02-29' as as_of, 25e9 as value) from department_figures"
        )
    with Warehouse(warehouse_path, read_only=True) as reader:
        assert reader.query("select month_start::varchar, value from kpi_monthly order by 1").rows == [
            ("2024-01-01", 10 * B), ("2024-02-01", 15 * B),
        ]


def test_the_checks_read_the_tables_made_from_the_observations_just_written(wh):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-02", 25 * B)
    # loaded as a load does, without the test helper's refresh: February's year to date restated lower
    wh.con.execute(
        "insert into department_figures by name select * replace (3 as source_row, date '2024-03-01' as month_start,"
        " date '2024-03-31' as as_of, 20e9 as value) from department_figures where month_start = '2024-02-01'"
    )
    run = wh.run_checks(run_id="r", now=datetime(2025, 1, 1, tzinfo=UTC))
    assert [result.rows for result in run.results if result.name == "ytd_falls"] == [1]
    assert stale(wh.con) == {}


def test_when_the_refresh_fails_nothing_is_published(warehouse_path, monkeypatch):
    with Warehouse(warehouse_path) as wh:
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)

    def broken(con, **_):
        raise RuntimeError("refresh failed")

    monkeypatch.setattr(materialize, "refresh", broken)
    with pytest.raises(RuntimeError, match="refresh failed"), Warehouse(warehouse_path) as wh:
        wh.con.execute("update department_figures set superseded_by = 'gone'")
    with Warehouse(warehouse_path, read_only=True) as reader:
        assert reader.query("select count(*) from observations where superseded_by is null").rows == [(1,)]
        assert reader.query("select count(*) from kpi_monthly").rows == [(1,)]


def test_init_builds_a_table_again_when_its_sql_changes_not_its_comments(wh, monkeypatch):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    files = migrate.view_files()
    marker = "insert into kpi_monthly (district, metric, month_start) values ('marker', 'm', date '2000-01-01')"

    def init_with(changed):
        wh.con.execute(marker)
        monkeypatch.setattr(migrate, "view_files", lambda: {**files, "kpi_monthly": changed})
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        return wh.query("select count(*) from kpi_monthly where district = 'marker'").rows == [(0,)]

    # the marker is in the table, not in what its SQL gives: only a build (or a refresh of its district) removes it
    recommented = files["kpi_monthly"].replace("First day of the month.", "The first day of the month.")
    assert not init_with(recommented)
    assert wh.query("select comment from duckdb_columns() where table_name = 'kpi_monthly' and column_name = 'month_start'")\
        .rows == [("The first day of the month.",)]
    wh.con.execute("delete from kpi_monthly where district = 'marker'")
    assert init_with(files["kpi_monthly"].replace("select * from gaps_nulled", "select * from gaps_nulled where true"))
    assert stale(wh.con) == {}


def test_init_builds_a_changed_table_in_batches_of_districts_in_order_and_leaves_every_table_current(
    districts, monkeypatch
):
    monkeypatch.setattr(materialize, "REFRESH_BATCH_DISTRICTS", 3)  # 8 districts: batches of 3, 3 and 2
    statements = []
    files = migrate.view_files()
    changed = files["int_month_figures"].replace("from kept;", "from kept where true;")
    assert changed != files["int_month_figures"]
    monkeypatch.setattr(migrate, "view_files", lambda: {**files, "int_month_figures": changed})
    con = districts.con
    monkeypatch.setattr(districts, "con", _Recording(con, statements))
    report = districts.init(units=gazetteer().units, metrics=metric_catalogue())
    assert report.refresh.method == "unchanged"  # the build left both tables current (kpi_monthly read the new rows)
    fills = [sql for sql in statements if sql.startswith("insert into int_month_figures select")]
    assert len(fills) == 3 and all("between" in sql or "district in" in sql for sql in fills)
    assert stale(con) == {}
    stored = districts.query("select unit_id, district, metric, month_start from int_month_figures").rows
    assert stored == sorted(stored, key=lambda row: (row[0] is None, row[0] or "", row[1], row[2], row[3]))


class _Recording:
    """A connection that records the SQL it is given (the statements of an init), passing everything through."""

    def __init__(self, con, statements):
        self._con, self._statements = con, statements

    def execute(self, sql, *args, **kwargs):
        self._statements.append(" ".join(sql.split()))
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_model_can_become_a_view_again_and_a_table_again(wh, monkeypatch):
    insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 10 * B)
    files = migrate.view_files()
    as_view = re.sub(r"-- materialized: table ordered by [^\n]*\n", "", files["kpi_monthly"])
    for sql, kind in [(as_view, "VIEW"), (files["kpi_monthly"], "BASE TABLE")]:
        monkeypatch.setattr(migrate, "view_files", lambda sql=sql: {**files, "kpi_monthly": sql})
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        assert wh.query("select table_type from information_schema.tables where table_name = 'kpi_monthly'").rows == [(kind,)]
        assert wh.query("select value from kpi_mom").rows == [(10 * B,)]
    assert stale(wh.con) == {}


def test_a_materialized_model_reads_only_the_tables_its_fingerprints_cover(wh):
    views = migrate.view_files()
    tables = {name for (name,) in wh.query(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
    ).rows} - set(views)
    for name, sql in views.items():
        if materialize.table_of(name, sql) is None:
            continue
        code = " ".join(migrate._code_only(views[other]) for other in migrate.upstream(views, name) | {name})
        read = {table for table in tables if re.search(rf"\b{table}\b", code)}
        assert read <= set(materialize.INPUT_TABLES), name


def test_a_header_makes_a_view_file_a_table_with_the_same_query_and_comments():
    sql = (
        "-- kpi_x: a model.\n-- Grain: one row.\n-- materialized: table ordered by unit_id, month_start\n"
        "create or replace view kpi_x as\nselect 1 as unit_id, date '2024-01-01' as month_start;\n\n"
        "comment on view kpi_x is 'A model.';\ncomment on column kpi_x.unit_id is 'Unit.';\n"
    )
    table = materialize.table_of("kpi_x", sql)
    assert table.select_sql == "select 1 as unit_id, date '2024-01-01' as month_start"
    assert table.order_by == "unit_id, month_start"
    assert table.comments == ("comment on table kpi_x is 'A model.'", "comment on column kpi_x.unit_id is 'Unit.'")
    assert materialize.table_of("kpi_x", sql.replace("-- materialized: table ordered by unit_id, month_start\n", "")) is None


def test_what_the_view_takes_from_a_load_or_a_dimension_counts_in_the_fingerprints(districts):
    # a department figure's file values are kept once, in its load's run record: a change there is its change too
    districts.con.execute(
        "update load_runs set source = 'renamed.csv' where load_id in"
        " (select load_id from department_figures where unit_id = 'hn-cau-giay' and month_start = '2024-02-01')"
    )
    refreshed = districts.refresh_materialized()
    assert (refreshed.method, refreshed.districts) == ("incremental", 1)
    districts.con.execute("update dim_unit set name = 'Quận Cầu Giấy' where unit_id = 'hn-cau-giay'")
    assert districts.refresh_materialized().method == "full"
    assert stale(districts.con) == {}
