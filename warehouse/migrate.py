"""Apply versioned SQL migrations in order, record them, then (re)create the macros and views in dependency order
(the materialized views as tables: warehouse.materialize)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import materialize
from warehouse.connection import SQL_DIR
from warehouse.ddl import for_ducklake, without_column_comments
from warehouse.transactions import is_lake, transaction

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_VIEW_NAME = re.compile(r"create\s+or\s+replace\s+view\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_MACRO_NAME = re.compile(r"create\s+or\s+replace\s+macro\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)


class MigrationError(RuntimeError):
    """Raised when the migration history does not match the files (edited or missing migration)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def migrations(directory: Path = SQL_DIR / "migrations") -> list[Migration]:
    """List migration files in version order; a badly named file is an error, not skipped."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path}: migration files are named NNNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path.read_text(encoding="utf-8")))
    versions = [migration.version for migration in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"{directory}: two migrations share a version number")
    return found


def upgrade(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the pending migrations, each in its own transaction; return the names applied.

    On DuckLake each migration is translated first (warehouse.ddl) and recorded the same way, with the checksum of
    the file as written.
    """
    translate = for_ducklake if is_lake(con) else str
    con.execute(translate(
        "create table if not exists schema_migrations ("
        " version integer primary key, name varchar not null, checksum varchar not null,"
        " applied_at timestamptz not null default now())"
    ))
    applied = dict(con.execute("select version, checksum from schema_migrations").fetchall())
    done = []
    for migration in migrations():
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"migration {migration.version:04d}_{migration.name} was edited after it was applied; "
                    "add a new migration instead"
                )
            continue

        def apply(migration: Migration = migration) -> None:
            con.execute(translate(migration.sql))
            con.execute(
                "insert into schema_migrations (version, name, checksum) values (?, ?, ?)",
                [migration.version, migration.name, migration.checksum],
            )

        transaction(con, apply, what=f"migration {migration.version:04d}_{migration.name}")
        done.append(f"{migration.version:04d}_{migration.name}")
    return done


def view_files(directory: Path = SQL_DIR / "views") -> dict[str, str]:
    """Map view name -> SQL for every view file; the file name must equal the view it creates."""
    return _definitions(directory, _VIEW_NAME, "view")


def macro_files(directory: Path = SQL_DIR / "macros") -> dict[str, str]:
    """Map macro name -> SQL for every macro file (helpers the checks share); the file name must equal the macro."""
    return _definitions(directory, _MACRO_NAME, "macro")


def _definitions(directory: Path, pattern: re.Pattern, kind: str) -> dict[str, str]:
    definitions = {}
    for path in sorted(directory.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        names = pattern.findall(sql)
        if names != [path.stem]:
            raise MigrationError(f"{path}: a {kind} file creates exactly one {kind} named like the file ({path.stem})")
        definitions[path.stem] = sql
    return definitions


def references(views: dict[str, str]) -> dict[str, set[str]]:
    """Map each view to the views it selects from directly."""
    return {
        name: {other for other in views if other != name and re.search(rf"\b{other}\b", _code_only(sql))}
        for name, sql in views.items()
    }


def upstream(views: dict[str, str], name: str) -> set[str]:
    """The views `name` selects from, directly or through others."""
    direct = references(views)
    found: set[str] = set()
    pending = [name]
    while pending:
        for other in direct[pending.pop()] - found:
            found.add(other)
            pending.append(other)
    return found


def definition(views: dict[str, str], name: str, macros: dict[str, str] | None = None) -> str:
    """Hash a view's SQL, that of every view it selects from, of every macro these call and its materialization: a
    table is built again when this changes. Comments do not count: they are restated on every init."""
    macros = macros or {}
    table = materialize.table_of(name, views[name])
    statements = [materialize.view_statement(views[other]) for other in sorted(upstream(views, name) | {name})]
    code = _code_only("\n".join(statements))
    called = {macro for macro in macros if re.search(rf"\b{macro}\b", code)}
    called |= {other for macro in called for other in upstream(macros, macro)}
    statements += [macros[macro] for macro in sorted(called)]
    return hashlib.sha256("\n;\n".join([table.order_by if table else "view", *statements]).encode()).hexdigest()


def dependency_order(views: dict[str, str]) -> list[str]:
    """Order views so each comes after the views it selects from."""
    references_of = references(views)
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered:
            return
        if name in visiting:
            raise MigrationError(f"views reference each other in a cycle through {name}")
        visiting.add(name)
        for dependency in sorted(references_of[name]):
            visit(dependency)
        visiting.discard(name)
        ordered.append(name)

    for name in sorted(views):
        visit(name)
    return ordered


def create_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """(Re)create every macro from sql/macros, then every view from sql/views, in one transaction; return the views'
    names in creation order.

    A view file may follow its `create or replace view` with `comment on view|column` statements: the whole
    file runs as one script, and recreating a view clears its comments, so they are restated every time. A file
    headed `-- materialized: table ordered by …` becomes a table, built only when its SQL changed (see
    warehouse.materialize). DuckLake cannot comment a view's columns: there a view's column comments are left out
    (a materialized model's, on its table, are kept).
    """
    macros, views = macro_files(), view_files()
    order = dependency_order(views)
    translate = without_column_comments if is_lake(con) else str

    def create() -> None:
        for name in dependency_order(macros):
            con.execute(macros[name])
        files = {name: views[name] if materialize.table_of(name, views[name]) else translate(views[name]) for name in order}
        materialize.install(con, files, {name: definition(views, name, macros) for name in order})

    transaction(con, create, what="views")
    return order


def _code_only(sql: str) -> str:
    """Drop `--` comments and string literals, so documentation naming another view is not a dependency."""
    return re.sub(r"--[^\n]*|'(?:[^']|'')*'", "", sql)
