"""Data-quality checks and their alerts: run the SQL checks, keep one alert per fingerprint through its lifecycle,
say which notifications are due, and record what was delivered.

A check is a file `sql/checks/<name>.sql` holding one query that returns the offending rows (zero rows: the check
passes). Its result contract:

    district  VARCHAR   the district the row is about (null: not one district)
    metric    VARCHAR   metric code (null: not one metric)
    period    DATE      month_start of the month concerned (null: the whole series)
    subject   VARCHAR   optional: what else tells two rows apart (a file, an article, a basis)
    severity  VARCHAR   'info' | 'warning' | 'critical'
    message   VARCHAR   in Vietnamese, naming the figures, months and sources; never empty
    details   any       optional: a STRUCT, LIST, MAP or JSON (or JSON text) with values, URLs, file and row

(check, district, metric, period, subject) is the fingerprint: a check returns it at most once, and the alert it
raises is the same alert from run to run. A check whose SQL fails, or whose result breaks the contract, is recorded
with its error (naming the file) and leaves its alerts as they were; the other checks still run.

Lifecycle: a new fingerprint opens an alert; seen again it stays open (or acknowledged), counting occurrences; when
its check passes without it, it is resolved; failing again later re-opens it. An acknowledged alert stays quiet while
it keeps failing, unless its severity rises: then it is open again.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from warehouse.connection import SQL_DIR
from warehouse.errors import WarehouseError
from warehouse.transactions import exclusive, transaction
from warehouse.read import QueryResult, query

CHECKS_DIR = SQL_DIR / "checks"
SEVERITIES = ("info", "warning", "critical")
STATUSES = ("open", "acknowledged", "resolved")
# column -> the DuckDB type it must have; details may be any nested type or JSON
REQUIRED_COLUMNS = {"district": "VARCHAR", "metric": "VARCHAR", "period": "DATE", "severity": "VARCHAR", "message": "VARCHAR"}
OPTIONAL_COLUMNS = {"subject": "VARCHAR", "details": None}

_CHECK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class AlertError(WarehouseError):
    """Raised when an alert cannot be found or changed as asked; the message says why."""


class CheckContractError(ValueError):
    """Raised when a check's result breaks the contract; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Check:
    """One check file: its name (the file's), the title its first line gives, and its query."""

    name: str
    path: Path
    title: str
    sql: str


@dataclass(frozen=True)
class CheckResult:
    """How one check did in one run: the rows it returned, or why it could not run."""

    name: str
    started_at: datetime
    duration_ms: float
    rows: int | None
    error: str | None = None


@dataclass(frozen=True)
class LifecycleSummary:
    """What one run did to the alerts."""

    opened: int = 0
    reopened: int = 0
    still_failing: int = 0
    resolved: int = 0


@dataclass(frozen=True)
class CheckRun:
    """One run of every check: each check's result and what it did to the alerts."""

    run_id: str
    results: list[CheckResult]
    lifecycle: LifecycleSummary

    @property
    def failed(self) -> list[CheckResult]:
        """The checks that could not run."""
        return [result for result in self.results if result.error is not None]


@dataclass(frozen=True)
class Notification:
    """An alert's state that its channels have not all been told yet: a first firing, a reminder, a resolution."""

    key: str  # one notification; retried under the same key until every channel has it
    event: str  # firing | reminder | resolved
    state: str  # what the channels are told: 'open:warning', 'resolved'
    alert_id: str
    check_name: str
    title: str
    district: str | None
    metric: str | None
    period: date | None
    subject: str | None
    severity: str
    status: str
    message: str
    details: Any
    first_seen_at: datetime
    last_seen_at: datetime
    occurrences: int
    delivered: frozenset[str] = field(default_factory=frozenset)  # channels that already have it

    @property
    def short_id(self) -> str:
        """The id people type: the first 12 characters."""
        return self.alert_id[:12]


@dataclass(frozen=True)
class Delivery:
    """One notification sent (or not) to one channel."""

    alert_id: str
    notification: str
    channel: str
    event: str
    attempted_at: datetime
    attempts: int
    success: bool
    error: str | None = None


def check_files(directory: Path | None = None) -> list[Check]:
    """List the checks (sql/checks unless another folder is given) in name order; a file named or headed wrongly is
    an error naming it. The first line is '-- <name>: <title>': the title heads every notification of its alerts.
    """
    checks = []
    for path in sorted((directory or CHECKS_DIR).glob("*.sql")):
        if not _CHECK_NAME.match(path.stem):
            raise CheckContractError(f"{path}: check files are named like lower_case_words.sql")
        sql = path.read_text(encoding="utf-8")
        first = sql.splitlines()[0] if sql else ""
        prefix = f"-- {path.stem}: "
        if not first.startswith(prefix) or not first[len(prefix):].strip():
            raise CheckContractError(f"{path}: the first line must be '-- {path.stem}: <title>'")
        checks.append(Check(path.stem, path, first[len(prefix):].strip(), sql))
    return checks


def check_warehouse(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    now: datetime,
    flow_run_id: str | None = None,
    checks: Sequence[Check] | None = None,
) -> CheckRun:
    """Run the checks (every file in sql/checks unless given) and update the alerts from what they found.

    On DuckLake, where several loaders finish at once, one check run at a time (an advisory lock): each then sees the
    alerts the previous one left, so an alert is opened once and not resolved by a run that looked before it existed.
    """
    checks = check_files() if checks is None else checks
    with exclusive(con, ["alerts"]):
        results = run_checks(con, checks)
        lifecycle = update_alerts(
            con, results, run_id=run_id, now=now, flow_run_id=flow_run_id, known_checks=[check.name for check in checks]
        )
    return CheckRun(run_id, results, lifecycle)


def run_checks(con: duckdb.DuckDBPyConnection, checks: Sequence[Check]) -> list[CheckResult]:
    """Run every check into the session table dq_found; a failing check is recorded, never raised."""
    con.execute(
        "create or replace temp table dq_found (check_name varchar, alert_id varchar, district varchar, metric varchar,"
        " period date, subject varchar, severity varchar, message varchar, details json)"
    )
    return [_run_one(con, check) for check in checks]


def _run_one(con: duckdb.DuckDBPyConnection, check: Check) -> CheckResult:
    started_at, clock = datetime.now().astimezone(), time.perf_counter()
    rows, error = None, None
    try:
        statements = con.extract_statements(check.sql)
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise CheckContractError(
                f"{check.path.name}: a check is exactly one query (a select), found {len(statements)} statement(s)"
            )
        con.execute(f"create or replace temp table dq_result as {statements[0].query.rstrip().rstrip(';')}")
        details = _validate(con, check)
        rows = con.execute(
            f"""
            insert into dq_found
            select
                $name,
                md5(concat_ws(chr(31), $name, coalesce(district, ''), coalesce(metric, ''),
                              coalesce(cast(period as varchar), ''), coalesce(subject, ''))),
                district, metric, period, subject, severity, message, {details}
            from dq_result
            """,
            {"name": check.name},
        ).fetchone()[0]
    except (duckdb.Error, CheckContractError) as failure:
        error = str(failure) if isinstance(failure, CheckContractError) else f"{check.path.name}: {failure}"
    finally:
        con.execute("drop table if exists dq_result")
    return CheckResult(check.name, started_at, round(1000 * (time.perf_counter() - clock), 3), rows, error)


def _validate(con: duckdb.DuckDBPyConnection, check: Check) -> str:
    """Check the result's columns and values against the contract; return the SQL that makes `details` JSON."""
    types = dict(con.execute("select column_name, column_type from (describe dq_result)").fetchall())
    where = check.path.name
    missing = [name for name in REQUIRED_COLUMNS if name not in types]
    unknown = [name for name in types if name not in REQUIRED_COLUMNS and name not in OPTIONAL_COLUMNS]
    if missing or unknown:
        raise CheckContractError(
            f"{where}: the result must have columns district, metric, period, severity, message (and optionally "
            f"subject, details); missing {missing or 'none'}, unexpected {unknown or 'none'}"
        )
    expected = {**REQUIRED_COLUMNS, "subject": "VARCHAR"}
    wrong = [f"{name} is {types[name]}, not {kind}" for name, kind in expected.items() if name in types and types[name] != kind]
    if wrong:
        raise CheckContractError(f"{where}: {'; '.join(wrong)} (cast a null explicitly: cast(null as varchar))")
    if "subject" not in types:
        con.execute("alter table dq_result add column subject varchar")
    bad_severity, no_message, repeated = con.execute(
        """
        select
            count(*) filter (where severity is null or severity not in (select unnest($severities))),
            count(*) filter (where message is null or trim(message) = ''),
            (select count(*) from (
                select 1 from dq_result group by district, metric, period, subject having count(*) > 1))
        from dq_result
        """,
        {"severities": list(SEVERITIES)},
    ).fetchone()
    problems = [
        f"{bad_severity} row(s) with a severity other than {', '.join(SEVERITIES)}" if bad_severity else "",
        f"{no_message} row(s) without a message" if no_message else "",
        f"{repeated} fingerprint(s) (district, metric, period, subject) returned more than once" if repeated else "",
    ]
    if any(problems):
        raise CheckContractError(f"{where}: {'; '.join(p for p in problems if p)}")
    if "details" not in types:
        return "cast(null as json)"
    return "cast(details as json)" if types["details"] in ("JSON", "VARCHAR") else "to_json(details)"


_RANK = "case {0} when 'info' then 1 when 'warning' then 2 when 'critical' then 3 end"
# an acknowledged alert found again at a higher severity is open again
_ESCALATED = f"(a.status = 'acknowledged' and {_RANK.format('f.severity')} > {_RANK.format('a.severity')})"


def update_alerts(
    con: duckdb.DuckDBPyConnection,
    results: Sequence[CheckResult],
    *,
    run_id: str,
    now: datetime,
    flow_run_id: str | None = None,
    known_checks: Iterable[str],
) -> LifecycleSummary:
    """Record the run and move every alert along its lifecycle from what the checks found (dq_found), in one transaction.

    Only checks that ran resolve alerts: a check that failed says nothing about its alerts. Alerts of a check that
    no longer exists are resolved.
    """
    ran = [result.name for result in results if result.error is None]

    def update() -> LifecycleSummary:
        _execute_many(
            con,
            "insert into dq_check_runs (run_id, check_name, flow_run_id, started_at, duration_ms, rows_found, error)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [[run_id, r.name, flow_run_id, r.started_at, r.duration_ms, r.rows, r.error] for r in results],
        )
        opened, reopened, still = con.execute(
            f"""
            select
                count(*) filter (where a.alert_id is null),
                count(*) filter (where a.status = 'resolved' or {_ESCALATED}),
                count(*) filter (where a.status in ('open', 'acknowledged') and not {_ESCALATED})
            from dq_found as f left join dq_alerts as a using (alert_id)
            """
        ).fetchone()
        con.execute(
            f"""
            update dq_alerts as a set
                status = if(a.status = 'resolved' or {_ESCALATED}, 'open', a.status),
                acknowledged_at = if(a.status = 'acknowledged' and not {_ESCALATED}, a.acknowledged_at, null),
                acknowledged_by = if(a.status = 'acknowledged' and not {_ESCALATED}, a.acknowledged_by, null),
                acknowledgement_note = if(a.status = 'acknowledged' and not {_ESCALATED}, a.acknowledgement_note, null),
                severity = f.severity,
                message = f.message,
                details = f.details,
                last_seen_at = $now,
                occurrences = a.occurrences + 1,
                resolved_at = null
            from dq_found as f
            where f.alert_id = a.alert_id
            """,
            {"now": now},
        )
        con.execute(
            """
            insert into dq_alerts (alert_id, check_name, district, metric, period, subject, severity, message, details,
                                   status, first_seen_at, last_seen_at, occurrences)
            select alert_id, check_name, district, metric, period, subject, severity, message, details,
                   'open', $now, $now, 1
            from dq_found
            where alert_id not in (select alert_id from dq_alerts)
            """,
            {"now": now},
        )
        resolved = con.execute(
            """
            update dq_alerts set status = 'resolved', resolved_at = $now
            where status in ('open', 'acknowledged')
              and alert_id not in (select alert_id from dq_found)
              and (check_name in (select unnest($ran)) or check_name not in (select unnest($known)))
            """,
            {"now": now, "ran": ran, "known": list(known_checks)},
        ).fetchone()[0]
        return LifecycleSummary(opened, reopened, still, resolved)

    return transaction(con, update, what="updating the alerts")


def due_notifications(
    con: duckdb.DuckDBPyConnection,
    *,
    now: datetime,
    renotify_hours: float,
    notify_resolved: bool,
    titles: dict[str, str],
) -> list[Notification]:
    """List the notifications due: a firing when an open alert's channels were last told another state (new,
    re-opened, severity changed), a reminder when they were told this state more than renotify_hours ago (0: never),
    a resolution of an alert whose firing was told. Acknowledged alerts are quiet.
    """
    rows = con.execute(
        """
        with due as (
            select
                *,
                case
                    when status = 'open' and last_notified_state is distinct from 'open:' || severity then 'firing'
                    when status = 'open' and $renotify > 0 and last_notified_at <= $reminders_before then 'reminder'
                    when status = 'resolved' and $resolved and starts_with(last_notified_state, 'open:') then 'resolved'
                end as event
            from dq_alerts
        )
        select
            md5(concat_ws(chr(31), alert_id, event, coalesce(last_notified_state, ''),
                          coalesce(cast(last_notified_at as varchar), ''), status, severity)) as key,
            event,
            if(status = 'resolved', 'resolved', 'open:' || severity) as state,
            alert_id, check_name, district, metric, period, subject, severity, status, message, details,
            first_seen_at, last_seen_at, occurrences
        from due
        where event is not null
        order by first_seen_at, alert_id
        """,
        {"renotify": renotify_hours, "reminders_before": now - timedelta(hours=renotify_hours), "resolved": notify_resolved},
    ).fetchall()
    delivered = _delivered(con, [row[0] for row in rows])
    return [
        Notification(
            key, event, state, alert_id, check_name, titles.get(check_name, check_name), district, metric, period,
            subject, severity, status, message, json.loads(details) if details else None, first_seen, last_seen,
            occurrences, frozenset(delivered.get(key, ())),
        )
        for (key, event, state, alert_id, check_name, district, metric, period, subject, severity, status, message,
             details, first_seen, last_seen, occurrences) in rows
    ]


def _delivered(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, list[str]]:
    """Map each notification key to the channels that already have it."""
    if not keys:
        return {}
    rows = con.execute(
        "select notification, list(distinct channel) from dq_deliveries"
        " where success and notification in (select unnest(?)) group by notification",
        [keys],
    ).fetchall()
    return dict(rows)


def record_deliveries(
    con: duckdb.DuckDBPyConnection, deliveries: Sequence[Delivery], notified: Sequence[Notification], *, now: datetime
) -> None:
    """Keep every delivery attempt and mark the notifications every channel now has, in one transaction."""

    def record() -> None:
        _execute_many(
            con,
            "insert into dq_deliveries (alert_id, notification, channel, event, attempted_at, attempts, success, error)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [[d.alert_id, d.notification, d.channel, d.event, d.attempted_at, d.attempts, d.success, d.error]
             for d in deliveries],
        )
        _execute_many(
            con,
            "update dq_alerts set last_notified_at = ?, last_notified_state = ? where alert_id = ?",
            [[now, n.state, n.alert_id] for n in notified],
        )

    transaction(con, record, what="recording alert deliveries")


def _execute_many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list]) -> None:
    """Run a statement once per row; no rows, no statement (DuckDB refuses an empty executemany)."""
    if rows:
        con.executemany(sql, rows)


ALERT_COLUMNS = (
    "left(alert_id, 12) as id, severity, status, check_name as check, district, metric,"
    " strftime(period, '%Y-%m') as period, subject, message, first_seen_at, last_seen_at, occurrences,"
    " acknowledged_by, resolved_at"
)


def list_alerts(con: duckdb.DuckDBPyConnection, status: str = "open") -> QueryResult:
    """List alerts of a status (or 'all'), the most severe and most recently seen first."""
    if status != "all" and status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: choose from {', '.join(STATUSES)} or all")
    return query(
        con,
        f"select {ALERT_COLUMNS} from dq_alerts where ? = 'all' or status = ?"
        f" order by {_RANK.format('severity')} desc, last_seen_at desc, alert_id",
        [status, status],
    )


def acknowledge(
    con: duckdb.DuckDBPyConnection, prefix: str, *, by: str, note: str | None, now: datetime
) -> QueryResult:
    """Acknowledge the alert whose id starts with `prefix`: it stays quiet while it keeps failing at that severity."""
    if not re.fullmatch(r"[0-9a-f]{4,32}", prefix):
        raise AlertError(f"{prefix!r} is not an alert id: give at least 4 of its hexadecimal characters (dkpi alerts)")
    found = con.execute(
        "select alert_id, status from dq_alerts where starts_with(alert_id, ?) order by alert_id", [prefix]
    ).fetchall()
    if not found:
        raise AlertError(f"no alert with id {prefix} (dkpi alerts --status all lists them)")
    if len(found) > 1:
        raise AlertError(f"{prefix} matches {len(found)} alerts: give more of the id")
    alert_id, status = found[0]
    if status == "resolved":
        raise AlertError(f"alert {alert_id[:12]} is resolved: its check passes, there is nothing to acknowledge")
    con.execute(
        "update dq_alerts set status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?,"
        " acknowledgement_note = ? where alert_id = ?",
        [now, by, note, alert_id],
    )
    return query(con, f"select {ALERT_COLUMNS}, acknowledgement_note from dq_alerts where alert_id = ?", [alert_id])

