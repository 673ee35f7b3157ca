"""Delivery: a local webhook receiver (Slack and generic), its failures and retries, e-mail to a local SMTP server,
and secrets that never show."""

import logging
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from flows.notify import (
    EmailChannel, Redactor, SmtpSettings, WebhookChannel, deliver, generic_payload, headline, slack_payload,
)
from flows.settings import AlertSettings
from tests.support.http_server import Reply
from tests.support.smtp_server import LocalSmtp
from warehouse.alerts import Notification

pytestmark = [
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
    pytest.mark.filterwarnings("ignore:Session.login_data is deprecated"),
]

T0 = datetime(2025, 3, 10, 1, 0, tzinfo=UTC)
TOKEN = "T0DKPI/B0ALERTS/xoxb-secret-token"
ALERT = Notification(
    key="k1", event="firing", state="open:warning", alert_id="86bd5fe1bfa8" + "0" * 20, check_name="news_vs_department",
    title="Báo chí đưa số liệu khác phòng ban (news and department figures disagree)", district="Cầu Giấy",
    metric="budget_expenditure", period=date(2024, 7, 1), subject="cumulative", severity="warning", status="open",
    message="Cầu Giấy — Chi ngân sách địa phương lũy kế đến 31/07/2024: báo chí đưa 1.094,694 tỷ đồng <b>, phòng ban "
            "báo cáo 1.049,694 tỷ đồng (cau_giay.csv, dòng 22).",
    details={"department": {"value": 1049694000000.0, "file": "cau_giay.csv", "row": 22}},
    first_seen_at=T0, last_seen_at=T0, occurrences=1,
)
QUICK = AlertSettings(max_attempts=3, backoff_base=0.5, timeout=2)


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def test_headline_and_payloads():
    assert headline(ALERT) == (
        "[CẢNH BÁO] Báo chí đưa số liệu khác phòng ban (news and department figures disagree)"
        " — Cầu Giấy · budget_expenditure · 07/2024"
    )
    assert headline(replace(ALERT, event="resolved")).startswith("[ĐÃ XỬ LÝ · CẢNH BÁO]")
    slack = slack_payload(ALERT)
    assert slack["text"].startswith("[CẢNH BÁO]") and [b["type"] for b in slack["blocks"]] == ["header", "section", "context"]
    assert "&lt;b&gt;" in slack["blocks"][1]["text"]["text"]
    assert "`dkpi ack 86bd5fe1bfa8`" in slack["blocks"][2]["elements"][0]["text"]
    generic = generic_payload(ALERT)
    assert generic == {
        "event": "firing", "alert_id": ALERT.alert_id, "check": "news_vs_department", "title": ALERT.title,
        "severity": "warning", "status": "open", "district": "Cầu Giấy", "metric": "budget_expenditure",
        "period": "2024-07-01", "subject": "cumulative", "message": ALERT.message, "details": ALERT.details,
        "first_seen_at": "2025-03-10T01:00:00+00:00", "last_seen_at": "2025-03-10T01:00:00+00:00", "occurrences": 1,
    }


@pytest.mark.parametrize("fmt", ["slack", "generic"])
def test_a_webhook_receives_the_alert_as_json(http_server, fmt):
    http_server.route(f"/hooks/{TOKEN}", Reply(body="ok", content_type="text/plain"))
    channel = WebhookChannel(http_server.url(f"/hooks/{TOKEN}"), replace(QUICK, webhook_format=fmt))
    attempt = channel.send(ALERT)
    assert (attempt.attempts, attempt.success) == (1, True)
    [request] = http_server.requests
    assert (request.method, request.headers["content-type"]) == ("POST", "application/json")
    assert request.json() == (slack_payload(ALERT) if fmt == "slack" else generic_payload(ALERT))
    assert channel.describe() == f"http://127.0.0.1:{http_server.port}/…"


@pytest.mark.parametrize(
    ("replies", "attempts", "success", "sleeps"),
    [
        ([Reply(500), Reply(body="ok")], 2, True, [0.5]),
        ([Reply(503), Reply(502), Reply(500)], 3, False, [0.5, 1.0]),
        ([Reply(429, headers={"Retry-After": "7"}), Reply(body="ok")], 2, True, [7.0]),
        ([Reply(404, body="no_service"), Reply(body="ok")], 1, False, []),  # a wrong URL does not heal by retrying
    ],
)
def test_webhook_retries_on_5xx_and_429_only(http_server, replies, attempts, success, sleeps):
    http_server.route(f"/hooks/{TOKEN}", replies)
    waits = Sleeps()
    attempt = WebhookChannel(http_server.url(f"/hooks/{TOKEN}"), QUICK, waits).send(ALERT)
    assert (attempt.attempts, attempt.success, waits) == (attempts, success, sleeps)
    assert http_server.hits(f"/hooks/{TOKEN}") == attempts
    if not success:
        assert attempt.error.startswith(f"HTTP {replies[attempts - 1].status} from http://127.0.0.1:")
        assert TOKEN not in attempt.error and "hooks" not in attempt.error


def test_an_unreachable_webhook_is_retried_and_its_token_never_shows(http_server, caplog):
    url = http_server.url(f"/hooks/{TOKEN}?auth={TOKEN[-12:]}")
    http_server.stop()  # nothing listens there any more
    waits = Sleeps()
    with caplog.at_level(logging.DEBUG):
        attempt = WebhookChannel(url, QUICK, waits).send(ALERT)
    assert (attempt.attempts, attempt.success, waits) == (3, False, [0.5, 1.0])
    assert attempt.error.startswith("ConnectionError")
    assert TOKEN not in attempt.error and TOKEN[-12:] not in attempt.error
    assert TOKEN not in caplog.text and TOKEN[-12:] not in caplog.text


def test_the_http_clients_own_debug_lines_are_redacted(http_server, caplog):
    http_server.route(f"/hooks/{TOKEN}", Reply(500, body="server error"))
    with caplog.at_level(logging.DEBUG):
        WebhookChannel(http_server.url(f"/hooks/{TOKEN}"), replace(QUICK, max_attempts=1)).send(ALERT)
    assert '"POST [redacted] HTTP/1.1" 500' in caplog.text and TOKEN not in caplog.text


def test_email_reaches_a_local_smtp_server_after_login():
    with LocalSmtp(login=("canh-bao@quan.example", "mat-khau-bi-mat")) as smtp:
        settings = SmtpSettings.from_environment({
            "DKPI_SMTP_HOST": "127.0.0.1", "DKPI_SMTP_PORT": str(smtp.port), "DKPI_SMTP_STARTTLS": "false",
            "DKPI_SMTP_USER": "canh-bao@quan.example", "DKPI_SMTP_PASSWORD": "mat-khau-bi-mat",
            "DKPI_ALERT_EMAIL_TO": "lan@quan.example, minh@quan.example",
        })
        assert "mat-khau" not in repr(settings)
        attempt = EmailChannel(settings, QUICK).send(ALERT)
        assert (attempt.attempts, attempt.success) == (1, True)
        [message] = smtp.messages
    assert message["Subject"] == f"[dkpi] {headline(ALERT)}"
    assert (message["From"], message["To"]) == ("canh-bao@quan.example", "lan@quan.example, minh@quan.example")
    text = message.get_content()
    assert ALERT.message in text and "dkpi ack 86bd5fe1bfa8" in text and '"file": "cau_giay.csv"' in text


def test_email_refused_for_good_or_unreachable_is_a_recorded_failure_without_the_password():
    with LocalSmtp(login=("canh-bao@quan.example", "mat-khau-dung")) as smtp:
        wrong = SmtpSettings("127.0.0.1", smtp.port, "canh-bao@quan.example", ("lan@quan.example",),
                             "canh-bao@quan.example", "mat-khau-sai", starttls=False)
        waits = Sleeps()
        refused = EmailChannel(wrong, QUICK, waits).send(ALERT)
        assert (refused.attempts, refused.success, waits) == (1, False, [])  # 535: retrying will not help
        assert refused.error.startswith("SMTP 535") and "mat-khau" not in refused.error
        closed_port = smtp.port
    waits = Sleeps()
    gone = EmailChannel(replace(wrong, port=closed_port), QUICK, waits).send(ALERT)
    assert (gone.attempts, gone.success, waits) == (3, False, [0.5, 1.0])
    assert gone.error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"DKPI_SMTP_HOST": "mail.example"}, None),  # nobody to write to
        ({"DKPI_SMTP_HOST": "mail.example", "DKPI_ALERT_EMAIL_TO": "a@x.vn"},
         SmtpSettings("mail.example", 587, "dkpi@localhost", ("a@x.vn",))),
        ({"DKPI_SMTP_HOST": "mail.example", "DKPI_ALERT_EMAIL_TO": "a@x.vn,b@x.vn", "DKPI_SMTP_STARTTLS": "no",
          "DKPI_SMTP_USER": "bot@x.vn"},
         SmtpSettings("mail.example", 25, "bot@x.vn", ("a@x.vn", "b@x.vn"), "bot@x.vn", None, False)),
    ],
)
def test_smtp_settings_from_the_environment(env, expected):
    assert SmtpSettings.from_environment(env) == expected


def test_redactor_removes_every_secret_given():
    redact = Redactor(["https://h.example/x/SECRET", "/x/SECRET", None, ""])
    assert redact("POST https://h.example/x/SECRET failed; path /x/SECRET") == "POST [redacted] failed; path [redacted]"


def test_deliver_follows_the_routes_and_never_raises(http_server, caplog):
    http_server.route("/hook", [Reply(500)])
    settings = replace(QUICK, max_attempts=1, routes={"info": ("log",), "warning": ("log", "webhook"),
                                                      "critical": ("log", "webhook", "email")})
    info = replace(ALERT, key="k-info", alert_id="a" * 32, severity="info")
    critical = replace(ALERT, key="k-crit", alert_id="c" * 32, severity="critical")
    half_done = replace(ALERT, key="k-half", alert_id="h" * 32, delivered=frozenset({"log"}))
    env = {"DKPI_ALERT_WEBHOOK_URL": http_server.url("/hook")}
    with caplog.at_level(logging.INFO):
        deliveries, notified = deliver([info, critical, half_done], settings, logger=logging.getLogger("t"), now=T0,
                                       env=env)
    assert [(d.alert_id[0], d.channel, d.success) for d in deliveries] == [
        ("a", "log", True), ("c", "log", True), ("c", "webhook", False), ("h", "webhook", False),
    ]
    assert [n.key for n in notified] == ["k-info"]  # e-mail is not configured: left out, not held back
    assert "DKPI_SMTP_HOST or DKPI_ALERT_EMAIL_TO is not set" in caplog.text
    assert "[NGHIÊM TRỌNG]" in caplog.text and "alerts to http://127.0.0.1" in caplog.text


def test_the_log_writes_a_few_in_full_and_counts_the_rest(caplog):
    many = [replace(ALERT, key=f"k{n}", alert_id=f"{n:032d}") for n in range(5)]
    with caplog.at_level(logging.INFO):
        deliveries, notified = deliver(many, replace(QUICK, log_limit=2), logger=logging.getLogger("t"), now=T0, env={})
    assert len(deliveries) == len(notified) == 5 and all(d.success for d in deliveries)
    assert caplog.text.count("[CẢNH BÁO]") == 2
    assert "3 more alert notification(s) not written here in full: dkpi alerts lists them" in caplog.text
