import pytest

from flows.settings import PROJECT_DIR, ConfigError, load_settings


def write(tmp_path, text):
    path = tmp_path / "dkpi.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_default_config_points_at_the_bundled_samples(monkeypatch):
    monkeypatch.delenv("DKPI_CONFIG", raising=False)
    monkeypatch.delenv("DKPI_WAREHOUSE", raising=False)
    settings = load_settings()
    assert settings.warehouse == str(PROJECT_DIR / "warehouse" / "dkpi.duckdb")
    assert settings.department_inbox == (PROJECT_DIR / "samples" / "departments",)
    [sample] = settings.news_sources
    assert sample.site_dir == PROJECT_DIR / "samples" / "news_site" / "site"
    assert settings.report_out == PROJECT_DIR / "out" / "report.html"


def test_example_config_for_real_outlets_parses(monkeypatch):
    monkeypatch.setenv("DKPI_CONTACT_EMAIL", "desk@example.org")
    settings = load_settings(config=str(PROJECT_DIR / "dkpi.example.toml"))
    assert {s.name for s in settings.news_sources} >= {"hanoimoi", "kinhtedothi", "laodongthudo"}
    assert "desk@example.org" in settings.fetch.user_agent
    assert all(s.allowed_hosts and s.link_pattern for s in settings.news_sources)


def test_precedence_flag_then_environment_then_file(tmp_path, monkeypatch):
    config = write(tmp_path, '[warehouse]\npath = "from-file.duckdb"\n')
    monkeypatch.delenv("DKPI_WAREHOUSE", raising=False)
    assert load_settings(config=config).warehouse == str(tmp_path / "from-file.duckdb")
    monkeypatch.setenv("DKPI_WAREHOUSE", "/env.duckdb")
    assert load_settings(config=config).warehouse == "/env.duckdb"
    assert load_settings(warehouse="/flag.duckdb", config=config).warehouse == "/flag.duckdb"


def test_a_ducklake_target_takes_its_data_path_from_the_environment_or_the_file(tmp_path, monkeypatch):
    lake = "ducklake:postgres:host=db.internal dbname=dkpi"
    config = write(tmp_path, f'[warehouse]\npath = "{lake}"\ndata_path = "lake"\n')
    monkeypatch.delenv("DKPI_WAREHOUSE", raising=False)
    monkeypatch.delenv("DKPI_DUCKLAKE_DATA_PATH", raising=False)
    assert load_settings(config=config).warehouse == f"{lake} data_path={tmp_path / 'lake'}"
    monkeypatch.setenv("DKPI_DUCKLAKE_DATA_PATH", "s3://bucket/dkpi/")
    assert load_settings(config=config).warehouse == f"{lake} data_path=s3://bucket/dkpi/"
    assert load_settings(warehouse=f"{lake} data_path=/srv/lake", config=config).warehouse == f"{lake} data_path=/srv/lake"
    monkeypatch.delenv("DKPI_DUCKLAKE_DATA_PATH")
    assert load_settings(warehouse="/flag.duckdb", config=config).warehouse == "/flag.duckdb"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[news]\nuser_agent = "x ${DKPI_NOT_SET_ANYWHERE}"\n', "DKPI_NOT_SET_ANYWHERE is not set"),
        ('[[news.sources]]\nname = "a"\nstart_urls = ["https://a.vn/rss"]\ncolour = "red"\n', "unknown key(s) colour"),
        ('[[news.sources]]\nname = "a"\nstart_urls = ["https://a.vn/"]\nlink_pattern = "(("\n', "not a regular expression"),
        ('[[news.sources]]\nname = "a"\n', "name and start_urls are required"),
        ('[news]\nspeed = 3\n', "unknown key(s) speed"),
        ("[warehouse\n", "dkpi.toml"),
        ('[warehouse]\nlock_wait_seconds = -1\n', "lock_wait_seconds"),
        ('[alerts]\nrenotify = 3\n', "[alerts] unknown key(s) renotify"),
        ('[alerts.routes]\nurgent = ["log"]\n', "[alerts.routes] keys are severities"),
        ('[alerts.routes]\nwarning = ["log", "sms"]\n', "warning must be a list of channels from log, webhook, email"),
        ('[alerts]\nwebhook_format = "teams"\n', "webhook_format must be one of slack, generic"),
        ('[alerts]\nrenotify_hours = -1\n', "must be numbers >= 0"),
        ('[alerts]\nnotify_resolved = "yes"\n', "notify_resolved must be true or false"),
        ('[alerts]\nmax_attempts = 0\n', "max_attempts must be at least 1"),
        ('[alerts]\nlog_limit = -5\n', "must be numbers >= 0"),
        ('[report]\nout = ""\n', "[report] out must be the path"),
        ('[report]\npath = "r.html"\n', "[report] unknown key(s) path"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match="dkpi.toml") as error:
        load_settings(config=write(tmp_path, text))
    assert message in str(error.value)


def test_secret_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DKPI_UA_SECRET", "token-123")
    config = write(tmp_path, '[news]\nuser_agent = "bot ${DKPI_UA_SECRET}"\n')
    assert load_settings(config=config).fetch.user_agent == "bot token-123"


def test_hosts_default_to_the_start_urls(tmp_path):
    config = write(tmp_path, '[[news.sources]]\nname = "a"\nstart_urls = ["https://www.a.vn/rss.xml"]\n')
    assert load_settings(config=config).news_sources[0].allowed_hosts == ("www.a.vn",)


def test_alert_routes_override_the_defaults_per_severity(tmp_path):
    config = write(tmp_path, '[alerts]\nrenotify_hours = 6\nwebhook_format = "generic"\n'
                             '[alerts.routes]\ninfo = []\nwarning = ["log", "webhook", "email"]\n')
    alerts = load_settings(config=config).alerts
    assert alerts.routes == {"info": (), "warning": ("log", "webhook", "email"), "critical": ("log", "webhook", "email")}
    assert (alerts.renotify_hours, alerts.webhook_format, alerts.notify_resolved) == (6, "generic", True)


def test_no_secret_of_the_alert_channels_is_a_setting(monkeypatch):
    monkeypatch.setenv("DKPI_ALERT_WEBHOOK_URL", "https://hooks.example/T/B/secret")
    monkeypatch.setenv("DKPI_SMTP_PASSWORD", "mat-khau")
    settings = load_settings(config=str(PROJECT_DIR / "dkpi.toml"))
    assert "secret" not in repr(settings) and "mat-khau" not in repr(settings)


def test_every_alert_setting_is_documented_and_in_the_default_config():
    from flows.settings import AlertSettings

    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    config = (PROJECT_DIR / "dkpi.toml").read_text(encoding="utf-8")
    for key in AlertSettings.__dataclass_fields__:
        written = "[alerts.routes]" if key == "routes" else f"`{key}`"
        assert written in readme, f"[alerts] {key} is not in the README"
        assert f"\n{key} = " in config or f"[alerts.{key}]" in config, f"[alerts] {key} is not in dkpi.toml"


def test_the_report_path_is_relative_to_the_config_file_and_optional(tmp_path):
    assert load_settings(config=write(tmp_path, '[report]\nout = "site/kpi.html"\n')).report_out == tmp_path / "site" / "kpi.html"
    assert load_settings(config=write(tmp_path, "")).report_out is None
