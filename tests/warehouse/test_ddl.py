"""What DuckLake cannot take is dropped from schema SQL, and nothing else."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.ddl import UntranslatableDDL, for_ducklake, without_column_comments
from warehouse.migrate import migrations


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("create table t (id varchar primary key, n int)", "create table t (id varchar not null, n int)"),
        ("create table t (id varchar primary key not null)", "create table t (id varchar not null not null)"),
        ("create table t (id varchar unique not null)", "create table t (id varchar not null)"),
        ("create table t (n int check (n in (1, (2))) not null)", "create table t (n int not null)"),
        ("create table t (n int constraint positive check (n > 0))", "create table t (n int)"),
        ("create table t (u varchar references dim_unit (unit_id))", "create table t (u varchar)"),
        ("create table t (a int,\n    b int,\n    primary key (a, b)\n)", "create table t (a int,\n    b int\n)"),
        ("create table t (a int, unique (a), check (a > 0))", "create table t (a int)"),
        ("create table t (a int, foreign key (a) references u (id))", "create table t (a int)"),
        ("alter table t add column s varchar default 'error' check (s in ('a', 'b'))",
         "alter table t add column s varchar default 'error'"),
        ("create table t (s varchar default 'primary key check (x)')",
         "create table t (s varchar default 'primary key check (x)')"),
        ("create table t (\n    k varchar primary key, -- the primary key, unique\n    v int\n)",
         "create table t (\n    k varchar not null, -- the primary key, unique\n    v int\n)"),
        ("create table t (b boolean not null default false, t timestamptz default now())",
         "create table t (b boolean not null default false, t timestamptz default now())"),
    ],
)
def test_constraints_are_dropped_and_the_rest_kept(sql, expected):
    assert for_ducklake(sql) == expected


@pytest.mark.parametrize("sql", ["create sequence load_seq", "create table t (id bigint default nextval('s'))"])
def test_sequences_are_refused_by_name(sql):
    with pytest.raises(UntranslatableDDL, match="DuckLake has no sequences"):
        for_ducklake(sql)


def test_every_migration_translates_to_the_same_columns():
    def columns(translate) -> list[tuple]:
        con = duckdb.connect()
        con.execute("create table schema_migrations (version integer)")
        for migration in migrations():
            con.execute(translate(migration.sql))
        return con.execute(
            "select table_name, column_name, data_type, is_nullable, column_default"
            " from information_schema.columns order by all"
        ).fetchall()

    translated = columns(for_ducklake)
    assert translated == columns(str)
    con = duckdb.connect()
    con.execute("create table schema_migrations (version integer)")
    for migration in migrations():
        con.execute(for_ducklake(migration.sql))
    assert con.execute("select count(*) from duckdb_constraints() where constraint_type <> 'NOT NULL'").fetchone() == (0,)


def test_view_column_comments_are_dropped_and_view_comments_kept():
    sql = ("create or replace view v as select 1 as a;\ncomment on view v is 'one; two';\n"
           "comment on column v.a is 'the a; really';\n")
    assert without_column_comments(sql) == "create or replace view v as select 1 as a;\ncomment on view v is 'one; two';\n\n"
