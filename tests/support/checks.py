"""Run one data-quality check the way run_checks does (the file's query, its result contract) and return its rows."""

from __future__ import annotations

import json

from warehouse.alerts import CHECKS_DIR, check_files, run_checks


def found(con, name: str) -> list[dict]:
    """Return the rows a check finds, ordered, as dicts with details parsed; fail on a check error."""
    [check] = [c for c in check_files() if c.name == name]
    [result] = run_checks(con, [check])
    assert result.error is None, result.error
    cursor = con.execute(
        "select district, metric, period::varchar as period, subject, severity, message, details from dq_found"
        " order by district, metric, period, subject"
    )
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["details"] = json.loads(row["details"]) if row["details"] else None
    return rows


def fingerprints(con, name: str) -> list[tuple]:
    """Return (district, metric, period, severity) of each row a check finds."""
    return [(row["district"], row["metric"], row["period"], row["severity"]) for row in found(con, name)]


__all__ = ["CHECKS_DIR", "found", "fingerprints"]
