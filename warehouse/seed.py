"""Keep the reference dimensions (units, metrics) in step with the catalogues; idempotent."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb


def seed_units(con: duckdb.DuckDBPyConnection, units: Iterable) -> int:
    """Upsert administrative units into dim_unit; return how many rows the catalogue has."""
    rows = [
        (u.id, u.name, u.type, u.full_name, u.province, u.written_forms(), u.valid_from, u.valid_to, u.note)
        for u in units
    ]
    con.executemany("insert or replace into dim_unit values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def seed_metrics(con: duckdb.DuckDBPyConnection, metrics: Iterable) -> int:
    """Upsert catalogue metrics into dim_metric; return how many rows the catalogue has."""
    rows = [
        (m.code, m.label_vi, m.label_en, m.unit, m.is_ytd, m.additive, list(m.aliases), m.freshness_days)
        for m in metrics
    ]
    con.executemany(
        "insert or replace into dim_metric (metric, label_vi, label_en, unit, is_ytd, is_additive, aliases, freshness_days)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
