"""dkpi check, dkpi alerts and dkpi ack, run in-process against a temporary warehouse."""

import json

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from flows.cli import main
from tests.support.observations import B, insert
from warehouse import Warehouse


def dkpi(*args):
    return main(list(args))


@pytest.fixture
def late_series(tmp_path):
    """A warehouse where Tây Hồ's revenue stops in September while Cầu Giấy's goes on to December."""
    target = str(tmp_path / "alerts.duckdb")
    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        insert(wh.con, "Tây Hồ", "budget_revenue", "2024-09", 3_050 * B, source_name="tay_ho.csv", loaded_at="2025-01-05")
        insert(wh.con, "Cầu Giấy", "budget_revenue", "2024-12", 10_058.6 * B, loaded_at="2025-01-05")
    return target


@pytest.mark.usefixtures("prefect_harness")
def test_check_then_list_then_acknowledge(late_series, capsys, monkeypatch):
    monkeypatch.delenv("DKPI_ALERT_WEBHOOK_URL", raising=False)
    assert dkpi("--warehouse", late_series, "check") == 0
    assert "checks: 9 run, 0 failed; alerts: 1 new, 0 re-opened, 0 still failing, 0 resolved" in capsys.readouterr().out

    assert dkpi("--warehouse", late_series, "alerts", "--format", "json") == 0
    [alert] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (alert["severity"], alert["status"], alert["check"], alert["district"], alert["metric"], alert["period"]) == (
        "warning", "open", "freshness", "Tây Hồ", "budget_revenue", None
    )
    assert "số liệu gần nhất đến ngày 30/09/2024 (tay_ho.csv), chậm 92 ngày" in alert["message"]

    assert dkpi("--warehouse", late_series, "alerts") == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["id", "severity", "status", "check", "district", "metric", "period",
                                             "occurrences", "last_seen_at", "message"]
    assert alert["id"] in table and "(1 row)" in table

    assert dkpi("--warehouse", late_series, "ack", alert["id"][:6], "--by", "lan", "--note", "đã nhắc phòng TC-KH") == 0
    assert f"acknowledged {alert['id']} (warning, freshness) by lan" in capsys.readouterr().out
    assert dkpi("--warehouse", late_series, "alerts") == 0
    assert "(0 rows)" in capsys.readouterr().out
    assert dkpi("--warehouse", late_series, "alerts", "--status", "acknowledged", "--format", "csv") == 0
    assert ",lan," in capsys.readouterr().out

    assert dkpi("--warehouse", late_series, "check") == 0
    assert "0 new, 0 re-opened, 1 still failing" in capsys.readouterr().out


def test_ack_and_alerts_explain_what_is_wrong(late_series, tmp_path, capsys):
    assert dkpi("--warehouse", late_series, "ack", "zz-top") == 2
    assert "is not an alert id" in capsys.readouterr().err
    assert dkpi("--warehouse", late_series, "ack", "abcdef") == 2
    assert "no alert with id abcdef" in capsys.readouterr().err
    assert dkpi("--warehouse", str(tmp_path / "none.duckdb"), "alerts") == 2
    assert "dkpi init" in capsys.readouterr().err
