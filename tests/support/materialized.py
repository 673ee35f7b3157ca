"""Compare the materialized tables (kpi_monthly, int_month_figures) with what their SQL gives now."""

from __future__ import annotations


def differences(con, name: str) -> list[tuple]:
    """Rows of the table that its SQL does not give now, and rows its SQL gives that the table lacks."""
    select_sql = con.execute("select select_sql from materialized_models where model = ?", [name]).fetchone()[0]
    return con.execute(
        f"select 'stored', * from (from {name} except all from ({select_sql}))"
        f" union all select 'computed', * from (from ({select_sql}) except all from {name})"
    ).fetchall()


def stale(con) -> dict[str, list[tuple]]:
    """Each materialized table that differs from its SQL, with the differing rows; {} when all are current."""
    models = [name for (name,) in con.execute("select model from materialized_models order by position").fetchall()]
    assert models, "no materialized model"
    return {name: rows for name in models if (rows := differences(con, name))}
