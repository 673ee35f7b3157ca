"""Materialized models: a view file headed `-- materialized: table ordered by …` is stored as a table, kept current.

The file stays a view definition that pastes into the DuckDB CLI; the warehouse stores its rows instead, in the
order the header names, so that a query of one district reads the few row groups that hold it (zone maps on the
order columns) and a query of everything reads rows instead of computing them (kpi_monthly: 20 s of CPU on 5 M
observations). `install` (run by `init`) builds a table when its SQL, or that of a view it reads from, changed;
`refresh` brings every table up to date with the observations. Refresh runs at the end of `init` and at the end of
every writer session, before the snapshot is published (warehouse.connection): readers never see observations
without the figures made from them.

A refresh recomputes only the districts whose inputs changed. A materialized model computes a district's rows from
that district's observations and the reference tables alone (INPUT_TABLES; every window and group is partitioned by
unit_id and district), so a district's fingerprint — a hash of all its observation rows, superseded ones too, and
of the reference tables — says when its rows may have changed: those rows are deleted and computed again, appended
in order. Everything is computed again, in order, when more than a quarter of the districts changed or a quarter of
a table was appended out of order (its zone maps would no longer skip much).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import duckdb

from warehouse.transactions import transaction

# What a materialized model may read, through the views it selects from (a test checks it): the fingerprints hash
# exactly these, so a change anywhere else would go unseen. (`observations` is a view of the first three.)
INPUT_TABLES = ("department_figures", "news_figures", "load_runs", "dim_unit", "dim_metric")
FULL_REFRESH_SHARE = 0.25
REFRESH_BATCH_DISTRICTS = 250  # districts computed at once by a whole refresh
UNORDERED_SHARE = 0.25

_HEADER = re.compile(r"^-- materialized: table ordered by ([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*)$", re.MULTILINE)
_LEADING_COMMENTS = re.compile(r"^(?:\s*--[^\n]*\n)*\s*")
_CREATE_VIEW = re.compile(r"^create\s+or\s+replace\s+view\s+[a-z_][a-z0-9_]*\s+as\s+", re.IGNORECASE)
_COMMENT_ON_VIEW = re.compile(r"^comment\s+on\s+view\b", re.IGNORECASE)

# A district is its unit, or for a unit outside the gazetteer (unit_id null) its name as written. A department
# figure's hash covers its row and what the observations view adds from its load's run record (load_runs rows with
# figures are written once, with them); dim_unit and dim_metric, which give its name and unit, count for every
# district. Hashing the tables, not the view, skips building obs_id and the other derived columns: 0.33 s instead
# of 0.8 s for 5 M figures (benchmarks/kpi_views.py, refresh with nothing changed).
_FINGERPRINTS = """
with hashed as (
    select
        figures.unit_id,
        null::varchar as district,
        hash(figures, runs.source, runs.source_sha256, runs.finished_at, runs.department, runs.submission) as row_hash
    from department_figures as figures
    join load_runs as runs on runs.load_id = figures.load_id
    union all
    select unit_id, if(unit_id is null, district, null), hash(news) from news_figures as news
)
select
    unit_id,
    district,
    hash(
        count(*),
        bit_xor(row_hash),
        (select bit_xor(hash(dim_unit)) from dim_unit),
        (select bit_xor(hash(dim_metric)) from dim_metric)
    ) as fingerprint
from hashed
group by 1, 2
"""

# new, changed and vanished districts (a district's key has a null in one of its two columns)
_CHANGED = """
select coalesce(fresh.unit_id, stored.unit_id) as unit_id, coalesce(fresh.district, stored.district) as district
from current_inputs as fresh
full join materialized_inputs as stored
    on fresh.unit_id is not distinct from stored.unit_id and fresh.district is not distinct from stored.district
where fresh.fingerprint is distinct from stored.fingerprint
"""


@dataclass(frozen=True)
class Table:
    """A model stored as a table: the query of its view file, the columns its rows are ordered by, its comments."""

    name: str
    select_sql: str
    order_by: str
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Refresh:
    """What a refresh did: 'unchanged', 'incremental' or 'full' ('none' without materialized models)."""

    method: str
    districts: int
    seconds: float


def view_statement(sql: str) -> str:
    """The `create or replace view` statement of a view file, without the comments before it or the COMMENT ONs after."""
    return _LEADING_COMMENTS.sub("", _statements(sql)[0], count=1)


def table_of(name: str, sql: str) -> Table | None:
    """Read a view file's header: the model as a table, or None when it stays a view."""
    header = _HEADER.search(sql[: sql.lower().find("create or replace view")])
    if header is None:
        return None
    select_sql = _CREATE_VIEW.sub("", view_statement(sql), count=1)
    comments = tuple(_COMMENT_ON_VIEW.sub("comment on table", statement, count=1) for statement in _statements(sql)[1:])
    return Table(name, select_sql, header.group(1), comments)


def _statements(sql: str) -> list[str]:
    """Split a script into statements as DuckDB parses it (the last one keeps its semicolon there: dropped)."""
    return [statement.query.strip().removesuffix(";").rstrip() for statement in duckdb.extract_statements(sql)]


def install(con: duckdb.DuckDBPyConnection, files: dict[str, str], definitions: dict[str, str]) -> list[str]:
    """(Re)create every model of `files` (name -> SQL, in dependency order), inside the caller's transaction.

    A view is created again each time. A table is built when it does not exist or `definitions[name]` (a hash of its
    SQL and of the views it reads) changed, else kept with its rows; its comments are restated either way. A table is
    built in batches of districts, in order, like a whole refresh (one pass over 5 M observations held 4.5 GB), and
    before the models that read it. A model that is no longer materialized loses its table. Return the tables built.
    """
    built = []
    try:
        for position, (name, sql) in enumerate(files.items()):
            table = table_of(name, sql)
            if table is None:
                _drop_table(con, name)
                con.execute(sql)
            elif _create_table(con, table, definitions[name], position):
                built.append(name)
        for (name,) in con.execute("select model from materialized_models").fetchall():
            if name not in files or table_of(name, files[name]) is None:
                _drop_table(con, name)
        materialized = con.execute("select count(*) from materialized_models").fetchone()[0]
        if built and len(built) == materialized:
            # every table was just computed from the observations as they are: they are all current
            _record_inputs(con, districts=None)
    finally:
        con.execute("drop table if exists temp.current_inputs")
    return built


def refresh(con: duckdb.DuckDBPyConnection, *, full: bool = False) -> Refresh:
    """Bring the materialized tables up to date with the observations, in one transaction; `full` recomputes all."""
    started = time.perf_counter()
    if not _has_state(con):
        return Refresh("none", 0, 0.0)
    tables = con.execute(
        "select model, select_sql, order_by, rows_appended from materialized_models order by position"
    ).fetchall()
    if not tables:
        return Refresh("none", 0, 0.0)

    def recompute() -> Refresh:
        con.execute(f"create or replace temp table current_inputs as {_FINGERPRINTS}")
        changed = con.execute(_CHANGED).fetchall()
        if not changed and not full:
            return Refresh("unchanged", 0, time.perf_counter() - started)
        districts = con.execute("select count(*) from current_inputs").fetchone()[0]
        whole = full or len(changed) > FULL_REFRESH_SHARE * districts or _unordered(con, tables)
        condition, params = ("true", []) if whole else _condition(changed)
        # a whole refresh computes the districts in batches, in table order: one pass over millions of figures held
        # 6.6 GB; a batch holds its districts' windows only, and batches appended in order keep the table ordered
        filters = _batch_filters(con) if whole else [_condition(changed)]
        for name, select_sql, order_by, _ in tables:
            con.execute(f"delete from {name} where {condition}", params)
            appended = _fill(con, name, select_sql, order_by, filters)
            con.execute(
                "update materialized_models set rows_appended = if(?, 0, rows_appended + ?), refreshed_at = now()"
                " where model = ?",
                [whole, appended, name],
            )
        _record_inputs(con, districts=None if whole else changed)
        return Refresh("full" if whole else "incremental", districts if whole else len(changed),
                       time.perf_counter() - started)

    # On DuckLake several loaders finish at once: one refresh at a time, each from the observations the last left.
    try:
        return transaction(con, recompute, what="refreshing the materialized tables", locks=["materialize"])
    finally:
        con.execute("drop table if exists temp.current_inputs")



def _create_table(con: duckdb.DuckDBPyConnection, table: Table, definition: str, position: int) -> bool:
    """Create a model's table, or keep it when built from the same definition; restate its comments."""
    kind = _kind(con, table.name)
    if kind == "VIEW":
        con.execute(f"drop view {table.name}")
    stored = con.execute("select definition_sha256 from materialized_models where model = ?", [table.name]).fetchone()
    build = kind != "BASE TABLE" or stored is None or stored[0] != definition
    if build:
        con.execute(f"create or replace table {table.name} as select * from (\n{table.select_sql}\n) with no data")
        con.execute(f"create temp table if not exists current_inputs as {_FINGERPRINTS}")
        _fill(con, table.name, table.select_sql, table.order_by, _batch_filters(con))
        con.execute("delete from materialized_models where model = ?", [table.name])
        con.execute(
            "insert into materialized_models values (?, ?, ?, ?, ?, 0, now())",
            [table.name, position, definition, table.select_sql, table.order_by],
        )
    else:
        con.execute("update materialized_models set position = ? where model = ?", [position, table.name])
    for comment in table.comments:  # creating the table cleared them; restating is cheap, so always
        con.execute(comment)
    return build


def _fill(
    con: duckdb.DuckDBPyConnection, name: str, select_sql: str, order_by: str, filters: list[tuple[str, list]]
) -> int:
    """Append a model's rows, one filter (condition, parameters) after the other, each in order; return the rows."""
    appended = 0
    for condition, params in filters:
        appended += con.execute(
            f"insert into {name} select * from (\n{select_sql}\n) where {condition} order by {order_by}", params
        ).fetchone()[0]
    return appended


def _drop_table(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop the table of a model that was materialized and is not any more."""
    if con.execute("select count(*) from materialized_models where model = ?", [name]).fetchone()[0]:
        if _kind(con, name) == "BASE TABLE":
            con.execute(f"drop table {name}")
        con.execute("delete from materialized_models where model = ?", [name])


def _kind(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    found = con.execute(
        "select table_type from information_schema.tables where table_schema = current_schema() and table_name = ?",
        [name],
    ).fetchone()
    return found[0] if found else None


def _has_state(con: duckdb.DuckDBPyConnection) -> bool:
    return _kind(con, "materialized_models") == "BASE TABLE"


def _unordered(con: duckdb.DuckDBPyConnection, tables: list[tuple]) -> bool:
    """Whether a table has so many rows appended out of order that it is better written again in full."""
    for name, _, _, appended in tables:
        if appended > UNORDERED_SHARE * con.execute(f"select count(*) from {name}").fetchone()[0]:
            return True
    return False


def _batch_filters(con: duckdb.DuckDBPyConnection) -> list[tuple[str, list]]:
    """Filters on every district of current_inputs, in the tables' order (units, then names outside the gazetteer),
    a batch of REFRESH_BATCH_DISTRICTS each."""
    districts = con.execute(
        "select unit_id, district from current_inputs order by unit_id nulls last, district nulls last"
    ).fetchall()
    size = REFRESH_BATCH_DISTRICTS
    return [_span_condition(districts[i:i + size]) for i in range(0, len(districts), size)]


def _condition(districts: list[tuple[str | None, str | None]]) -> tuple[str, list]:
    """A filter on unit_id and district matching these districts, with literal values so that it reaches the scans."""
    units = [unit_id for unit_id, _ in districts if unit_id is not None]
    named = [district for unit_id, district in districts if unit_id is None]
    parts = []
    if units:
        parts.append(f"unit_id in ({', '.join('?' * len(units))})")
    if named:
        parts.append(f"(unit_id is null and district in ({', '.join('?' * len(named))}))")
    return f"({' or '.join(parts)})", units + named


def _span_condition(batch: list[tuple[str | None, str | None]]) -> tuple[str, list]:
    """A filter on a batch of _batch_filters (consecutive districts in table order) by the span of its units.

    Every unit between its first and last is in the batch, so `between` selects the same rows as an IN list; but a
    range is pushed into the scans (zone maps skip the row groups of other units of an ordered table) where an IN
    list of 250 values becomes a join (timed by hand: 2.2 s instead of 3.8 s a batch of int_month_figures over 5 M
    observations).
    """
    units = [unit_id for unit_id, _ in batch if unit_id is not None]
    named = [(unit_id, district) for unit_id, district in batch if unit_id is None]
    parts, params = [], []
    if units:
        parts.append("unit_id between ? and ?")
        params += [units[0], units[-1]]
    if named:
        condition, named_params = _condition(named)
        parts.append(condition)
        params += named_params
    return f"({' or '.join(parts)})", params


def _record_inputs(con: duckdb.DuckDBPyConnection, districts: list[tuple] | None) -> None:
    """Keep the fingerprints (temp table current_inputs) the tables now reflect: of these districts, or of all (None)."""
    if districts is None:
        con.execute("delete from materialized_inputs")
        con.execute("insert into materialized_inputs select unit_id, district, fingerprint from current_inputs")
        return
    condition, params = _condition(districts)
    con.execute(f"delete from materialized_inputs where {condition}", params)
    con.execute(
        f"insert into materialized_inputs select unit_id, district, fingerprint from current_inputs where {condition}",
        params,
    )
