"""The dkpi command line, run in-process against a temporary warehouse."""

import contextlib
import io
import json
from pathlib import Path

import pytest

from flows.cli import main
from flows.settings import PROJECT_DIR

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "departments"
SAMPLES = PROJECT_DIR / "samples" / "departments"


@pytest.fixture
def target(tmp_path):
    return str(tmp_path / "cli.duckdb")


def dkpi(*args):
    return main(list(args))


def test_init_is_idempotent(target, capsys):
    assert dkpi("--warehouse", target, "init") == 0
    assert "migrations applied: 0001_core" in capsys.readouterr().out
    assert dkpi("--warehouse", target, "init") == 0
    assert "none (up to date)" in capsys.readouterr().out


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_csv_quarantines_bad_rows_and_exits_zero(target, capsys):
    assert dkpi("--warehouse", target, "ingest-csv", str(FIXTURES / "tay_ho_mixed.csv")) == 0
    out = capsys.readouterr().out
    assert "tay_ho_mixed.csv" in out and "2 row(s) quarantined" in out
    assert dkpi("--warehouse", target, "sql", "select rule from quarantine order by row_number", "--format", "csv") == 0
    assert capsys.readouterr().out == "rule\nnumber_format\nknown_district\n"
    assert dkpi("--warehouse", target, "ingest-csv", str(FIXTURES / "tay_ho_mixed.csv")) == 0
    assert "unchanged" in capsys.readouterr().out


@pytest.mark.usefixtures("prefect_harness")
def test_strict_refuses_a_file_with_bad_rows(target, capsys):
    assert dkpi("--warehouse", target, "ingest-csv", "--strict", str(FIXTURES / "tay_ho_mixed.csv")) == 1
    assert "--strict: 2 row(s) failed the contract" in capsys.readouterr().out
    dkpi("--warehouse", target, "sql", "select count(*) as n from observations", "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"n": 0}


@pytest.mark.usefixtures("prefect_harness")
def test_unreadable_file_exits_non_zero_with_its_name(target, capsys):
    assert dkpi("--warehouse", target, "ingest-csv", str(FIXTURES)) == 1
    out = capsys.readouterr().out
    assert "not loaded: not_a_report.csv" in out


def test_missing_path_is_a_clear_error(target, capsys):
    assert dkpi("--warehouse", target, "ingest-csv", "/no/such/file.csv") == 2
    assert "/no/such/file.csv: no such file or folder" in capsys.readouterr().err


@pytest.mark.usefixtures("prefect_harness")
def test_kpi_filters_and_formats(target, capsys):
    dkpi("--warehouse", target, "ingest-csv", str(SAMPLES))
    capsys.readouterr()
    assert dkpi("--warehouse", target, "kpi", "--district", "quan thanh xuan", "--metric", "Thu NSNN",
                "--from", "2024-02", "--to", "2024-03", "--format", "json") == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["district"], r["metric"], r["month_start"]) for r in lines] == [
        ("Thanh Xuân", "budget_revenue", "2024-02-01"),
        ("Thanh Xuân", "budget_revenue", "2024-03-01"),
    ]
    assert lines[0]["value"] == lines[1]["prev_value"]
    assert dkpi("--warehouse", target, "kpi", "--metric", "no such metric") == 2
    assert "unknown metric" in capsys.readouterr().err


def test_sql_is_read_only(target, capsys):
    dkpi("--warehouse", target, "init")
    capsys.readouterr()
    assert dkpi("--warehouse", target, "sql", "delete from dim_unit") == 2
    assert "read-only" in capsys.readouterr().err


def test_sql_on_a_missing_warehouse_says_what_to_do(tmp_path, capsys):
    assert dkpi("--warehouse", str(tmp_path / "none.duckdb"), "sql", "select 1") == 2
    assert "dkpi init" in capsys.readouterr().err


def test_maintain_is_for_ducklake_and_leaves_a_local_file_untouched(tmp_path, capsys):
    assert dkpi("--warehouse", str(tmp_path / "local.duckdb"), "maintain") == 2
    assert "is a local file: dkpi maintain is for DuckLake" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_maintain_on_ducklake_says_what_it_would_do(lake_target, capsys):
    assert dkpi("--warehouse", lake_target, "init") == 0
    capsys.readouterr()
    assert dkpi("--warehouse", lake_target, "maintain", "--dry-run") == 0
    printed = capsys.readouterr().out
    assert "password" not in printed and "snapshots older than 30 days would be expired: 0" in printed


@pytest.fixture(scope="module")
def demo(tmp_path_factory, prefect_harness):
    """Run `dkpi demo` once for the module; return its folder and what it printed."""
    folder = tmp_path_factory.mktemp("demo")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert dkpi("--warehouse", str(folder / "demo.duckdb"), "demo") == 0
    return folder, printed.getvalue()


def test_demo_prints_kpis_for_the_three_districts(demo):
    folder, out = demo
    for district in ("Thanh Xuân", "Cầu Giấy", "Long Biên"):
        assert district in out
    assert "known_district" in out and "Long Bien Bac" in out
    # the deliberate disagreements of the sample site, and the plan its transposed-digit article implies
    alerts = out.split("Open alerts")[1]
    assert alerts.count("news_vs_department") == 5 and alerts.count("plan_drift") == 1 and "(6 rows)" in alerts
    assert out.rstrip().splitlines()[-1] == str(folder / "demo.html")


def test_the_demo_report_opens_offline_with_drawn_charts_and_the_warehouse_figures(demo, chromium):
    from tests.support.browser import (
        assert_charts_drawn, assert_offline_and_quiet, expected_scorecard, open_report, scorecard_cells, screenshot,
    )
    from warehouse import Warehouse

    folder, _ = demo
    opened = open_report(chromium, folder / "demo.html")
    try:
        assert_offline_and_quiet(opened)
        charts = assert_charts_drawn(opened)
        with Warehouse(folder / "demo.duckdb", read_only=True) as wh:
            expected = expected_scorecard(wh)
        shown = scorecard_cells(opened)
        assert {key: {f: shown[key][f] for f in fields} for key, fields in expected.items()} == expected
        assert {district for district, _ in shown} == {"Thanh Xuân", "Cầu Giấy", "Long Biên"}
        revenue = shown[("Thanh Xuân", "budget_revenue")]
        assert (revenue["value"], revenue["ytd_value"], revenue["pct_of_plan"]) == (
            "669,6 tỷ đồng", "1.212,1 tỷ đồng", "16,95%")
        assert len(charts) == 3 * len(shown)
        screenshot(opened, "demo-report.png")
    finally:
        opened.close()


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_news_on_a_local_feed(target, http_server, capsys):
    from tests.flows.test_ingest_news import article, feed
    from tests.support.http_server import Reply

    http_server.route("/a.html", Reply(body=article(), headers={"ETag": '"a"'}))
    http_server.route("/gone.html", Reply(404))
    http_server.route("/rss.xml", Reply(body=feed(http_server.base_url, ["/a.html", "/gone.html"]),
                                        content_type="application/rss+xml"))
    assert dkpi("--warehouse", target, "ingest-news", http_server.url("/rss.xml")) == 0
    out = capsys.readouterr().out
    assert "pages: 1 fetched, 0 unchanged, 1 failed" in out and "gone.html: HTTPStatusError" in out
    assert dkpi("--warehouse", target, "ingest-news", http_server.url("/rss.xml")) == 0
    assert "pages: 0 fetched, 1 unchanged, 1 failed; facts: 0 loaded" in capsys.readouterr().out


def test_ingest_news_refuses_what_is_not_a_url(target, capsys):
    assert dkpi("--warehouse", target, "ingest-news", "hanoimoi.vn/abc") == 2
    assert "not an http(s) URL: hanoimoi.vn/abc" in capsys.readouterr().err


@pytest.mark.usefixtures("prefect_harness")
def test_run_ingests_departments_and_news_from_the_config(tmp_path, monkeypatch, capsys):
    from tests.flows.test_ingest_news import free_port

    config = tmp_path / "dkpi.toml"
    config.write_text(
        f'[warehouse]\npath = "run.duckdb"\n[departments]\ninbox = ["{FIXTURES / "tay_ho_mixed.csv"}"]\n'
        f'[[news.sources]]\nname = "sample"\nsite_dir = "{PROJECT_DIR / "samples/news_site/site"}"\n'
        f'site_port = {free_port()}\nstart_urls = ["/rss.xml"]\nrate_limit = 500.0\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DKPI_CONFIG", str(config))
    monkeypatch.delenv("DKPI_WAREHOUSE", raising=False)
    assert dkpi("run", "--report", str(tmp_path / "kpi.html")) == 0
    out = capsys.readouterr().out
    assert "tay_ho_mixed.csv" in out and "pages: 20 fetched" in out
    assert "checks: 9 run, 0 failed" in out
    assert f"KPI report: {tmp_path / 'kpi.html'}" in out and "Tây Hồ" in (tmp_path / "kpi.html").read_text("utf-8")
    assert dkpi("sql", "select source_kind, count(*) > 0 from observations group by 1 order by 1", "--format", "csv") == 0
    assert capsys.readouterr().out == "source_kind,(count_star() > 0)\ndepartment,True\nnews,True\n"


def test_quarantine_lists_rejected_rows_and_failed_files_in_every_format(target, capsys):
    dkpi("--warehouse", target, "ingest-csv", str(FIXTURES))
    capsys.readouterr()
    assert dkpi("--warehouse", target, "quarantine") == 0
    table = capsys.readouterr().out
    assert "file" in table and "row" in table and "raw_value" in table and "message" in table
    assert "Không nhận ra quận/huyện «Tây Hồ Bắc»" in table and "Tệp không được nạp: not_a_report.csv" in table
    assert dkpi("--warehouse", target, "quarantine", "--file", "tay_ho_mixed.csv", "--format", "json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["file"], r["row"], r["column"], r["raw_value"], r["rule"]) for r in rows] == [
        ("tay_ho_mixed.csv", 6, "Giá trị", "abc", "number_format"),
        ("tay_ho_mixed.csv", 7, "Quận/huyện", "Tây Hồ Bắc", "known_district"),
    ]
    assert dkpi("--warehouse", target, "quarantine", "--file", "not_a_report.csv", "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines()[0] == "file,sheet,row,column,raw_value,rule,message"


@pytest.mark.usefixtures("prefect_harness")
def test_workbooks_and_wide_files_load_through_the_cli_with_a_department(target, tmp_path, capsys):
    from tests.support.departments import xlsx

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ba_dinh.xlsx").write_bytes(xlsx({
        "T1": [["UBND QUẬN BA ĐÌNH"], ["Chỉ tiêu", "Tháng 1/2024", "Sơ bộ tháng 2/2024"], ["Giải quyết việc làm", 310, 290],
               ["Tổng cộng", 310, 290]],
        "T2": [["UBND QUẬN BA ĐÌNH"], ["Chỉ tiêu", "Tháng 3/2024"], ["Giải quyết việc làm", ".."]],
    }))
    assert dkpi("--warehouse", target, "ingest-csv", "--department", "lao_dong", str(inbox)) == 0
    out = capsys.readouterr().out
    assert "ba_dinh.xlsx" in out and "rows_in = loaded + quarantined + skipped" in out
    dkpi("--warehouse", target, "sql", "select source_sheet, month_start::varchar as m, value, is_preliminary, department"
         " from observations order by m", "--format", "csv")
    assert capsys.readouterr().out.splitlines()[1:] == ["T1,2024-01-01,310,False,lao_dong", "T1,2024-02-01,290,True,lao_dong"]
    assert dkpi("--warehouse", target, "quarantine") == 0
    assert "(0 rows)" in capsys.readouterr().out
    assert dkpi("--warehouse", target, "quarantine", "--all", "--format", "json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((r["sheet"], r["row"], r["rule"], r["severity"]) for r in rows) == [
        ("T1", 4, "total", "skipped"), ("T2", 3, "missing_value", "skipped"),
    ]
    dkpi("--warehouse", target, "sql", "select rows_in, rows_loaded, rows_quarantined, rows_skipped from load_runs", "--format", "csv")
    assert capsys.readouterr().out.splitlines()[1] == "4,2,0,2"


def test_department_code_is_checked(target, capsys):
    with pytest.raises(SystemExit):
        dkpi("--warehouse", target, "ingest-csv", "--department", "Phòng Tài chính", str(FIXTURES))
    assert "is not a department code" in capsys.readouterr().err


def test_a_broken_mapping_stops_the_run_naming_the_file(target, tmp_path, monkeypatch, capsys):
    from contracts import department_mappings as module

    bad = tmp_path / "mappings"
    bad.mkdir()
    (bad / "hong.toml").write_text('department = "hong"\n[rows]\n"Thu" = "khong_co"\n', encoding="utf-8")
    monkeypatch.setattr(module, "MAPPINGS_DIR", bad)
    module.department_mappings.cache_clear()
    try:
        assert dkpi("--warehouse", target, "ingest-csv", str(FIXTURES)) == 2
        assert "hong.toml: rows.'Thu' = 'khong_co' is not a metric code" in capsys.readouterr().err
    finally:
        module.department_mappings.cache_clear()
