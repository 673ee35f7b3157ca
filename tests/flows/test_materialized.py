"""End to end: after every kind of write, the snapshot readers open has materialized tables equal to their SQL,
and the checks that ran inside the write saw them so."""

from dataclasses import replace

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from flows.backfill import backfill
from flows.ingest_departments import ingest_departments
from flows.ingest_news import ingest_news
from flows.settings import PROJECT_DIR
from tests.flows.test_ingest_news import FAST, article
from tests.support.http_server import Reply
from tests.support.materialized import stale
from warehouse import Warehouse

SAMPLES = PROJECT_DIR / "samples" / "departments"
B = 10**9


def published(target, sql):
    """Check the published tables are current, then run one query on the snapshot."""
    with Warehouse(target, read_only=True) as wh:
        assert stale(wh.con) == {}
        return wh.query(sql).rows


def march_revenue(target, district):
    return published(
        target,
        f"select value, ytd_value from kpi_monthly where district = '{district}' and metric = 'budget_revenue'"
        " and month_start = '2024-03-01'",
    )


@pytest.mark.usefixtures("prefect_harness")
def test_every_kind_of_write_publishes_current_tables(tmp_path, http_server, monkeypatch):
    target = str(tmp_path / "w.duckdb")
    ingest_departments([str(SAMPLES)], target)
    assert march_revenue(target, "Cầu Giấy") == [(868_074_000_000, 2_507_002_000_000)]

    # a corrected file of the same submission: its March year to date falls below February's
    corrected = tmp_path / "cau_giay_bao_cao_thang_2024-2025.csv"
    corrected.write_text((SAMPLES / corrected.name).read_text(encoding="utf-8").replace("2.507.002", "1.500.000"),
                         encoding="utf-8")
    [outcome] = ingest_departments([str(corrected)], target)
    assert outcome["status"] == "success"
    assert march_revenue(target, "Cầu Giấy") == [(-138_928_000_000, 1_500_000_000_000)]
    assert published(
        target, "select period::varchar from dq_alerts where check_name = 'ytd_falls' and district = 'Cầu Giấy'"
    ) == [("2024-03-01",)]

    # a news article, then a corrected version of it that replaces its facts
    http_server.route("/a.html", [Reply(body=article(), headers={"ETag": '"a1"'}),
                                  Reply(body=article("1.100"), headers={"ETag": '"a2"'})])
    october = ("select ytd_value from kpi_monthly where district = 'Tây Hồ' and metric = 'budget_revenue'"
               " and month_start = '2024-10-01'")
    for revenue in (1_204.5, 1_100):
        ingest_news(target, urls=[http_server.url("/a.html")], fetch=FAST)
        assert published(target, october) == [(revenue * B,)]

    # a backfill whose better parser reads every figure of one file differently
    import flows.backfill as module

    original = module.validate_department

    def improved(frame, headers, structure):
        import polars as pl

        checked = original(frame, headers, structure)
        return replace(checked, valid=checked.valid.with_columns(pl.col("value") * 2))

    [(value, ytd_value)] = march_revenue(target, "Thanh Xuân")
    monkeypatch.setattr(module, "validate_department", improved)
    assert backfill(target)["files_changed"] >= 1
    assert march_revenue(target, "Thanh Xuân") == [(2 * value, 2 * ytd_value)]

    # a change of the reference tables: budget revenue no longer additive
    metrics = [replace(m, additive=False) if m.code == "budget_revenue" else m for m in metric_catalogue()]
    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metrics)
    assert published(
        target, "select count(*) from kpi_monthly where metric = 'budget_revenue' and value_method = 'differenced'"
    ) == [(0,)]
