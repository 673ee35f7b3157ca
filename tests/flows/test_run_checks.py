"""End to end: load our own department files and articles holding one of each kind of problem through the real
flows; exactly the matching alerts are raised and each is delivered once to a local webhook; correcting the data
resolves them; running the checks again sends nothing new. And a delivery that fails never fails the run."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from flows.ingest_departments import ingest_departments
from flows.ingest_news import ingest_news
from flows.run_checks import run_checks
from flows.settings import AlertSettings, FetchSettings
from tests.support.http_server import Reply
from warehouse import Warehouse

FAST = FetchSettings(backoff_base=0.01, max_retries=1, timeout_connect=2, timeout_read=2)
TOKEN = "T0DKPI/B0E2E/s3cret"
ALERTS = AlertSettings(
    routes={severity: ("log", "webhook") for severity in ("info", "warning", "critical")},
    webhook_format="generic", max_attempts=2, backoff_base=0.0, timeout=5,
)
MONTHS = [f"2024-{number:02d}" for number in range(1, 12)]  # January to November 2024
HEADER = "district,metric,period,value,unit,cumulative,annual_plan\n"


def rows(district, metric, values, unit, cumulative, plans=None):
    """CSV lines of one series, January onwards; None leaves a month out."""
    plans = plans or [None] * len(values)
    return "".join(
        f'{district},{metric},{month},{value},{unit},{"true" if cumulative else "false"},{plan or ""}\n'
        for month, value, plan in zip(MONTHS, values, plans) if value is not None
    )


def hoan_kiem(corrected: bool) -> str:
    """Revenue (the article misquotes October), spending (its plan moves in July), disbursement (August's year to
    date falls), violations (September ten times the rest)."""
    revenue = ["560.000", "1.105.000", "1.650.000", "2.160.000", "2.700.000", "3.260.000", "3.820.000", "4.380.000",
               "5.040.000", "5.660.700", "6.400.000"]
    spending = [str(90 * n) + ".000" for n in range(1, 12)]
    spending_plans = ["1.000.000"] * 6 + ["1.000.000" if corrected else "1.100.000"] * 5
    disbursement = ["20.000", "45.000", "80.000", "120.000", "160.000", "210.000", "260.000",
                    "310.000" if corrected else "250.000", "330.000", "380.000", "430.000"]
    violations = [30, 32, 28, 31, 29, 33, 30, 31, 31 if corrected else 310, 29, 30]
    return HEADER + (
        rows("Hoan Kiem", "budget_revenue", revenue, "triệu đồng", True, ["6.617.000"] * 11)
        + rows("Hoan Kiem", "budget_expenditure", spending, "triệu đồng", True, spending_plans)
        + rows("Hoan Kiem", "public_investment_disbursement", disbursement, "triệu đồng", True, ["700.000"] * 11)
        + rows("Hoan Kiem", "urban_violations", violations, "trường hợp", False)
    )


def tay_ho(corrected: bool) -> str:
    """Revenue that stops in September (late) until October and November come in."""
    values = ["301.200", "640.000", "1.002.900", "1.330.000", "1.690.000", "2.020.000", "2.350.000", "2.700.000",
              "3.050.000", "3.390.000", "3.720.000"]
    return HEADER + rows("Tay Ho", "budget_revenue", values if corrected else values[:9], "triệu đồng", True)


def long_bien(corrected: bool) -> str:
    """A first file with three unreadable counts in eleven (27 %), then a clean one."""
    values = ["41", "44", "3O", "39", "4l", "42", "40", "4,3,", "45", "41", "43"]
    if corrected:
        values = ["41", "44", "38", "39", "41", "42", "40", "43", "45", "41", "43"]
    return HEADER + rows("Long Bien", "urban_violations", values, "trường hợp", False)


CAU_GIAY = HEADER + rows("Cau Giay", "construction_permits", [21, 25, 20, 27, 23, 26, 22, 24, 28, 21, 25], "giấy phép", False)
RESTATED = HEADER + "Cau Giay,construction_permits,2024-03,29,giấy phép,false,\n"
PUT_BACK = HEADER + "Cau Giay,construction_permits,2024-03,20,giấy phép,false,\n"


def page(title: str, published: str, *paragraphs: str) -> Reply:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return Reply(body=(
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{published}T09:00:00+07:00"></head>'
        f'<body><article><h1>{title}</h1><time datetime="{published}T09:00:00+07:00">{published}</time>'
        f'<div class="article-body">{body}</div></article></body></html>'
    ))


def articles(corrected: bool) -> dict[str, Reply]:
    """Hoàn Kiếm's October revenue misquoted; two articles on Ba Đình's October permits; Đống Đa's production value
    stated twice, tenfold apart."""
    return {
        "/bai-viet/hoan-kiem-10.html": page(
            "Quận Hoàn Kiếm họp phiên thường kỳ tháng 11", "2024-11-08",
            "Ngày 7/11, UBND quận Hoàn Kiếm họp phiên thường kỳ tháng 11.",
            f"Đến ngày 31-10-2024, tổng thu NSNN trên địa bàn quận Hoàn Kiếm là "
            f"{'5.660 tỷ 700' if corrected else '5.606 tỷ 700'} triệu đồng."),
        "/bai-viet/ba-dinh-10-a.html": page(
            "Quận Ba Đình cấp phép xây dựng tháng 10", "2024-11-06",
            "Ngày 5/11, UBND quận Ba Đình họp phiên thường kỳ.",
            "Trong tháng 10, UBND quận Ba Đình cấp 45 GPXD; xử lý 12 trường hợp vi phạm trật tự xây dựng."),
        "/bai-viet/ba-dinh-10-b.html": page(
            "Ba Đình: trật tự xây dựng tháng 10", "2024-11-07",
            "Ngày 5/11, UBND quận Ba Đình họp phiên thường kỳ.",
            f"Trong tháng 10, UBND quận Ba Đình cấp {45 if corrected else 54} GPXD; xử lý 12 trường hợp vi phạm trật tự"
            " xây dựng."),
        "/bai-viet/dong-da-10.html": page(
            "Đống Đa: giá trị sản xuất tăng 8,6%", "2024-11-08",
            "<strong>10 tháng năm 2024, giá trị sản xuất trên địa bàn quận Đống Đa ước đạt 115.075,8 tỷ đồng.</strong>",
            "Ngày 7/11, UBND quận Đống Đa họp phiên thường kỳ tháng 11.",
            f"Theo báo cáo, giá trị sản xuất trên địa bàn quận 10 tháng năm 2024 ước đạt "
            f"{'115.075 tỷ 897' if corrected else '11.507 tỷ 589'} triệu đồng (tăng 8,6% so với cùng kỳ năm 2023)."),
    }


EXPECTED = {
    ("quarantine_growth", "Long Biên", None, "2024-11-01"),
    ("freshness", "Tây Hồ", "budget_revenue", None),
    ("ytd_falls", "Hoàn Kiếm", "public_investment_disbursement", "2024-08-01"),
    ("mom_jump", "Hoàn Kiếm", "urban_violations", "2024-09-01"),
    ("plan_drift", "Hoàn Kiếm", "budget_expenditure", "2024-07-01"),
    ("news_vs_department", "Hoàn Kiếm", "budget_revenue", "2024-10-01"),
    ("internal_inconsistency", "Đống Đa", "production_value", "2024-10-01"),
    ("two_articles_disagree", "Ba Đình", "construction_permits", "2024-10-01"),
    ("settled_month_restated", "Cầu Giấy", "construction_permits", "2024-03-01"),
}


def write(folder, files: dict[str, str]) -> list[str]:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in files]


def posted(server) -> list[dict]:
    return [request.json() for request in server.requests if request.method == "POST"]


def alerts(target) -> set[tuple]:
    with Warehouse(target, read_only=True) as wh:
        return {
            (check, district, metric, period and str(period), status)
            for check, district, metric, period, status in wh.query(
                "select check_name, district, metric, period, status from dq_alerts"
            ).rows
        }


@pytest.mark.usefixtures("prefect_harness")
def test_each_kind_of_problem_raises_its_alert_once_and_resolves_when_corrected(tmp_path, http_server, monkeypatch):
    target = str(tmp_path / "w.duckdb")
    http_server.route(f"/hooks/{TOKEN}", Reply(body="ok", content_type="text/plain"))
    monkeypatch.setenv("DKPI_ALERT_WEBHOOK_URL", http_server.url(f"/hooks/{TOKEN}"))
    urls = [http_server.url(path) for path in articles(False)]
    for path, reply in articles(False).items():
        http_server.route(path, reply)

    ingest_departments(write(tmp_path / "in", {
        "hoan_kiem_2024.csv": hoan_kiem(False), "tay_ho_2024.csv": tay_ho(False), "long_bien_2024.csv": long_bien(False),
        "cau_giay_2024.csv": CAU_GIAY,
    }), target, alerts=ALERTS)
    # A restatement needs the figure it changes to have stood for a while: the March file was loaded in the spring
    with Warehouse(target) as wh:
        wh.con.execute("update load_runs set finished_at = finished_at - interval 90 days"
                       " where source = 'cau_giay_2024.csv'")
    ingest_departments(write(tmp_path / "later", {"cau_giay_dieu_chinh_2024-03.csv": RESTATED}), target, alerts=ALERTS)
    ingest_news(target, urls=urls, fetch=FAST, alerts=ALERTS)

    assert alerts(target) == {(*key, "open") for key in EXPECTED}
    firings = [message for message in posted(http_server) if message["event"] == "firing"]
    assert Counter(message["alert_id"] for message in firings).most_common(1)[0][1] == 1
    assert {(m["check"], m["district"], m["metric"], m["period"]) for m in firings} == EXPECTED
    assert all(m["message"] and m["severity"] in ("warning", "critical") for m in firings)
    assert TOKEN not in str(firings)

    run_checks(target, alerts=ALERTS)
    assert len(posted(http_server)) == len(EXPECTED)  # still failing, already told: nothing new

    ingest_departments(write(tmp_path / "fixed", {
        "hoan_kiem_2024.csv": hoan_kiem(True), "tay_ho_2024.csv": tay_ho(True), "long_bien_2024.csv": long_bien(True),
        "cau_giay_dieu_chinh_lan_2_2024-03.csv": PUT_BACK,
    }), target, alerts=ALERTS)
    for path, reply in articles(True).items():
        http_server.route(path, reply)
    ingest_news(target, urls=urls, fetch=FAST, alerts=ALERTS)

    assert alerts(target) == {(*key, "resolved") for key in EXPECTED}
    resolutions = [message for message in posted(http_server) if message["event"] == "resolved"]
    assert sorted(m["alert_id"] for m in resolutions) == sorted(m["alert_id"] for m in firings)

    sent = len(posted(http_server))
    run_checks(target, alerts=ALERTS)
    assert len(posted(http_server)) == sent
    with Warehouse(target, read_only=True) as wh:
        assert wh.query("select count(*), bool_and(success) from dq_deliveries where channel = 'webhook'").rows == [
            (2 * len(EXPECTED), True)
        ]


@pytest.mark.usefixtures("prefect_harness")
def test_a_failing_webhook_never_fails_the_run_and_is_tried_again_next_run(tmp_path, http_server, monkeypatch):
    target = str(tmp_path / "w.duckdb")
    http_server.route(f"/hooks/{TOKEN}", Reply(500, body="down"))
    monkeypatch.setenv("DKPI_ALERT_WEBHOOK_URL", http_server.url(f"/hooks/{TOKEN}"))
    outcomes = ingest_departments(write(tmp_path / "in", {"tay_ho.csv": tay_ho(False), "hk.csv": hoan_kiem(True)}),
                                  target, alerts=ALERTS)
    assert {outcome["status"] for outcome in outcomes} == {"success"}
    with Warehouse(target, read_only=True) as wh:
        failures = wh.query("select channel, attempts, success, error from dq_deliveries where channel = 'webhook'").rows
        logged = wh.query("select count(*) from dq_deliveries where channel = 'log' and success").rows
    assert failures == [("webhook", 2, False, f"HTTP 500 from http://127.0.0.1:{http_server.port}/…: down")]
    assert logged == [(1,)]  # the log had it: only the webhook is tried again

    http_server.route(f"/hooks/{TOKEN}", Reply(body="ok"))
    summary = run_checks(target, alerts=ALERTS)
    assert (summary["deliveries"], summary["failed_deliveries"]) == (1, 0)
    assert [m["check"] for m in posted(http_server)] == ["freshness"] * 3  # two refused attempts, then delivered
    assert summary == {**summary, "opened": 0, "still_failing": 1, "notifications": 1}
    assert run_checks(target, alerts=ALERTS)["notifications"] == 0


@pytest.mark.usefixtures("prefect_harness")
def test_on_ducklake_runs_finishing_together_send_each_notification_once(tmp_path, http_server, monkeypatch, lake_target):
    import threading
    import time

    from flows.run_checks import SENDER_LOCK
    from warehouse.transactions import exclusive

    http_server.route(f"/hooks/{TOKEN}", Reply(body="ok"))
    monkeypatch.setenv("DKPI_ALERT_WEBHOOK_URL", http_server.url(f"/hooks/{TOKEN}"))
    files = write(tmp_path / "in", {"tay_ho.csv": tay_ho(False), "hk.csv": hoan_kiem(True)})
    ingest_departments(files, lake_target, alerts=ALERTS, checks=False)  # one late series, not yet checked
    summaries = []

    def checks() -> threading.Thread:
        thread = threading.Thread(target=lambda: summaries.append(run_checks(lake_target, alerts=ALERTS)))
        thread.start()
        return thread

    # While another run holds the notifications lock, a run updates the alerts but sends nothing.
    with Warehouse(lake_target) as holder, exclusive(holder.con, [SENDER_LOCK]):
        waiting = checks()
        deadline = time.monotonic() + 120
        while not alerts(lake_target) and time.monotonic() < deadline:
            time.sleep(0.2)
        waiting.join(timeout=2)
        assert waiting.is_alive() and alerts(lake_target) and posted(http_server) == []
    waiting.join(timeout=120)
    assert [m["check"] for m in posted(http_server)] == ["freshness"]
    # Two runs at the same moment: the alert is told already, so neither sends it again.
    for thread in [checks(), checks()]:
        thread.join(timeout=120)
    assert len(summaries) == 3 and [m["check"] for m in posted(http_server)] == ["freshness"]


@pytest.mark.usefixtures("prefect_harness")
def test_a_broken_check_is_reported_and_the_others_still_run(tmp_path, monkeypatch):
    from warehouse import alerts as alert_module

    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "freshness.sql").write_text((alert_module.CHECKS_DIR / "freshness.sql").read_text(encoding="utf-8"))
    (checks / "broken.sql").write_text("-- broken: Hỏng (broken)\nselect district from nowhere\n")
    monkeypatch.setattr(alert_module, "CHECKS_DIR", checks)
    target = str(tmp_path / "w.duckdb")
    summary = run_checks(target, alerts=replace(ALERTS, routes={}))
    assert summary["checks"] == 2
    [failed] = summary["failed_checks"]
    assert failed["check"] == "broken" and failed["error"].startswith("broken.sql: Catalog Error")
