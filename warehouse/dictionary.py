"""Document the warehouse's views from the comments it holds (COMMENT ON VIEW / COLUMN): a Markdown data dictionary.

A materialized model (warehouse.materialize) is a table with the same comments; the dictionary says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

LAYERS = (
    ("stg_", "Staging: one view per source, current figures only, renamed and typed."),
    ("int_", "Intermediate: shapes reused by several marts."),
    ("kpi_", "Marts: what analysts query."),
)


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    comment: str | None


@dataclass(frozen=True)
class View:
    name: str
    comment: str | None
    columns: list[Column]
    order_by: str | None = None  # materialized: stored as a table, rows in this order


def documented_views(con: duckdb.DuckDBPyConnection) -> list[View]:
    """Read every stg_/int_/kpi_ view or materialized table with its columns and comments, in layer then name order."""
    prefixes = [prefix for prefix, _ in LAYERS]
    views = con.execute(
        "select view_name, comment, null from duckdb_views() where not internal and schema_name = 'main'"
        " union all"
        " select table_name, comment, models.order_by from duckdb_tables()"
        " join materialized_models as models on models.model = table_name where schema_name = 'main'"
        " order by 1"
    ).fetchall()
    columns = con.execute(
        "select table_name, column_name, data_type, comment from duckdb_columns()"
        " where schema_name = 'main' order by table_name, column_index"
    ).fetchall()
    by_view: dict[str, list[Column]] = {}
    for table, name, data_type, comment in columns:
        by_view.setdefault(table, []).append(Column(name, data_type, comment))
    found = [
        View(name, comment, by_view.get(name, []), order_by)
        for name, comment, order_by in views
        if name.startswith(tuple(prefixes))
    ]
    return sorted(found, key=lambda view: (prefixes.index(view.name[:4]), view.name))


def undocumented(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Name every stg_/int_/kpi_ view or view column without a comment: 'kpi_mom', 'kpi_mom.mom_pct'."""
    missing = []
    for view in documented_views(con):
        if not view.comment:
            missing.append(view.name)
        missing.extend(f"{view.name}.{column.name}" for column in view.columns if not column.comment)
    return missing


def render(con: duckdb.DuckDBPyConnection) -> str:
    """Write the data dictionary as Markdown: a section per view, a table of its columns."""
    views = documented_views(con)
    out = [
        "# Data dictionary",
        "",
        "Generated from the comments the warehouse holds (`COMMENT ON VIEW` / `COMMENT ON COLUMN`, written in",
        "`sql/views/*.sql`) by `dkpi docs`; do not edit by hand. In DuckDB the same text is in",
        "`duckdb_views().comment` (`duckdb_tables().comment` for a materialized one) and `duckdb_columns().comment`.",
        "A *materialized* model is stored as a table, recomputed at the end of every run (`warehouse/materialize.py`);",
        "it is queried the same way. Values are in base units: whole đồng, counts, percent as a number (`84.72`).",
        "The other tables are described in `sql/migrations/`.",
        "",
    ]
    for prefix, description in LAYERS:
        layer = [view for view in views if view.name.startswith(prefix)]
        out += [f"- **`{prefix}*`** {description} " + ", ".join(_link(view) for view in layer)]
    for view in views:
        out += ["", f"## {view.name}", "", _cell(view.comment), ""]
        if view.order_by:
            out += [f"Materialized: a table, its rows stored in order of {view.order_by}.", ""]
        out += ["| column | type | description |", "|---|---|---|"]
        out += [f"| `{column.name}` | {column.data_type} | {_cell(column.comment)} |" for column in view.columns]
    return "\n".join(out) + "\n"


def _link(view: View) -> str:
    return f"[`{view.name}`](#{view.name})" + (" (materialized)" if view.order_by else "")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")
