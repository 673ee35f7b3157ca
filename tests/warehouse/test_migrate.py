import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from warehouse import Warehouse, migrate
from warehouse.migrate import MigrationError, dependency_order

PUBLIC_TABLES = {
    "dim_unit", "dim_metric", "raw_files", "department_figures", "news_figures", "quarantine", "load_runs", "schema_migrations"
}


def init(wh):
    return wh.init(units=gazetteer().units, metrics=metric_catalogue())


def test_init_creates_the_public_tables_and_is_idempotent(tmp_path):
    with Warehouse(tmp_path / "w.duckdb") as wh:
        first = init(wh)
        second = init(wh)
        tables = {row[0] for row in wh.query("select table_name from information_schema.tables where table_type = 'BASE TABLE'").rows}
        counts = wh.query("select (select count(*) from dim_unit), (select count(*) from dim_metric)").rows[0]
        observations = wh.query("select table_type from information_schema.tables where table_name = 'observations'").rows
    assert PUBLIC_TABLES <= tables
    assert observations == [("VIEW",)]
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


def _schema_before(wh, monkeypatch, version: int) -> None:
    """Migrate a fresh warehouse only up to `version` (excluded), with the metric the rows below need."""
    earlier = [m for m in migrate.migrations() if m.version < version]
    with monkeypatch.context() as patched:
        patched.setattr(migrate, "migrations", lambda: earlier)
        migrate.upgrade(wh.con)
    wh.con.execute("insert into dim_metric (metric, label_vi, label_en, unit, is_ytd, is_additive, aliases) values"
                   " ('budget_revenue', 'Thu ngân sách', 'Budget revenue', 'VND', true, true, [])")


def _old_observation(wh, obs_id: str, source_kind: str, load_id: str, **extra) -> None:
    """One row of the observations table as migrations 0001-0007 left it."""
    row = {
        "obs_id": obs_id, "unit_id": "hn-thanh-xuan", "district": "Thanh Xuân", "metric": "budget_revenue",
        "month_start": "2024-01-01", "as_of": "2024-01-31", "basis": "ytd", "value": 5e9, "unit": "VND",
        "source_kind": source_kind, "source_name": "tx.csv", "source_sha256": "ab" * 32, "source_row": 4,
        "source_column": "Lũy kế", "load_id": load_id, "loaded_at": "2025-01-01 00:00:00+00", **extra,
    }
    wh.con.execute(f"insert into observations ({', '.join(row)}) values ({', '.join('?' * len(row))})", list(row.values()))


def test_dropping_the_obs_id_key_keeps_rows_columns_and_views(tmp_path, monkeypatch):
    columns = (
        "select column_name, data_type, column_default, is_nullable from duckdb_columns()"
        " where table_name = 'observations' order by column_index"
    )
    checks = "select constraint_text from duckdb_constraints() where table_name = 'observations' order by all"
    with Warehouse(tmp_path / "w.duckdb") as wh:
        _schema_before(wh, monkeypatch, 5)
        _old_observation(wh, f"file:{'ab' * 32}:4:Lũy kế", "department", "l1", plan_ratios='{"city": 80}')
        rows, schema, constraints = (wh.query(sql).rows for sql in ("select * from observations", columns, checks))
        assert ("PRIMARY KEY(obs_id)",) in constraints
        up_to_0005 = [m for m in migrate.migrations() if m.version <= 5]
        with monkeypatch.context() as patched:
            patched.setattr(migrate, "migrations", lambda: up_to_0005)
            assert migrate.upgrade(wh.con) == ["0005_observations_without_primary_key"]
        assert wh.query("select * from observations").rows == rows
        assert wh.query(columns).rows == schema  # obs_id stays NOT NULL
        assert wh.query(checks).rows == [c for c in constraints if c != ("PRIMARY KEY(obs_id)",)]


def test_department_figures_apart_keep_every_observation_as_it_was(tmp_path, monkeypatch):
    sha = "ab" * 32
    with Warehouse(tmp_path / "w.duckdb") as wh:
        _schema_before(wh, monkeypatch, 8)
        wh.con.execute(
            "insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, status, department,"
            " submission) values ('l1', 'ingest_departments', 'tx.csv', ?, '2025-01-01 00:00:00+00',"
            " '2025-01-01 00:00:00+00', 'success', 'tai_chinh', 'tai_chinh|hn-thanh-xuan|2024-01')",
            [sha],
        )
        for row, column, sheet in ((4, "Lũy kế", None), (5, "Tháng 1/2024", "Thu chi")):
            obs_id = f"file:{sha}:{sheet + '!' if sheet else ''}{row}:{column}"
            _old_observation(wh, obs_id, "department", "l1", source_row=row, source_column=column, source_sheet=sheet,
                             department="tai_chinh", submission="tai_chinh|hn-thanh-xuan|2024-01",
                             superseded_by="l2" if row == 4 else None)
        # a figure whose load has no run record (a hand-edited warehouse): it gets one, made from its own columns
        _old_observation(wh, f"file:{'cd' * 32}:2:Giá trị", "department", "orphan", source_sha256="cd" * 32,
                         source_row=2, source_column="Giá trị", source_name="lost.csv", loaded_at="2024-06-01 00:00:00+00")
        _old_observation(wh, "news:0123456789abcdef:1:1", "news", "n1", source_name="https://news.example/a",
                         source_row=1, source_column=None, evidence="thu ngân sách 5 tỷ đồng", evidence_start=0,
                         evidence_end=23, plan_ratios='[{"pct": 80}]')
        everything = "select * from observations order by obs_id"
        rows = wh.query(everything).rows
        names_and_types = [(c, t) for c, t, *_ in wh.query(
            "select column_name, data_type from duckdb_columns() where table_name = 'observations' order by column_index"
        ).rows]
        assert init(wh).migrations_applied == ["0008_department_figures"]
        assert wh.query(everything).rows == rows
        assert [(c, t) for c, t, *_ in wh.query(
            "select column_name, data_type from duckdb_columns() where table_name = 'observations' order by column_index"
        ).rows] == names_and_types
        assert wh.query("select count(*) from department_figures").rows == [(3,)]
        assert wh.query("select source_kind, count(*) from news_figures group by 1").rows == [("news", 1)]
        assert wh.query("select source, status, finished_at::varchar from load_runs where load_id = 'orphan'").rows == [
            ("lost.csv", "success", "2024-06-01 00:00:00+00")
        ]
        assert wh.query("select count(*) from kpi_monthly").rows == [(1,)]
