from datetime import date

import polars as pl
import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from contracts.department import validate_department
from sources.departments import parse_department_file
from warehouse import ReceivedFile, Submission
from warehouse.loads import MAX_UNIT_LOCKS, compacted_while, compression_without, department_locks

HEADER = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\n"


def load(wh, name: str, body: str, *, header: str = HEADER, department: str | None = None, compact: bool = False):
    received = ReceivedFile(name, (header + body).encode())

    def parse():
        return parse_department_file(name, received.content, gazetteer=gazetteer(), metrics=metric_catalogue())

    if compact:  # as the flow does: compacted while it is parsed
        received, parsed = compacted_while(received, parse)
    else:
        parsed = parse()
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


def _figure(**changes) -> pl.DataFrame:
    """One validated figure, as validate_department gives it."""
    return pl.DataFrame(
        {"unit_id": ["hn-tay-ho"], "district": ["Tây Hồ"], "metric": ["budget_revenue"],
         "month_start": [date(2024, 1, 1)], "as_of": [date(2024, 1, 31)], "basis": ["ytd"], "value": [1.0],
         "unit": ["VND"], "is_preliminary": [False], "annual_plan": [None], "source_sheet": [None],
         "source_row": [2], "source_column": ["Giá trị"]} | {name: [value] for name, value in changes.items()},
    )


def test_failed_load_writes_nothing(wh):
    received = ReceivedFile("bad.csv", b"whatever")
    with pytest.raises(Exception, match="CHECK constraint"):
        wh.load_department_file(received, valid=_figure(basis="weekly"), findings=pl.DataFrame(), rows_in=1,
                                rows_quarantined=0, rows_skipped=0)
    assert snapshot(wh) == {"observations": [], "quarantine": [], "raw_files": []}
    assert wh.query("select count(*) from load_runs").rows == [(0,)]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"unit_id": "bm-phuong-7", "district": "Phường 7"}, "district Phường 7 (bm-phuong-7): dim_unit has no such unit"),
        ({"district": "Tay Ho"}, "district Tay Ho (hn-tay-ho): dim_unit has Tây Hồ"),
        ({"unit": "count"}, "metric budget_revenue in count: dim_metric has VND"),
    ],
)
def test_figures_of_a_unit_or_metric_the_warehouse_does_not_hold_are_refused(wh, changes, named):
    # department_figures keeps neither the district's name nor the unit: the view takes them from the dimensions
    with pytest.raises(ValueError, match="bad.csv: figures read with units or metrics") as refused:
        wh.load_department_file(ReceivedFile("bad.csv", b"x"), valid=_figure(**changes), findings=pl.DataFrame(),
                                rows_in=1, rows_quarantined=0, rows_skipped=0)
    assert named in str(refused.value) and "dkpi init" in str(refused.value)
    assert snapshot(wh) == {"observations": [], "quarantine": [], "raw_files": []}


def test_unreadable_file_is_recorded_with_its_bytes(wh):
    result = wh.record_failure(ReceivedFile("x.xls", b"\x00\x01"), "x.xls: not UTF-8 text", flow="ingest_departments")
    assert result.status == "failed"
    assert wh.query("select file_name, size_bytes from raw_files").rows == [("x.xls", 2)]
    assert wh.query("select status, message from load_runs").rows == [("failed", "x.xls: not UTF-8 text")]


REPORT = "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 03/2024\nChỉ tiêu;ĐVT;Tháng 1/2024;Tháng 2/2024;Tháng 3/2024\n"


def current(wh):
    return wh.query(
        "select metric, month_start::varchar, value from observations where superseded_by is null order by all"
    ).rows


def test_corrected_file_replaces_every_row_of_the_earlier_one_and_keeps_history(wh):
    first = load(wh, "tay_ho_03.csv", "Thu NSNN;tỷ đồng;100;200;300\nCấp giấy phép xây dựng;giấy phép;1;2;abc\n",
                 header=REPORT, department="tai_chinh_ke_hoach")
    # The correction fixes March revenue and drops the permits row altogether.
    second = load(wh, "tay_ho_03_sua.csv", "Thu NSNN;tỷ đồng;100;200;310\n", header=REPORT, department="tai_chinh_ke_hoach")
    assert current(wh) == [
        ("budget_revenue", "2024-01-01", 100e9), ("budget_revenue", "2024-02-01", 200e9), ("budget_revenue", "2024-03-01", 310e9),
    ]
    history = wh.query("select count(*), count(distinct superseded_by) from observations where load_id = ?", [first.load_id]).rows
    assert history == [(5, 1)]
    assert wh.query("select distinct superseded_by from observations where load_id = ?", [first.load_id]).rows == [(second.load_id,)]
    # The earlier file's quarantined cell is no longer a current problem either.
    assert wh.query("select rule, superseded_by = ? from quarantine", [second.load_id]).rows == [("number_format", True)]
    runs = wh.query("select source, department, submission, report_period::varchar from load_runs order by started_at").rows
    assert runs == [
        ("tay_ho_03.csv", "tai_chinh_ke_hoach", "tai_chinh_ke_hoach|hn-tay-ho|2024-03", "2024-03-01"),
        ("tay_ho_03_sua.csv", "tai_chinh_ke_hoach", "tai_chinh_ke_hoach|hn-tay-ho|2024-03", "2024-03-01"),
    ]


def test_another_district_or_period_is_another_submission(wh):
    load(wh, "tay_ho_03.csv", "Cấp giấy phép xây dựng;giấy phép;1;2;3\n", header=REPORT, department="quan_ly_do_thi")
    load(wh, "ba_dinh_03.csv", "Cấp giấy phép xây dựng;giấy phép;4;5;6\n",
         header=REPORT.replace("TÂY HỒ", "BA ĐÌNH"), department="quan_ly_do_thi")
    load(wh, "tay_ho_02.csv", "Cấp giấy phép xây dựng;giấy phép;1;2;3\n",
         header=REPORT.replace("BÁO CÁO THÁNG 03/2024", "BÁO CÁO THÁNG 02/2024"), department="quan_ly_do_thi")
    assert wh.query("select count(*) from observations where superseded_by is null").rows == [(6,)]


def test_without_a_department_a_restated_figure_still_supersedes_by_key(wh):
    load(wh, "a.csv", "Thu NSNN;tỷ đồng;100;200;300\n", header=REPORT)
    load(wh, "b.csv", "Thu NSNN;tỷ đồng;100;200;310\n", header=REPORT)
    assert wh.query("select submission from load_runs").rows == [(None,), (None,)]
    assert current(wh)[-1] == ("budget_revenue", "2024-03-01", 310e9)


def test_counts_and_skipped_rows_are_recorded(wh):
    result = load(wh, "t.csv", "Thu NSNN;tỷ đồng;100;..;300\nTổng cộng;tỷ đồng;1;2;3\n", header=REPORT)
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (4, 2, 0, 2)
    assert wh.query("select rows_in, rows_loaded, rows_quarantined, rows_skipped from load_runs").rows == [(4, 2, 0, 2)]
    assert wh.query("select row_number, source_column, rule, severity from quarantine order by all").rows == [
        (4, "Tháng 2/2024", "missing_value", "skipped"), (5, None, "total", "skipped"),
    ]
    ids = [row[0] for row in wh.query("select obs_id from observations order by source_column").rows]
    assert ids[0].endswith(":4:Tháng 1/2024") and ids[0].startswith("file:")


def test_workbook_figures_know_their_sheet(wh):
    from tests.support.departments import xlsx

    content = xlsx({"Tây Hồ": [["Quận/huyện", "Chỉ tiêu", "Tháng", "Giá trị"], ["Tây Hồ", "GPXD", "02/2024", 3]]})
    received = ReceivedFile("so_lieu.xlsx", content)
    parsed = parse_department_file(received.name, content, gazetteer=gazetteer(), metrics=metric_catalogue())
    checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
    wh.load_department_file(received, valid=checked.valid, findings=checked.findings, rows_in=checked.rows_in,
                            rows_quarantined=checked.rows_quarantined, rows_skipped=checked.rows_skipped)
    row = wh.query("select obs_id, source_sheet, source_row, source_column from observations").rows[0]
    assert row[0] == f"file:{received.sha256}:Tây Hồ!2:Giá trị" and row[1:] == ("Tây Hồ", 2, "Giá trị")


def test_big_raw_files_are_compressed_and_read_back_exactly(wh, monkeypatch):
    from warehouse import loads

    monkeypatch.setattr(loads, "COMPRESS_ABOVE", 100)
    body = "".join(f"Tây Hồ,Thu NSNN,{m:02d}/2024,{m}00,tỷ đồng,có\n" for m in range(1, 13))
    load(wh, "big.csv", body)
    sha, encoding, size, stored = wh.query("select sha256, content_encoding, size_bytes, octet_length(content) from raw_files").rows[0]
    assert encoding == "zstd" and stored < size
    assert loads.raw_content(wh.con, sha) == (HEADER + body).encode()


@pytest.mark.parametrize("threshold", [100, 10_000])  # compressed, and kept as received
def test_a_compacted_file_stores_the_same_row_as_the_file_it_came_from(wh, tmp_path, monkeypatch, threshold):
    from warehouse import Warehouse, loads

    monkeypatch.setattr(loads, "COMPRESS_ABOVE", threshold)
    body = "".join(f"Tây Hồ,Thu NSNN,{m:02d}/2024,{m}00,tỷ đồng,có\n" for m in range(1, 13))
    received = ReceivedFile("big.csv", (HEADER + body).encode())
    compacted = received.compact()
    assert (compacted.name, compacted.sha256, compacted.size, compacted.content) == (
        received.name, received.sha256, received.size, received.content,
    )
    assert compacted.compact() is compacted
    assert (compacted.encoding == "zstd") == (threshold == 100)
    load(wh, "big.csv", body, compact=True)
    with Warehouse(tmp_path / "plain.duckdb") as plain:
        plain.init(units=gazetteer().units, metrics=metric_catalogue())
        load(plain, "big.csv", body)
        stored = "select * exclude (received_at) from raw_files"
        assert wh.query(stored).rows == plain.query(stored).rows
        figures = "select * exclude (loaded_at, load_id) from observations order by all"
        assert wh.query(figures).rows == plain.query(figures).rows and len(wh.query(figures).rows) == 12


def test_compacting_while_parsing_gives_both_results_and_raises_the_work_s_error(monkeypatch):
    from warehouse import loads

    monkeypatch.setattr(loads, "COMPRESS_ABOVE", 100)
    received = ReceivedFile("big.csv", (HEADER * 50).encode())
    compacted, answer = compacted_while(received, lambda: 42)
    assert answer == 42 and compacted.encoding == "zstd" and compacted.content == received.content
    assert compacted.sha256 == received.sha256

    def fail():
        raise RuntimeError("parser broke")

    with pytest.raises(RuntimeError, match="parser broke"):
        compacted_while(ReceivedFile("bad.csv", b"x"), fail)


def test_rows_that_do_not_add_up_are_refused_before_anything_is_written(wh):
    with pytest.raises(ValueError, match="refusing to lose rows"):
        wh.load_department_file(ReceivedFile("x.csv", b"x"), valid=pl.DataFrame(), findings=pl.DataFrame(), rows_in=3,
                                rows_quarantined=1, rows_skipped=1)
    assert snapshot(wh) == {"observations": [], "quarantine": [], "raw_files": []}


def test_quarantine_listing_hides_replaced_files_and_failures_later_loaded(wh):
    bad = "Thu NSNN;tỷ đồng;100;abc;300\n"
    received = ReceivedFile("strict.csv", (REPORT + bad).encode())
    parsed = parse_department_file(received.name, received.content, gazetteer=gazetteer(), metrics=metric_catalogue())
    checked = validate_department(parsed.frame, parsed.headers, parsed.structure)
    wh.record_failure(received, "--strict: 1 row(s) failed", flow="ingest_departments", findings=checked.findings)
    assert [row[5] for row in wh.quarantine().rows] == ["file_not_loaded", "number_format"]
    load(wh, "strict.csv", bad, header=REPORT, department="tai_chinh_ke_hoach")
    assert [(row[0], row[2], row[5]) for row in wh.quarantine().rows] == [("strict.csv", 4, "number_format")]
    load(wh, "strict_sua.csv", "Thu NSNN;tỷ đồng;100;200;300\n", header=REPORT, department="tai_chinh_ke_hoach")
    assert wh.quarantine().rows == []
    assert [(row[0], row[5]) for row in wh.quarantine(include_replaced=True).rows] == [("strict.csv", "number_format")]


def test_a_department_load_locks_its_bytes_submission_and_units_or_all_units_when_very_wide():
    received = ReceivedFile("a.csv", b"x")
    submission = Submission("tai_chinh", "hn-tay-ho", date(2024, 10, 1))
    figures = pl.DataFrame({"unit_id": ["hn-tay-ho", "hn-tay-ho", None]})
    locks, shared = department_locks(received, submission, figures)
    assert sorted(locks) == sorted([f"file:{received.sha256}", "submission:tai_chinh|hn-tay-ho|2024-10",
                                    "unit:hn-tay-ho", "unit:None"])
    assert shared == ["units:*"]
    wide = pl.DataFrame({"unit_id": [f"u{n}" for n in range(MAX_UNIT_LOCKS + 1)]})
    assert department_locks(received, Submission(None, None, None), wide) == ([f"file:{received.sha256}", "units:*"], [])


def test_fsst_is_left_out_only_while_figures_are_appended(wh):
    setting = "select current_setting('disabled_compression_methods')"
    wh.con.execute("set disabled_compression_methods = 'rle'")
    with compression_without(wh.con, "fsst"):
        assert wh.query(setting).rows == [("RLE,FSST",)]
    assert wh.query(setting).rows == [("RLE",)]
    with pytest.raises(RuntimeError, match="append failed"), compression_without(wh.con, "fsst"):
        raise RuntimeError("append failed")
    assert wh.query(setting).rows == [("RLE",)]


def test_the_file_is_compacted_on_a_thread_of_the_lowest_priority():
    import os
    import threading

    from warehouse.loads import _in_background

    seen = []
    thread = threading.Thread(target=lambda: seen.append(_in_background(
        lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    )))
    thread.start()
    thread.join()
    assert seen == [19]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19  # the caller's own thread is left alone
