"""One settings object, read from the config file (dkpi.toml) and the environment; the CLI may override."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from warehouse.lake import lake_target

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_DIR / "dkpi.toml"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "dkpi.duckdb"


class ConfigError(ValueError):
    """Raised when the config file is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class NewsSource:
    """One news source: where to start, which hosts it may touch, how fast."""

    name: str
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    link_pattern: str | None = None
    district_hint: str | None = None
    rate_limit: float = 1.0  # requests per second per host
    site_dir: Path | None = None  # a folder served on 127.0.0.1 for the run (the bundled sample site)
    site_port: int = 8765  # fixed, so the served pages keep the same URLs from run to run


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how much the news flow fetches."""

    user_agent: str = "district-kpi/0.1 (+https://github.com/district-kpi/district-kpi)"
    timeout_connect: float = 10.0
    timeout_read: float = 30.0
    max_bytes: int = 5 * 1024 * 1024
    max_retries: int = 4
    backoff_base: float = 1.0
    batch_size: int = 20
    max_articles_per_source: int = 500


@dataclass(frozen=True)
class Schedules:
    """When the deployments run (cron, in the given time zone)."""

    timezone: str = "Asia/Ho_Chi_Minh"
    news: str = "15 */4 * * *"  # every four hours, at a quarter past
    departments: str = "30 6 * * *"  # every morning at 06:30, after the offices' overnight exports
    rebuild: str = "0 2 1 * *"  # the first of the month at 02:00: re-read every stored page and file


SEVERITIES = ("info", "warning", "critical")
CHANNELS = ("log", "webhook", "email")
WEBHOOK_FORMATS = ("slack", "generic")
DEFAULT_ROUTES = {"info": ("log",), "warning": ("log", "webhook"), "critical": ("log", "webhook", "email")}


@dataclass(frozen=True)
class AlertSettings:
    """How alerts reach people: the channels of each severity, reminders, the webhook's format, delivery retries.

    Secrets are not here: the webhook URL and the SMTP settings are read from the environment when sending
    (flows.notify), so they never become a flow parameter, a log line or a warehouse row.
    """

    routes: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    renotify_hours: float = 24.0  # an alert still open is sent again after this long; 0: never
    notify_resolved: bool = True  # tell the channels when an alert they were told of is resolved
    webhook_format: str = "slack"  # slack: text + blocks | generic: one JSON object with the alert's fields
    timeout: float = 10.0  # seconds to connect and to read, per attempt
    max_attempts: int = 4  # tries per delivery; retried on connection errors, 429 and 5xx (SMTP: 4xx)
    backoff_base: float = 1.0  # seconds before the first retry, doubling; Retry-After is honoured
    log_limit: int = 20  # notifications a run writes to the log in full; the rest are counted in one line


@dataclass(frozen=True)
class Settings:
    """Where the warehouse is and what the scheduled runs ingest."""

    warehouse: str
    config_path: Path | None
    department_inbox: tuple[Path, ...] = field(default=())
    lock_wait_seconds: float = 900.0
    news_sources: tuple[NewsSource, ...] = field(default=())
    fetch: FetchSettings = field(default_factory=FetchSettings)
    schedules: Schedules = field(default_factory=Schedules)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    report_out: Path | None = None  # where `dkpi run` and the scheduled runs write the KPI report; None: they don't


def load_settings(warehouse: str | None = None, config: str | None = None) -> Settings:
    """Read settings: --warehouse > DKPI_WAREHOUSE > [warehouse] path in the config > warehouse/dkpi.duckdb.

    A DuckLake target (`ducklake:postgres:…`) takes its data path from itself, else DKPI_DUCKLAKE_DATA_PATH, else
    [warehouse] data_path (a folder, relative to the config file, or an object-store URL).
    """
    config_path = Path(config or os.environ.get("DKPI_CONFIG") or DEFAULT_CONFIG)
    if not config_path.exists():
        if config or os.environ.get("DKPI_CONFIG"):
            raise ConfigError(f"config file {config_path} does not exist (set by --config or DKPI_CONFIG)")
        data, config_path = {}, None
    else:
        data = _substitute_environment(_read(config_path), config_path)
    base = config_path.parent if config_path else PROJECT_DIR
    configured = data.get("warehouse", {}).get("path")
    if configured and not lake_target(configured):
        configured = str(base / configured)
    target = warehouse or os.environ.get("DKPI_WAREHOUSE") or configured
    inbox = data.get("departments", {}).get("inbox", [])
    if not isinstance(inbox, list) or not all(isinstance(item, str) for item in inbox):
        raise ConfigError(f"{config_path}: [departments] inbox must be a list of paths")
    lock_wait = data.get("warehouse", {}).get("lock_wait_seconds", 900)
    if not isinstance(lock_wait, (int, float)) or lock_wait < 0:
        raise ConfigError(f"{config_path}: [warehouse] lock_wait_seconds must be a number of seconds >= 0")
    return Settings(
        warehouse=_with_data_path(target or str(DEFAULT_WAREHOUSE), data.get("warehouse", {}).get("data_path"), base),
        config_path=config_path,
        department_inbox=tuple(base / item for item in inbox),
        lock_wait_seconds=float(lock_wait),
        news_sources=tuple(_news_source(item, base, config_path) for item in data.get("news", {}).get("sources", [])),
        fetch=_fetch_settings(data.get("news", {}), config_path),
        schedules=_schedules(data.get("schedules", {}), config_path),
        alerts=_alert_settings(data.get("alerts", {}), config_path),
        report_out=_report_out(data.get("report", {}), base, config_path),
    )


def _with_data_path(target: str, configured: str | None, base: Path) -> str:
    """Give a DuckLake target its data path from the environment or the config; other targets pass through."""
    lake = lake_target(target)
    if lake is None:
        return target
    data_path = os.environ.get("DKPI_DUCKLAKE_DATA_PATH") or (
        configured if not configured or "://" in configured else str(base / configured)
    )
    return str(lake.with_data_path(data_path))


def _alert_settings(values: dict, config_path: Path | None) -> AlertSettings:
    unknown = set(values) - set(AlertSettings.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{config_path}: [alerts] unknown key(s) {', '.join(sorted(unknown))}")
    routes = values.get("routes", {})
    if not isinstance(routes, dict) or set(routes) - set(SEVERITIES):
        raise ConfigError(f"{config_path}: [alerts.routes] keys are severities: {', '.join(SEVERITIES)}")
    for severity, channels in routes.items():
        if not isinstance(channels, list) or set(channels) - set(CHANNELS):
            raise ConfigError(
                f"{config_path}: [alerts.routes] {severity} must be a list of channels from {', '.join(CHANNELS)}"
            )
    if values.get("webhook_format", "slack") not in WEBHOOK_FORMATS:
        raise ConfigError(f"{config_path}: [alerts] webhook_format must be one of {', '.join(WEBHOOK_FORMATS)}")
    numbers = {
        key: values[key] for key in ("renotify_hours", "timeout", "max_attempts", "backoff_base", "log_limit")
        if key in values
    }
    if any(not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0 for value in numbers.values()):
        raise ConfigError(f"{config_path}: [alerts] {', '.join(sorted(numbers))} must be numbers >= 0")
    if not isinstance(values.get("notify_resolved", True), bool):
        raise ConfigError(f"{config_path}: [alerts] notify_resolved must be true or false")
    if values.get("max_attempts", 1) < 1:
        raise ConfigError(f"{config_path}: [alerts] max_attempts must be at least 1")
    return AlertSettings(
        **{key: value for key, value in values.items() if key != "routes"},
        # a severity the file does not route keeps its default route
        routes={**DEFAULT_ROUTES, **{severity: tuple(channels) for severity, channels in routes.items()}},
    )


def _report_out(values: dict, base: Path, config_path: Path | None) -> Path | None:
    unknown = set(values) - {"out"}
    if unknown:
        raise ConfigError(f"{config_path}: [report] unknown key(s) {', '.join(sorted(unknown))}")
    out = values.get("out")
    if out is None:
        return None
    if not isinstance(out, str) or not out.strip():
        raise ConfigError(f"{config_path}: [report] out must be the path of an .html file")
    return base / out


def _schedules(values: dict, config_path: Path | None) -> Schedules:
    unknown = set(values) - set(Schedules.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{config_path}: [schedules] unknown key(s) {', '.join(sorted(unknown))}")
    schedules = Schedules(**values)
    for name in ("news", "departments", "rebuild"):
        if len(getattr(schedules, name).split()) != 5:
            raise ConfigError(f"{config_path}: [schedules] {name} must be a 5-field cron expression")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(schedules.timezone)
    except Exception:  # noqa: BLE001 - any failure means the name is not a time zone
        raise ConfigError(f"{config_path}: [schedules] timezone {schedules.timezone!r} is not a time zone") from None
    return schedules


def _news_source(item: dict, base: Path, config_path: Path | None) -> NewsSource:
    where = f"{config_path}: [[news.sources]] {item.get('name', '(unnamed)')}"
    unknown = set(item) - set(NewsSource.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if not item.get("name") or not item.get("start_urls"):
        raise ConfigError(f"{where}: name and start_urls are required")
    site_dir = base / item["site_dir"] if item.get("site_dir") else None
    hosts = item.get("allowed_hosts") or ([] if site_dir else sorted({urlsplit(u).hostname or "" for u in item["start_urls"]}))
    if not site_dir and not all(hosts):
        raise ConfigError(f"{where}: start_urls must be absolute http(s) URLs (or give site_dir)")
    if item.get("link_pattern"):
        try:
            re.compile(item["link_pattern"])
        except re.error as error:
            raise ConfigError(f"{where}: link_pattern is not a regular expression: {error}") from None
    return NewsSource(
        name=item["name"], start_urls=tuple(item["start_urls"]), allowed_hosts=tuple(hosts),
        link_pattern=item.get("link_pattern"), district_hint=item.get("district_hint"),
        rate_limit=float(item.get("rate_limit", 1.0)), site_dir=site_dir,
        site_port=int(item.get("site_port", NewsSource.site_port)),
    )


def _fetch_settings(news: dict, config_path: Path | None) -> FetchSettings:
    known = set(FetchSettings.__dataclass_fields__)
    values = {key: value for key, value in news.items() if key != "sources"}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"{config_path}: [news] unknown key(s) {', '.join(sorted(unknown))}")
    return FetchSettings(**values)


_ENV_REFERENCE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


def _substitute_environment(value, config_path: Path):
    """Replace ${NAME} in config strings by the environment variable, so secrets stay out of the file."""
    if isinstance(value, dict):
        return {key: _substitute_environment(item, config_path) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute_environment(item, config_path) for item in value]
    if isinstance(value, str):
        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(f"{config_path}: ${{{name}}} is used but the environment variable {name} is not set")
            return os.environ[name]

        return _ENV_REFERENCE.sub(replace, value)
    return value


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
