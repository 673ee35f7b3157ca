"""End to end: the real Prefect flow on the bundled samples, twice."""

from pathlib import Path

import pytest

from flows.ingest_departments import ingest_departments
from flows.settings import PROJECT_DIR
from warehouse import Warehouse

SAMPLES = PROJECT_DIR / "samples" / "departments"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "departments"

TABLES = {
    "observations": "select * exclude (load_id, loaded_at) from observations order by obs_id",
    "quarantine": "select * exclude (load_id, quarantined_at) from quarantine order by all",
    "raw_files": "select sha256, file_name, size_bytes, content from raw_files order by sha256",
    "dim_unit": "select * from dim_unit order by unit_id",
    "kpi_mom": "select * from kpi_mom order by all",
}


def contents(path):
    with Warehouse(path, read_only=True) as wh:
        return {name: wh.query(sql).rows for name, sql in TABLES.items()}


@pytest.mark.usefixtures("prefect_harness")
def test_samples_load_twice_to_identical_contents(tmp_path):
    target = str(tmp_path / "w.duckdb")
    first = ingest_departments([str(SAMPLES)], target)
    after_first = contents(target)
    second = ingest_departments([str(SAMPLES)], target)
    assert contents(target) == after_first
    assert {o["status"] for o in first} == {"success"}
    assert {o["status"] for o in second} == {"unchanged"}
    for outcome in first:
        assert outcome["rows_in"] == outcome["rows_loaded"] + outcome["rows_quarantined"] + outcome["rows_skipped"], outcome
    with Warehouse(target, read_only=True) as wh:
        districts = {row[0] for row in wh.query("select distinct district from kpi_mom").rows}
        loaded = wh.query("select count(*) from observations").rows[0][0]
        quarantined_rows = wh.query(
            "select count(distinct (source_name, row_number, source_column)) from quarantine where severity = 'error'"
        ).rows[0][0]
        skipped_rows = wh.query(
            "select count(distinct (source_name, row_number, source_column)) from quarantine where severity = 'skipped'"
        ).rows[0][0]
        runs = wh.query("select status, count(*) from load_runs group by status order by status").rows
        run_totals = wh.query(
            "select sum(rows_in), sum(rows_loaded + rows_quarantined + rows_skipped) from load_runs where status = 'success'"
        ).rows[0]
    assert districts == {"Thanh Xuân", "Cầu Giấy", "Long Biên"}
    assert loaded == sum(o["rows_loaded"] for o in first)
    assert quarantined_rows == sum(o["rows_quarantined"] for o in first)
    # No figure ('..'), a group heading and a 'Trong đó' row: skipped with a reason, never errors.
    assert skipped_rows == sum(o["rows_skipped"] for o in first)
    assert {o["source"]: o["rows_skipped"] for o in first if o["rows_skipped"]} == {
        "thanh_xuan_quan_ly_do_thi_2024-2025.csv": 1, "long_bien_kinh_te_2024-2025.csv": 3,
    }
    assert run_totals[0] == run_totals[1]
    assert runs == [("success", 5), ("unchanged", 5)]
    with Warehouse(target, read_only=True) as wh:
        wide = wh.query(
            "select department, count(*), bool_or(is_preliminary), max(month_start)::varchar from observations"
            " where source_name = 'long_bien_kinh_te_2024-2025.csv' group by department"
        ).rows
    assert wide == [("kinh_te", 27, True, "2025-02-01")]


@pytest.mark.usefixtures("prefect_harness")
def test_unreadable_file_fails_alone_and_is_kept(tmp_path):
    target = str(tmp_path / "w.duckdb")
    outcomes = ingest_departments([str(FIXTURES)], target)
    by_file = {o["source"]: o for o in outcomes}
    assert by_file["not_a_report.csv"]["status"] == "failed"
    assert "not_a_report.csv: no header row" in by_file["not_a_report.csv"]["message"]
    mixed = by_file["tay_ho_mixed.csv"]
    assert (mixed["status"], mixed["rows_in"], mixed["rows_loaded"], mixed["rows_quarantined"]) == ("success", 6, 4, 2)
    with Warehouse(target, read_only=True) as wh:
        assert wh.query("select count(*) from raw_files where file_name = 'not_a_report.csv'").rows == [(1,)]



@pytest.mark.usefixtures("prefect_harness")
def test_obs_id_stays_unique_without_a_primary_key(tmp_path):
    # observations has no primary key (sql/migrations/0005): obs_id must be unique by construction.
    target = str(tmp_path / "w.duckdb")
    ingest_departments([str(SAMPLES)], target)
    ingest_departments([str(SAMPLES)], target)
    original = SAMPLES / "thanh_xuan_tai_chinh_2024-2025.csv"
    corrected = tmp_path / "thanh_xuan_tai_chinh_2024-2025_sua.csv"
    corrected.write_text(original.read_text(encoding="utf-8").replace('01/2024,"659,8"', '01/2024,"660,1"', 1), encoding="utf-8")
    assert [o["status"] for o in ingest_departments([str(corrected)], target)] == ["success"]
    with Warehouse(target, read_only=True) as wh:
        shared = wh.query("select obs_id, count(*) from observations group by obs_id having count(*) > 1").rows
        current = wh.query("select count(*), count(distinct obs_id) from observations where superseded_by is null").rows
        replaced = wh.query("select count(*) from observations where superseded_by is not null").rows[0][0]
    assert shared == []
    assert current[0][0] == current[0][1]
    assert replaced > 0  # the corrected file's figures sit next to the ones they replaced
