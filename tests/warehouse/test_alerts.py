"""Alert lifecycle: one alert per fingerprint, resolved when its check passes, re-opened, acknowledged, re-notified;
and the result contract every check must keep."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warehouse.alerts import (
    AlertError, Check, Delivery, acknowledge, check_warehouse, due_notifications, list_alerts, record_deliveries,
    run_checks,
)

T0 = datetime(2025, 3, 10, 1, 0, tzinfo=UTC)
PLANTED = Check(
    "planted", Path("planted.sql"), "Số liệu cấy sẵn (planted)",
    "select district, 'budget_revenue' as metric, date '2024-07-01' as period, severity,"
    " 'Thu ngân sách ' || district || ' tháng 07/2024 sai' as message, {'district': district} as details from planted",
)


@pytest.fixture
def con(wh):
    wh.con.execute("create table planted (district varchar, severity varchar)")
    return wh.con


def plant(con, *rows):
    con.execute("delete from planted")
    for district, severity in rows:
        con.execute("insert into planted values (?, ?)", [district, severity])


def check(con, at=T0, checks=(PLANTED,)):
    return check_warehouse(con, run_id=f"run-{at.isoformat()}", now=at, checks=list(checks))


def due(con, at=T0, renotify_hours=24, notify_resolved=True):
    return due_notifications(con, now=at, renotify_hours=renotify_hours, notify_resolved=notify_resolved,
                             titles={"planted": PLANTED.title})


def tell(con, notifications, at=T0, channels=("log", "webhook")):
    """Deliver to every channel successfully and record it, as run_checks does."""
    deliveries = [Delivery(n.alert_id, n.key, channel, n.event, at, 1, True) for n in notifications for channel in channels]
    record_deliveries(con, deliveries, notifications, now=at)


def alerts(con, status="all"):
    result = list_alerts(con, status)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_an_alert_is_raised_once_and_sent_once(con):
    plant(con, ("Thanh Xuân", "warning"))
    first = check(con)
    assert (first.lifecycle.opened, first.lifecycle.still_failing) == (1, 0)
    [firing] = due(con)
    assert (firing.event, firing.state, firing.district, firing.title, firing.details) == (
        "firing", "open:warning", "Thanh Xuân", "Số liệu cấy sẵn (planted)", {"district": "Thanh Xuân"}
    )
    tell(con, [firing])
    later = T0 + timedelta(hours=1)
    second = check(con, later)
    assert (second.lifecycle.opened, second.lifecycle.still_failing) == (0, 1)
    assert due(con, later) == []
    [alert] = alerts(con)
    assert (alert["status"], alert["occurrences"], alert["id"]) == ("open", 2, firing.alert_id[:12])
    assert con.execute("select first_seen_at, last_seen_at from dq_alerts").fetchone() == (T0, later)


def test_resolved_when_the_check_passes_and_reopened_when_it_fails_again(con):
    plant(con, ("Thanh Xuân", "warning"), ("Cầu Giấy", "critical"))
    check(con)
    tell(con, due(con))
    plant(con, ("Cầu Giấy", "critical"))
    assert check(con, T0 + timedelta(hours=1)).lifecycle.resolved == 1
    [resolved] = due(con, T0 + timedelta(hours=1))
    assert (resolved.district, resolved.event, resolved.state, resolved.status) == ("Thanh Xuân", "resolved", "resolved", "resolved")
    tell(con, [resolved], T0 + timedelta(hours=1))
    assert [(a["district"], a["status"]) for a in alerts(con)] == [("Cầu Giấy", "open"), ("Thanh Xuân", "resolved")]
    assert due(con, T0 + timedelta(hours=2)) == []
    plant(con, ("Thanh Xuân", "warning"), ("Cầu Giấy", "critical"))
    assert check(con, T0 + timedelta(hours=3)).lifecycle.reopened == 1
    [again] = due(con, T0 + timedelta(hours=3))
    assert (again.district, again.event, again.occurrences) == ("Thanh Xuân", "firing", 2)


def test_a_resolution_is_sent_only_for_an_alert_people_were_told_of(con):
    plant(con, ("Thanh Xuân", "warning"))
    check(con)
    plant(con)
    check(con, T0 + timedelta(hours=1))
    assert due(con, T0 + timedelta(hours=1)) == []
    plant(con, ("Thanh Xuân", "warning"))
    check(con, T0 + timedelta(hours=2))
    tell(con, due(con, T0 + timedelta(hours=2)))
    plant(con)
    check(con, T0 + timedelta(hours=3))
    assert due(con, T0 + timedelta(hours=3), notify_resolved=False) == []


def test_an_acknowledged_alert_stays_quiet_until_it_gets_worse_or_passes(con):
    plant(con, ("Thanh Xuân", "warning"))
    check(con)
    [firing] = due(con)
    tell(con, [firing])
    [row] = acknowledge(con, firing.alert_id[:6], by="lan", note="đã hỏi phòng TC-KH", now=T0).rows
    assert row[2] == "acknowledged"
    for hours in (30, 60):  # still failing, past the re-notify interval: nothing
        check(con, T0 + timedelta(hours=hours))
        assert due(con, T0 + timedelta(hours=hours)) == []
    [alert] = alerts(con)
    assert (alert["status"], alert["acknowledged_by"]) == ("acknowledged", "lan")
    plant(con, ("Thanh Xuân", "critical"))
    assert check(con, T0 + timedelta(hours=61)).lifecycle.reopened == 1
    [worse] = due(con, T0 + timedelta(hours=61))
    assert (worse.event, worse.state) == ("firing", "open:critical")
    assert alerts(con)[0]["acknowledged_by"] is None


def test_reminders_follow_the_renotify_interval(con):
    plant(con, ("Thanh Xuân", "warning"))
    check(con)
    tell(con, due(con))
    assert due(con, T0 + timedelta(hours=23)) == []
    [reminder] = due(con, T0 + timedelta(hours=25))
    assert (reminder.event, reminder.state) == ("reminder", "open:warning")
    tell(con, [reminder], T0 + timedelta(hours=25))
    assert due(con, T0 + timedelta(hours=40)) == []
    assert [n.event for n in due(con, T0 + timedelta(hours=50))] == ["reminder"]
    assert due(con, T0 + timedelta(days=30), renotify_hours=0) == []


def test_a_channel_that_failed_is_retried_alone(con):
    plant(con, ("Thanh Xuân", "warning"))
    check(con)
    [firing] = due(con)
    record_deliveries(con, [
        Delivery(firing.alert_id, firing.key, "log", "firing", T0, 1, True),
        Delivery(firing.alert_id, firing.key, "webhook", "firing", T0, 4, False, "HTTP 500 from http://127.0.0.1:1/…"),
    ], [], now=T0)
    [retry] = due(con, T0 + timedelta(minutes=5))
    assert (retry.key, retry.delivered) == (firing.key, frozenset({"log"}))


def test_a_broken_check_leaves_its_alerts_and_a_retired_one_resolves_them(con):
    plant(con, ("Thanh Xuân", "warning"))
    check(con)
    broken = Check("planted", Path("planted.sql"), "x", "select district from planted_typo")
    run = check(con, T0 + timedelta(hours=1), checks=[broken])
    [failed] = run.failed
    assert failed.error.startswith("planted.sql: Catalog Error") and run.lifecycle.resolved == 0
    assert alerts(con, "open")[0]["district"] == "Thanh Xuân"
    assert con.execute("select check_name, rows_found, error is not null from dq_check_runs order by started_at").fetchall() == [
        ("planted", 1, False), ("planted", None, True),
    ]
    assert check(con, T0 + timedelta(hours=2), checks=[]).lifecycle.resolved == 1


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        ("select 'x' as district, 'm' as metric, date '2024-07-01' as period, 'warning' as severity",
         "missing ['message']"),
        ("select 'x' as district, 'm' as metric, date '2024-07-01' as period, 'warning' as severity, 'a' as message,"
         " 1 as score", "unexpected ['score']"),
        ("select 'x' as district, 'm' as metric, '2024-07' as period, 'warning' as severity, 'a' as message",
         "period is VARCHAR, not DATE"),
        ("select 'x' as district, null as metric, date '2024-07-01' as period, 'warning' as severity, 'a' as message",
         "metric is INTEGER, not VARCHAR (cast a null explicitly"),
        ("select 'x' as district, 'm' as metric, date '2024-07-01' as period, 'urgent' as severity, 'a' as message",
         "1 row(s) with a severity other than info, warning, critical"),
        ("select 'x' as district, 'm' as metric, date '2024-07-01' as period, 'info' as severity, ' ' as message",
         "1 row(s) without a message"),
        ("select 'x' as district, 'm' as metric, date '2024-07-01' as period, 'info' as severity, 'a' as message"
         " from range(2)", "1 fingerprint(s) (district, metric, period, subject) returned more than once"),
        ("select 1; select 2", "a check is exactly one query (a select), found 2 statement(s)"),
        ("delete from planted", "a check is exactly one query (a select)"),
    ],
)
def test_a_check_that_breaks_the_contract_is_an_error_naming_its_file(con, sql, error):
    [result] = run_checks(con, [Check("bad", Path("sql/checks/bad.sql"), "Bad (bad)", sql)])
    assert result.rows is None and result.error.startswith("bad.sql: ") and error in result.error


def test_acknowledging_needs_one_unresolved_alert(con):
    plant(con, ("Thanh Xuân", "warning"), ("Cầu Giấy", "warning"))
    check(con)
    ids = [a["id"] for a in alerts(con)]
    with pytest.raises(AlertError, match="not an alert id"):
        acknowledge(con, "xyz", by="lan", note=None, now=T0)
    with pytest.raises(AlertError, match="no alert with id"):
        acknowledge(con, "0000000000", by="lan", note=None, now=T0)
    plant(con, ("Cầu Giấy", "warning"))
    check(con, T0 + timedelta(hours=1))
    resolved = [a["id"] for a in alerts(con, "resolved")][0]
    with pytest.raises(AlertError, match="is resolved"):
        acknowledge(con, resolved, by="lan", note=None, now=T0)
    assert sorted(ids) == sorted([a["id"] for a in alerts(con)])
