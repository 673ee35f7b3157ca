"""quarantine_growth: a department file that refuses more rows than the office's file before it, or is not loaded."""

import itertools

from tests.support.checks import fingerprints, found

_ids = itertools.count(1)


def load(con, source, *, submission=None, period=None, rows_in=45, quarantined=0, skipped=0, status="success",
         message=None, department="tai_chinh_ke_hoach"):
    """Record one department load as warehouse.loads.record_run does, each later than the one before."""
    load_id = f"load-{next(_ids):03d}"
    con.execute(
        "insert into load_runs (load_id, flow, source, source_sha256, started_at, finished_at, rows_in, rows_loaded,"
        " rows_quarantined, rows_skipped, status, message, department, submission, report_period)"
        " values (?, 'ingest_departments', ?, ?, now() + to_seconds(?), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, source, f"sha-{load_id}", int(load_id[-3:]), rows_in, rows_in - quarantined - skipped, quarantined,
         skipped, status, message, department if status == "success" else None,
         submission if status == "success" else None, period],
    )
    for row in range(quarantined):
        con.execute(
            "insert into quarantine (load_id, source_kind, source_name, row_number, rule, message, quarantined_at,"
            " severity) values (?, 'department', ?, ?, 'number_format', 'Giá trị không phải là số', now(), 'error')",
            [load_id, source, row + 2],
        )
    return load_id


def test_the_next_report_from_the_same_office_refuses_more_rows(wh):
    load(wh.con, "tx_tai_chinh_2025-02.csv", submission="tai_chinh_ke_hoach|hn-thanh-xuan|2025-02", period="2025-02-01",
         quarantined=3)
    load(wh.con, "tx_tai_chinh_2025-03.csv", submission="tai_chinh_ke_hoach|hn-thanh-xuan|2025-03", period="2025-03-01",
         rows_in=48, quarantined=12)
    [row] = found(wh.con, "quarantine_growth")
    assert (row["district"], row["metric"], row["period"], row["subject"], row["severity"]) == (
        "Thanh Xuân", None, "2025-03-01", "tx_tai_chinh_2025-03.csv", "warning"
    )
    assert "12/48 dòng bị cách ly (25 %), tăng từ 3 dòng ở tệp trước (tx_tai_chinh_2025-02.csv)" in row["message"]
    assert row["details"]["rules"] == [{"rule": "number_format", "rows": 12}]


def test_a_corrected_file_that_refuses_fewer_rows_clears_it(wh):
    submission = "tai_chinh_ke_hoach|hn-thanh-xuan|2025-03"
    load(wh.con, "tx_2025-02.csv", submission="tai_chinh_ke_hoach|hn-thanh-xuan|2025-02", period="2025-02-01", quarantined=3)
    load(wh.con, "tx_2025-03.csv", submission=submission, period="2025-03-01", quarantined=12)
    load(wh.con, "tx_2025-03_sua.csv", submission=submission, period="2025-03-01", quarantined=1)
    assert found(wh.con, "quarantine_growth") == []


def test_first_files_alert_only_above_a_share_of_their_rows(wh):
    load(wh.con, "cau_giay.csv", period="2025-02-01", rows_in=71, quarantined=2)  # 2.8 %: `dkpi quarantine` lists them
    load(wh.con, "long_bien.tsv", period="2025-02-01", rows_in=40, quarantined=10)  # 25 %
    load(wh.con, "tay_ho.csv", period="2025-02-01", rows_in=40, quarantined=30)  # 75 %: the layout changed
    assert fingerprints(wh.con, "quarantine_growth") == [
        (None, None, "2025-02-01", "warning"), (None, None, "2025-02-01", "critical"),
    ]
    assert [row["subject"] for row in found(wh.con, "quarantine_growth")] == ["long_bien.tsv", "tay_ho.csv"]


def test_a_file_not_loaded_until_a_later_load_of_it_succeeds(wh):
    load(wh.con, "not_a_report.csv", status="failed", message="not_a_report.csv: no header row")
    load(wh.con, "tay_ho.csv", status="failed", message="--strict: 2 row(s) failed the contract")
    load(wh.con, "tay_ho.csv", period="2025-02-01", rows_in=40, quarantined=0)
    [row] = found(wh.con, "quarantine_growth")
    assert (row["subject"], row["severity"]) == ("not_a_report.csv", "critical")
    assert row["message"].startswith("Tệp not_a_report.csv không được nạp: not_a_report.csv: no header row.")
