"""dkpi report, run in-process against a small published warehouse."""

import lxml.html
import pytest

from flows.cli import main
from tests.support.observations import B, insert
from warehouse import Warehouse


@pytest.fixture
def published(warehouse_path):
    """A warehouse with two districts' figures, published for readers."""
    with Warehouse(warehouse_path) as wh:
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2025-01", 542.5 * B, annual_plan=7150 * B)
        insert(wh.con, "Thanh Xuân", "budget_revenue", "2025-02", 1212.1 * B)
        insert(wh.con, "Cầu Giấy", "construction_permits", "2025-01", 9, basis="month")
    return str(warehouse_path)


def scorecard(path):
    tree = lxml.html.parse(str(path)).getroot()
    return {
        section.get("data-district"): {
            row.get("data-metric"): row.xpath("string(td[@data-field='value'])").strip()
            for row in section.xpath(".//table[@class='scorecard']/tbody/tr")
        }
        for section in tree.xpath("//section[@class='district']")
    }


def test_report_writes_every_district_and_prints_the_path(published, tmp_path, capsys):
    out = tmp_path / "nested" / "kpi.html"
    assert main(["--warehouse", published, "report", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == str(out)
    assert "Cầu Giấy 01/2025, Thanh Xuân 02/2025" in printed
    assert scorecard(out) == {
        "Cầu Giấy": {"construction_permits": "9"},
        "Thanh Xuân": {"budget_revenue": "669,6 tỷ đồng"},
    }
    assert not list(out.parent.glob(".*.tmp")), "the temporary file was renamed into place"


def test_a_district_in_any_written_form_and_a_month(published, tmp_path):
    out = tmp_path / "tx.html"
    assert main(["--warehouse", published, "report", "--district", "quan thanh xuan", "--month", "2025-01",
                 "--out", str(out)]) == 0
    assert scorecard(out) == {"Thanh Xuân": {"budget_revenue": "542,5 tỷ đồng"}}


def test_nothing_to_report_is_an_error_and_writes_nothing(published, tmp_path, capsys):
    out = tmp_path / "none.html"
    assert main(["--warehouse", published, "report", "--district", "Tây Hồ", "--out", str(out)]) == 2
    assert "no KPI figures for Tây Hồ" in capsys.readouterr().err
    assert main(["--warehouse", published, "report", "--month", "2024-12", "--out", str(out)]) == 2
    assert "up to 2024-12" in capsys.readouterr().err
    assert not out.exists()


def test_the_default_path_comes_from_the_config(published, tmp_path, monkeypatch, capsys):
    config = tmp_path / "dkpi.toml"
    config.write_text('[report]\nout = "shared/bao-cao.html"\n', encoding="utf-8")
    monkeypatch.setenv("DKPI_CONFIG", str(config))
    assert main(["--warehouse", published, "report"]) == 0
    assert (tmp_path / "shared" / "bao-cao.html").exists()
    assert capsys.readouterr().out.startswith(str(tmp_path / "shared" / "bao-cao.html"))


def test_a_missing_warehouse_says_what_to_do(tmp_path, capsys):
    assert main(["--warehouse", str(tmp_path / "none.duckdb"), "report", "--out", str(tmp_path / "r.html")]) == 2
    assert "dkpi init" in capsys.readouterr().err
