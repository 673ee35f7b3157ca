from datetime import date

import polars as pl
import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from contracts.department import validate_department
from sources.departments import parse_department_file
from warehouse import ReceivedFile, Submission

HEADER = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\n"


def load(wh, name: str, body: str, *, header: str = HEADER, department: str | None = None):
    received = ReceivedFile(name, (header + body).encode())
    parsed = parse_department_file(name, received.content, gazetteer=gazetteer(), metrics=metric_catalogue())
    checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
    return wh.load_department_file(
        received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
        rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped,
        submission=Submission(department, parsed.district_id, parsed.report_period),
    )


def snapshot(wh):
    return {
        table: wh.query(f"select * exclude (loaded_at) from {table} order by all").rows
        if table == "observations"
        else wh.query(f"select * exclude (quarantined_at, load_id) from {table} order by all").rows
        if table == "quarantine"
        else wh.query(f"select * from {table} order by all").rows
        for table in ("observations", "quarantine", "raw_files")
    }


def test_load_counts_add_up_and_provenance_is_kept(wh):
    result = load(wh, "a.csv", "Tây Hồ,Thu NSNN,01/2024,5,tỷ đồng,có\nTây Hồ,Thu NSNN,13/2024,5,tỷ đồng,có\n")
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == ("success", 2, 1, 1)
    row = wh.query("select source_name, source_row, source_column, value, as_of::varchar from observations").rows
    assert row == [("a.csv", 2, "Giá trị", 5e9, "2024-01-31")]
    run = wh.query("select rows_in, rows_loaded, rows_quarantined, status from load_runs").rows
    assert run == [(2, 1, 1, "success")]


def test_same_file_again_changes_nothing(wh):
    body = "Tây Hồ,Thu NSNN,01/2024,5,tỷ đồng,có\nTây Hồ,Thu NSNN,13/2024,5,tỷ đồng,có\n"
    load(wh, "a.csv", body)
    before = snapshot(wh)
    again = load(wh, "renamed.csv", body)
    assert again.status == "unchanged"
    assert snapshot(wh) == before


def test_restated_figure_supersedes_the_old_one_and_keeps_history(wh):
    first = load(wh, "a.csv", "Tây Hồ,Thu NSNN,01/2024,5,tỷ đồng,có\nTây Hồ,Thu NSNN,02/2024,9,tỷ đồng,có\n")
    second = load(wh, "a_corrected.csv", "Tây Hồ,Thu NSNN,02/2024,10,tỷ đồng,có\n")
    rows = wh.query(
        "select month_start::varchar, value, load_id = ? as from_first, superseded_by from observations order by all",
        [first.load_id],
    ).rows
    assert rows == [
        ("2024-01-01", 5e9, True, None),
        ("2024-02-01", 9e9, True, second.load_id),
        ("2024-02-01", 10e9, False, None),
    ]
    assert wh.query("select count(*) from stg_department_observations").rows == [(2,)]


def test_failed_load_writes_nothing(wh):
    received = ReceivedFile("bad.csv", b"whatever")
    valid = pl.DataFrame(
        {"unit_id": ["hn-tay-ho"], "district": ["Tây Hồ"], "metric": ["budget_revenue"],
         "month_start": [date(2024, 1, 1)], "as_of": [date(2024, 1, 31)], "basis": ["ytd"], "value": [1.0],
         "unit": ["dollars"], "is_preliminary": [False], "annual_plan": [None], "source_sheet": [None],
         "source_row": [2], "source_column": ["Giá trị"]},
    )
    with pytest.raises(Exception, match="CHECK constraint"):
        wh.load_department_file(received, valid=valid, findings=pl.DataFrame(), rows_in=1, rows_quarantined=0,
                                rows_skipped=0)
    assert snapshot(wh) == {"observations": [], "quarantine": [], "raw_files": []}
    assert wh.query("select count(*) from load_runs").rows == [(0,)]


def test_unreadable_file_is_recorded_with_its_bytes(wh):
    result = wh.record_failure(ReceivedFile("x.xls", b"\x00\x01"), "x.xls: not UTF-8 text", flow="ingest_departments")
    assert result.status == "failed"
    assert wh.query("select file_name, size_bytes from raw_files").rows == [("x.xls", 2)]
    assert wh.query("select status, message from load_runs").rows == [("failed", "x.xls: not UTF-8 text")]
