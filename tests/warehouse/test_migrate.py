import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from warehouse import Warehouse, migrate
from warehouse.migrate import MigrationError, dependency_order

PUBLIC_TABLES = {"dim_unit", "dim_metric", "raw_files", "observations", "quarantine", "load_runs", "schema_migrations"}


def init(wh):
    return wh.init(units=gazetteer().units, metrics=metric_catalogue())


def test_init_creates_the_public_tables_and_is_idempotent(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        first = init(wh)
        second = init(wh)
        tables = {row[0] for row in wh.query("select table_name from information_schema.tables where table_type = 'BASE TABLE'").rows}
        counts = wh.query("select (select count(*) from dim_unit), (select count(*) from dim_metric)").rows[0]
    assert PUBLIC_TABLES <= tables
    assert first.migrations_applied == [f"{m.version:04d}_{m.name}" for m in migrate.migrations()]
    assert first.migrations_applied[0] == "0001_core" and second.migrations_applied == []
    assert counts == (30, 14)
    assert {"kpi_monthly", "kpi_mom"} <= set(second.views)


def test_dim_unit_has_aliases_with_and_without_diacritics(wh):
    aliases = wh.query("select aliases from dim_unit where unit_id = 'hn-thanh-xuan'").rows[0][0]
    assert {"Q. Thanh Xuân", "quan thanh xuan", "quận Thanh Xuân"} <= set(aliases)


def test_edited_migration_is_refused(wh, monkeypatch):
    original = migrate.migrations()
    edited = [migrate.Migration(m.version, m.name, m.sql + "\n-- edited") for m in original]
    monkeypatch.setattr(migrate, "migrations", lambda: edited)
    with pytest.raises(MigrationError, match="0001_core was edited"):
        migrate.upgrade(wh.con)


def test_failed_migration_leaves_nothing_behind(wh, monkeypatch):
    real = migrate.migrations()
    broken = [*real, migrate.Migration(9999, "broken", "create table half (a int); select * from nowhere;")]
    monkeypatch.setattr(migrate, "migrations", lambda: broken)
    with pytest.raises(Exception, match="nowhere"):
        migrate.upgrade(wh.con)
    assert wh.query("select count(*) from information_schema.tables where table_name = 'half'").rows == [(0,)]
    assert wh.query("select max(version) from schema_migrations").rows == [(real[-1].version,)]


def test_views_are_ordered_by_dependency():
    views = {
        "kpi_b": "create or replace view kpi_b as select * from kpi_a",
        "kpi_a": "create or replace view kpi_a as select * from stg_x",
        "stg_x": "create or replace view stg_x as select 1",
    }
    assert dependency_order(views) == ["stg_x", "kpi_a", "kpi_b"]


def test_a_view_named_only_in_documentation_is_not_a_dependency():
    views = {
        "kpi_a": "create or replace view kpi_a as select 1 as x;\n"
                 "comment on column kpi_a.x is 'explained row by row in kpi_b -- and it''s kpi_b again';",
        "kpi_b": "create or replace view kpi_b as select * from kpi_a -- it's kpi_a",
    }
    assert dependency_order(views) == ["kpi_a", "kpi_b"]


@pytest.mark.parametrize(
    ("changed", "rebuilds"),
    [("half", True), ("twice", True), ("unused", False)],  # called, called through another macro, not called
)
def test_a_table_is_built_again_when_a_macro_it_calls_changes(changed, rebuilds):
    views = {
        "stg_x": "create or replace view stg_x as select 1 as x",
        "kpi_a": "-- materialized: table ordered by y\ncreate or replace view kpi_a as select half(x) as y from stg_x",
    }
    macros = {
        "half": "create or replace macro half(v) as twice(v) / 4;",
        "twice": "create or replace macro twice(v) as 2 * v;",
        "unused": "create or replace macro unused(v) as v;",
    }
    edited = {**macros, changed: macros[changed].replace(";", " + 0;")}
    assert (migrate.definition(views, "kpi_a", macros) != migrate.definition(views, "kpi_a", edited)) == rebuilds


def test_view_cycle_is_an_error():
    views = {
        "a": "create or replace view a as select * from b",
        "b": "create or replace view b as select * from a",
    }
    with pytest.raises(MigrationError, match="cycle"):
        dependency_order(views)


def test_every_view_file_creates_the_view_it_is_named_after():
    views = migrate.view_files()
    assert views and all(sql.lower().count("create or replace view") == 1 for sql in views.values())


def test_every_view_file_states_purpose_and_grain():
    for name, sql in migrate.view_files().items():
        header = sql.splitlines()[0]
        assert header.startswith(f"-- {name}: "), name
        assert "grain" in sql.split("create or replace view")[0].lower(), name


def test_dropping_the_obs_id_key_keeps_rows_columns_and_views(tmp_path, monkeypatch):
    from tests.support.observations import insert

    before_0005 = [m for m in migrate.migrations() if m.version < 5]
    columns = (
        "select column_name, data_type, column_default, is_nullable from duckdb_columns()"
        " where table_name = 'observations' order by column_index"
    )
    checks = "select constraint_text from duckdb_constraints() where table_name = 'observations' order by all"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        with monkeypatch.context() as patched:
            patched.setattr(migrate, "migrations", lambda: before_0005)
            migrate.upgrade(wh.con)  # the schema as 0004 left it (the seeds follow the newest schema)
        wh.con.execute("insert into dim_metric values ('budget_revenue', 'Thu ngân sách', 'Budget revenue', 'VND', true,"
                       " true, [])")
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2024-01", 5e9, plan_ratios='{"city": 80}')
        rows, schema, constraints = (wh.query(sql).rows for sql in ("select * from observations", columns, checks))
        assert ("PRIMARY KEY(obs_id)",) in constraints
        assert init(wh).migrations_applied[0] == "0005_observations_without_primary_key"
        assert wh.query("select * from observations").rows == rows
        assert wh.query(columns).rows == schema  # obs_id stays NOT NULL
        assert wh.query(checks).rows == [c for c in constraints if c != ("PRIMARY KEY(obs_id)",)]
        assert wh.query("select count(*) from kpi_monthly").rows == [(1,)]
