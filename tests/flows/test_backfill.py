"""backfill: stored files and pages read again; unchanged readings write nothing, changed ones replace their rows."""

import pytest

from flows.backfill import backfill
from flows.ingest_departments import ingest_departments
from flows.settings import PROJECT_DIR
from warehouse import Warehouse
from warehouse.loads import stored_files_between

SAMPLES = PROJECT_DIR / "samples" / "departments"


def current(target):
    with Warehouse(target, read_only=True) as wh:
        return wh.query(
            "select obs_id, value, superseded_by is null from observations order by obs_id, load_id"
        ).rows


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_over_unchanged_parsers_writes_nothing(tmp_path):
    target = str(tmp_path / "b.duckdb")
    ingest_departments([str(SAMPLES)], target)
    before = current(target)
    summary = backfill(target)
    assert summary["files"] == len(list(SAMPLES.iterdir()))
    assert (summary["files_changed"], summary["files_failed"]) == (0, 0)
    assert current(target) == before


@pytest.mark.usefixtures("prefect_harness")
def test_backfill_replaces_what_a_better_parser_reads_differently(tmp_path, monkeypatch):
    from datetime import date

    import flows.backfill as module

    target = str(tmp_path / "b.duckdb")
    ingest_departments([str(SAMPLES / "thanh_xuan_quan_ly_do_thi_2024-2025.csv")], target)
    original = module.validate_department

    def improved(frame, headers, structure):
        checked = original(frame, headers, structure)
        # A parser that now reads every permit count one higher: the backfill must pick that up.
        from dataclasses import replace

        import polars as pl

        return replace(checked, valid=checked.valid.with_columns(pl.col("value") + 1))

    monkeypatch.setattr(module, "validate_department", improved)
    summary = backfill(target, date(2024, 1, 1), date(2024, 12, 1))
    assert summary["files_changed"] == 1
    with Warehouse(target, read_only=True) as wh:
        kinds = wh.query(
            "select superseded_by is null as current, count(*) from observations group by 1 order by 1"
        ).rows
        duplicates = wh.query(
            "select count(*) from (select obs_id from observations where superseded_by is null group by 1 having count(*) > 1)"
        ).rows[0][0]
    assert kinds[0][1] == kinds[1][1]  # every earlier row kept in history, replaced one for one
    assert duplicates == 0


def test_months_choose_the_files(wh):
    assert stored_files_between(wh.con, None, None) == []
