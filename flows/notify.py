"""Deliver alert notifications to the channels of their severity: the log, a JSON webhook, e-mail over SMTP.

The webhook URL and the SMTP settings are read from the environment when sending — DKPI_ALERT_WEBHOOK_URL;
DKPI_SMTP_HOST, DKPI_SMTP_PORT, DKPI_SMTP_USER, DKPI_SMTP_PASSWORD, DKPI_SMTP_FROM, DKPI_SMTP_STARTTLS and
DKPI_ALERT_EMAIL_TO — and never reach a log line, an error message or the warehouse: a webhook is named by its scheme
and host only, and every error text is redacted of the URL, its path and query, and the password.

Each delivery is tried up to max_attempts times: again after a connection error, a timeout, HTTP 429 or 5xx (SMTP: a
4xx reply), waiting backoff_base · 2ⁿ seconds or what Retry-After asks (a minute at most). A delivery that still
fails comes back as a failed Delivery for the record and is tried again at the next run; it never raises, so it
never fails the run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urlsplit

import requests

from flows.settings import AlertSettings
from warehouse.alerts import Delivery, Notification

SEVERITY_LABELS = {"info": "THÔNG TIN", "warning": "CẢNH BÁO", "critical": "NGHIÊM TRỌNG"}
LOG_LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "critical": logging.CRITICAL}
MAX_RETRY_AFTER = 60.0
USER_AGENT = "district-kpi alerts"


@dataclass(frozen=True)
class Attempt:
    """How one delivery went: how many tries, and the redacted error of the last one when it failed."""

    attempts: int
    success: bool
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    """One try: delivered, or why not and whether another try may succeed (and when)."""

    success: bool
    error: str | None = None
    transient: bool = False
    wait: float | None = None


class Channel(Protocol):
    name: str

    def describe(self) -> str: ...

    def send(self, notification: Notification) -> Attempt: ...


class Redactor(logging.Filter):
    """Remove secrets from text, and from the log records of the HTTP client while a webhook is sent."""

    def __init__(self, secrets: Sequence[str | None]):
        super().__init__()
        self.secrets = sorted({secret for secret in secrets if secret and len(secret) >= 3}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self(record.getMessage()), None
        return True


def headline(notification: Notification) -> str:
    """Title a notification: '[CẢNH BÁO] <check title> — Cầu Giấy · budget_expenditure · 07/2024'."""
    label = SEVERITY_LABELS[notification.severity]
    tag = {"firing": f"[{label}]", "reminder": f"[NHẮC LẠI · {label}]", "resolved": f"[ĐÃ XỬ LÝ · {label}]"}
    about = " · ".join(
        part for part in (
            notification.district, notification.metric,
            notification.period.strftime("%m/%Y") if notification.period else None,
        ) if part
    )
    return f"{tag[notification.event]} {notification.title}" + (f" — {about}" if about else "")


def body(notification: Notification) -> str:
    """Write the text of a notification: the message, then how to act on it."""
    if notification.event == "resolved":
        action = f"Kiểm tra {notification.check_name} đã đạt: cảnh báo {notification.short_id} tự đóng."
    else:
        action = f"Mã cảnh báo {notification.short_id}; xác nhận đã biết: dkpi ack {notification.short_id}"
    first, last = (moment.astimezone(UTC) for moment in (notification.first_seen_at, notification.last_seen_at))
    seen = (
        f"Lần đầu {first:%d/%m/%Y %H:%M} UTC, lần gần nhất {last:%d/%m/%Y %H:%M} UTC,"
        f" {notification.occurrences} lần chạy kiểm tra."
    )
    return f"{notification.message}\n{action}\n{seen}"


def slack_payload(notification: Notification) -> dict:
    """A Slack incoming-webhook message: fallback text and blocks (header, the message, the id and how to ack)."""
    title = headline(notification)
    context = f"`{notification.short_id}` · {notification.check_name} · {notification.status}"
    if notification.event != "resolved":
        context += f" · `dkpi ack {notification.short_id}`"
    return {
        "text": f"{title}\n{notification.message}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": _clip(title, 150)}},
            {"type": "section", "text": {"type": "mrkdwn", "text": _clip(_slack_escape(notification.message), 2900)}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        ],
    }


def generic_payload(notification: Notification) -> dict:
    """One JSON object with the alert's fields, for any receiver."""
    return {
        "event": notification.event,
        "alert_id": notification.alert_id,
        "check": notification.check_name,
        "title": notification.title,
        "severity": notification.severity,
        "status": notification.status,
        "district": notification.district,
        "metric": notification.metric,
        "period": notification.period.isoformat() if notification.period else None,
        "subject": notification.subject,
        "message": notification.message,
        "details": notification.details,
        "first_seen_at": notification.first_seen_at.isoformat(),
        "last_seen_at": notification.last_seen_at.isoformat(),
        "occurrences": notification.occurrences,
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _retrying(send: Callable[[], Outcome], max_attempts: int, backoff_base: float, sleep: Callable[[float], None]) -> Attempt:
    """Try a delivery until it succeeds, fails for good, or max_attempts tries have been made."""
    for attempt in range(1, max_attempts + 1):
        outcome = send()
        if outcome.success:
            return Attempt(attempt, True)
        if not outcome.transient or attempt == max_attempts:
            return Attempt(attempt, False, outcome.error)
        sleep(outcome.wait if outcome.wait is not None else backoff_base * 2 ** (attempt - 1))
    raise AssertionError("max_attempts is at least 1")


class LogChannel:
    """Write each notification to the run's log, at the level of its severity; past `limit` in one run, only count
    them and say so once at the end, so a first run over years of history does not flood the log."""

    name = "log"

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter, limit: int):
        self.logger = logger
        self.limit = limit
        self.written = 0
        self.counted = 0

    def describe(self) -> str:
        return "the log"

    def send(self, notification: Notification) -> Attempt:
        if self.written < self.limit:
            level = logging.INFO if notification.event == "resolved" else LOG_LEVELS[notification.severity]
            self.logger.log(level, "%s\n%s", headline(notification), body(notification))
            self.written += 1
        else:
            self.counted += 1
        return Attempt(1, True)

    def close(self) -> None:
        if self.counted:
            self.logger.warning("%d more alert notification(s) not written here in full: dkpi alerts lists them",
                                self.counted)


class WebhookChannel:
    """POST each notification as JSON to a webhook: Slack's format (text and blocks) or a generic object."""

    name = "webhook"

    def __init__(self, url: str, settings: AlertSettings, sleep: Callable[[float], None] = time.sleep):
        self._url = url
        self.settings = settings
        self.sleep = sleep
        parts = urlsplit(url)
        self.redact = Redactor([url, parts.path + (f"?{parts.query}" if parts.query else ""), parts.path,
                                parts.query, parts.password])
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def describe(self) -> str:
        """Name the webhook without its path or token: 'https://hooks.slack.com/…'."""
        parts = urlsplit(self._url)
        return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/…"

    def send(self, notification: Notification) -> Attempt:
        payload = slack_payload(notification) if self.settings.webhook_format == "slack" else generic_payload(notification)
        with self._quiet_client():
            return _retrying(lambda: self._post(payload), self.settings.max_attempts, self.settings.backoff_base, self.sleep)

    def _post(self, payload: dict) -> Outcome:
        timeout = (self.settings.timeout, self.settings.timeout)
        try:
            response = self.session.post(self._url, json=payload, timeout=timeout, allow_redirects=False)
        except requests.RequestException as error:
            transient = isinstance(error, (requests.ConnectionError, requests.Timeout))
            return Outcome(False, self.redact(f"{type(error).__name__}: {error}"), transient)
        if 200 <= response.status_code < 300:
            return Outcome(True)
        reply = " ".join(response.text.split())[:200]
        error = self.redact(f"HTTP {response.status_code} from {self.describe()}" + (f": {reply}" if reply else ""))
        transient = response.status_code == 429 or response.status_code >= 500
        return Outcome(False, error, transient, _retry_after(response.headers.get("Retry-After")))

    @contextlib.contextmanager
    def _quiet_client(self) -> Iterator[None]:
        """Redact the URL from the HTTP client's own debug log lines while sending."""
        client_log = logging.getLogger("urllib3.connectionpool")
        client_log.addFilter(self.redact)
        try:
            yield
        finally:
            client_log.removeFilter(self.redact)

    def close(self) -> None:
        self.session.close()


def _retry_after(value: str | None) -> float | None:
    """Read Retry-After (seconds or an HTTP date) as seconds to wait, at most a minute; None when absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now().astimezone()).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


@dataclass(frozen=True)
class SmtpSettings:
    """Where e-mail goes, from the environment; the password is never printed."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> SmtpSettings | None:
        """Read DKPI_SMTP_* and DKPI_ALERT_EMAIL_TO; None when no host or no recipient is set."""
        host, recipients = env.get("DKPI_SMTP_HOST"), env.get("DKPI_ALERT_EMAIL_TO")
        if not host or not recipients:
            return None
        flag = env.get("DKPI_SMTP_STARTTLS", "true").strip().lower()
        if flag not in ("true", "1", "yes", "on", "false", "0", "no", "off"):
            raise ValueError(f"DKPI_SMTP_STARTTLS must be true or false, not {flag!r}")
        starttls = flag in ("true", "1", "yes", "on")
        port = env.get("DKPI_SMTP_PORT") or ("587" if starttls else "25")
        if not port.isdigit():
            raise ValueError(f"DKPI_SMTP_PORT must be a port number, not {port!r}")
        user = env.get("DKPI_SMTP_USER") or None
        sender = env.get("DKPI_SMTP_FROM") or (user if user and "@" in user else "dkpi@localhost")
        return cls(host, int(port), sender, tuple(r.strip() for r in recipients.split(",") if r.strip()), user,
                   env.get("DKPI_SMTP_PASSWORD") or None, starttls)


class EmailChannel:
    """Send each notification as a plain-text e-mail over SMTP (STARTTLS unless turned off; implicit TLS on 465)."""

    name = "email"

    def __init__(self, smtp: SmtpSettings, settings: AlertSettings, sleep: Callable[[float], None] = time.sleep):
        self.smtp = smtp
        self.settings = settings
        self.sleep = sleep
        self.redact = Redactor([smtp.password])

    def describe(self) -> str:
        return f"smtp://{self.smtp.host}:{self.smtp.port} → {', '.join(self.smtp.recipients)}"

    def send(self, notification: Notification) -> Attempt:
        message = self.message(notification)
        return _retrying(lambda: self._send(message), self.settings.max_attempts, self.settings.backoff_base, self.sleep)

    def message(self, notification: Notification) -> EmailMessage:
        """Write the e-mail: the headline as subject, the text and the details as body."""
        message = EmailMessage()
        message["Subject"] = f"[dkpi] {headline(notification)}"
        message["From"] = self.smtp.sender
        message["To"] = ", ".join(self.smtp.recipients)
        details = json.dumps(notification.details, ensure_ascii=False, indent=2, default=_json_default)
        message.set_content(f"{body(notification)}\n\nChi tiết (details):\n{details}\n")
        return message

    def _send(self, message: EmailMessage) -> Outcome:
        implicit_tls = self.smtp.port == 465
        try:
            opener = smtplib.SMTP_SSL if implicit_tls else smtplib.SMTP
            with opener(self.smtp.host, self.smtp.port, timeout=self.settings.timeout) as client:
                if self.smtp.starttls and not implicit_tls:
                    client.starttls(context=ssl.create_default_context())
                if self.smtp.user:
                    client.login(self.smtp.user, self.smtp.password or "")
                client.send_message(message)
        except smtplib.SMTPResponseException as error:
            # 4xx: try again later (greylisting, a full queue); 5xx: refused for good (bad login, bad address)
            return Outcome(False, self.redact(f"SMTP {error.smtp_code}: {_text(error.smtp_error)}"), 400 <= error.smtp_code < 500)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            return Outcome(False, self.redact(f"recipients refused: {', '.join(map(str, codes))}"), all(400 <= c < 500 for c in codes))
        except (smtplib.SMTPNotSupportedError, ssl.SSLError) as error:
            return Outcome(False, self.redact(f"{type(error).__name__}: {error}"))
        except OSError as error:  # refused connection, timeout, dropped connection
            return Outcome(False, self.redact(f"{type(error).__name__}: {error}"), True)
        return Outcome(True)


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def open_channels(
    settings: AlertSettings, logger, env: Mapping[str, str], sleep: Callable[[float], None] = time.sleep
) -> dict[str, Channel]:
    """Open the channels the environment configures (the log always); a routed channel that is not configured is
    named in a warning and left out, so its notifications are not held back forever."""
    channels: dict[str, Channel] = {"log": LogChannel(logger, settings.log_limit)}
    routed = {channel for route in settings.routes.values() for channel in route}
    if env.get("DKPI_ALERT_WEBHOOK_URL"):
        channels["webhook"] = WebhookChannel(env["DKPI_ALERT_WEBHOOK_URL"], settings, sleep)
    elif "webhook" in routed:
        logger.info("alerts are routed to the webhook but DKPI_ALERT_WEBHOOK_URL is not set: not sent there")
    try:
        smtp = SmtpSettings.from_environment(env)
    except ValueError as error:
        logger.warning("alerts are not e-mailed: %s", error)
        smtp = None
    if smtp is not None:
        channels["email"] = EmailChannel(smtp, settings, sleep)
    elif "email" in routed:
        logger.info("alerts are routed to e-mail but DKPI_SMTP_HOST or DKPI_ALERT_EMAIL_TO is not set: not sent there")
    return channels


def deliver(
    notifications: Sequence[Notification],
    settings: AlertSettings,
    *,
    logger,
    now: datetime,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[list[Delivery], list[Notification]]:
    """Send each notification to the channels of its severity that do not have it yet.

    Return every delivery (for dq_deliveries) and the notifications every routed channel now has.
    """
    if not notifications:
        return [], []
    channels = open_channels(settings, logger, os.environ if env is None else env, sleep)
    deliveries: list[Delivery] = []
    notified: list[Notification] = []
    try:
        for notification in notifications:
            routed = [name for name in settings.routes.get(notification.severity, ()) if name in channels]
            sent = [_send(channels[name], notification, now) for name in routed if name not in notification.delivered]
            deliveries += sent
            if all(delivery.success for delivery in sent):
                notified.append(notification)
    finally:
        for channel in channels.values():
            getattr(channel, "close", lambda: None)()
    for name, channel in channels.items():
        mine = [delivery for delivery in deliveries if delivery.channel == name]
        failed = [delivery for delivery in mine if not delivery.success]
        if mine:
            logger.info("alerts to %s: %d delivered, %d failed", channel.describe(), len(mine) - len(failed), len(failed))
        for delivery in failed:
            logger.warning("alert %s not delivered to %s after %d attempt(s): %s",
                           delivery.alert_id[:12], channel.describe(), delivery.attempts, delivery.error)
    return deliveries, notified


def _send(channel: Channel, notification: Notification, now: datetime) -> Delivery:
    """Deliver to one channel; an unexpected error is a failed delivery, never an exception."""
    try:
        attempt = channel.send(notification)
    except Exception as error:  # noqa: BLE001 - a delivery must never fail the run; the error is recorded, redacted
        redact = getattr(channel, "redact", Redactor([]))
        attempt = Attempt(1, False, redact(f"{type(error).__name__}: {error}"))
    return Delivery(notification.alert_id, notification.key, channel.name, notification.event, now,
                    attempt.attempts, attempt.success, attempt.error)
