from datetime import date

import pytest

from contracts import department
from contracts.catalogue import gazetteer, metric_catalogue
from contracts.department import validate_department
from contracts.messages import RULES
from sources.departments import parse_department_file

HEADER = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế,Kế hoạch năm\n"
GOOD = (
    'Tây Hồ,Thu NSNN,01/2024,"512,3",tỷ đồng,có,"6.617"\n'
    'Tây Hồ,Thu NSNN,02/2024,"1.020,7",tỷ đồng,có,"6.617"\n'
    "Tây Hồ,Cấp giấy phép xây dựng,02/2024,7,giấy phép,không,\n"
    "Tây Hồ,Tỷ trọng thương mại - dịch vụ,02/2024,\"58,6\",%,không,\n"
)


def validated(body: str):
    parsed = parse_department_file("t.csv", (HEADER + body).encode(), gazetteer=gazetteer(), metrics=metric_catalogue())
    return validate_department(parsed.frame, parsed.headers, parsed.structure)


def test_good_frame_passes_whole():
    result = validated(GOOD)
    assert result.rejected.height == 0
    assert result.valid.height == result.rows_in == 4


@pytest.mark.parametrize(
    ("row", "rule", "column", "words"),
    [
        ("Tây Hồ Bắc,Thu NSNN,03/2024,5,tỷ đồng,có,", "known_district", "Quận/huyện", "Có phải: Tây Hồ?"),
        ("Tây Hồ,Thu phí gửi xe,03/2024,5,tỷ đồng,có,", "known_metric", "Chỉ tiêu", "Không nhận ra chỉ tiêu"),
        ("Tây Hồ,Thu NSNN,13/2024,5,tỷ đồng,có,", "period_format", "Tháng", "«13/2024»"),
        ("Tây Hồ,Thu NSNN,01/1999,5,tỷ đồng,có,", "period_range", "Tháng", "ngoài khoảng"),
        ("Tây Hồ,Thu NSNN,01/2099,5,tỷ đồng,có,", "period_range", "Tháng", "ngoài khoảng"),
        ("Tây Hồ,Thu NSNN,03/2024,\"12.45,6\",tỷ đồng,có,", "number_format", "Giá trị", "«12.45,6»"),
        ("Tây Hồ,Thu NSNN,03/2024,5,đô la,có,", "unknown_unit", "Đơn vị tính", "«đô la»"),
        ("Tây Hồ,Thu NSNN,03/2024,5,trường hợp,có,", "unit_mismatch", "Đơn vị tính", "tính bằng đồng"),
        ("Tây Hồ,Thu NSNN,03/2024,5,tỷ đồng,chắc vậy,", "cumulative_flag", "Lũy kế", "«chắc vậy»"),
        ("Tây Hồ,Thu NSNN,03/2024,-5,tỷ đồng,có,", "negative_value", "Giá trị", "Giá trị âm"),
        ("Tây Hồ,Tỷ trọng thương mại - dịch vụ,03/2024,1200,%,không,", "percent_range", "Giá trị", "0–1000%"),
        ("Tây Hồ,Thu NSNN,03/2024,5,tỷ đồng,có,nhiều", "plan_format", "Kế hoạch năm", "«nhiều»"),
        ("Tây Hồ,Thu NSNN,03/2024,5,tỷ đồng,có,0", "plan_positive", "Kế hoạch năm", "lớn hơn 0"),
    ],
)
def test_each_rule_quarantines_its_row(row, rule, column, words):
    result = validated(GOOD + row + "\n")
    assert result.rejected["rule"].to_list() == [rule]
    record = result.rejected.row(0, named=True)
    assert record["source_row"] == 6
    assert record["column_name"] == column
    assert words in record["message"]
    assert result.valid.height == 4
    assert result.rows_in == result.valid.height + result.rows_quarantined


@pytest.mark.parametrize("missing", ["..", "-", ""])
def test_missing_value_is_skipped_not_rejected_nor_zero(missing):
    # Changed with issue 5: '..', '-' and empty mean 'no figure'; not an error, so not quarantined, but reported.
    result = validated(GOOD + f"Tây Hồ,Thu NSNN,03/2024,{missing},tỷ đồng,có,\n")
    assert result.rejected.height == 0
    assert result.skipped.select("source_row", "rule", "severity", "column_name").rows() == [
        (6, "missing_value", "skipped", "Giá trị")
    ]
    assert "không coi là 0" in result.skipped["message"][0]
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (5, 4, 0, 1)


def test_conflicting_duplicates_are_both_rejected():
    result = validated(GOOD + 'Tây Hồ,Thu NSNN,02/2024,"1.020,8",tỷ đồng,có,"6.617"\n')
    assert sorted(result.rejected["source_row"].to_list()) == [3, 6]
    assert set(result.rejected["rule"]) == {"conflicting_duplicate"}
    assert result.valid.height == 3


def test_identical_duplicate_loads_once():
    result = validated(GOOD + 'Tây Hồ,Thu NSNN,02/2024,"1.020,7",tỷ đồng,có,"6.617"\n')
    assert result.rejected.select("source_row", "rule").rows() == [(6, "duplicate_row")]
    assert result.valid.height == 4


def test_unreadable_value_is_not_also_a_conflict():
    result = validated(GOOD + 'Tây Hồ,Thu NSNN,02/2024,"1.0.20,7",tỷ đồng,có,\n')
    assert result.rejected["rule"].to_list() == ["number_format"]


def test_one_row_can_break_several_rules():
    result = validated(GOOD + "Tây Hồ Bắc,Thu NSNN,13/2024,\"1,2,3\",tỷ đồng,có,\n")
    assert set(result.rejected["rule"]) == {"known_district", "period_format", "number_format"}
    assert result.rows_quarantined == 1


def test_raw_row_keeps_every_cell():
    result = validated(GOOD + "Tây Hồ,Thu NSNN,13/2024,5,tỷ đồng,có,\n")
    assert '"period_raw":"13/2024"' in result.rejected["raw_row"][0]


def test_future_month_is_relative_to_today(monkeypatch):
    monkeypatch.setattr(department, "current_month_start", lambda: date(2024, 2, 1))
    assert validated(GOOD).rejected.height == 0
    monkeypatch.setattr(department, "current_month_start", lambda: date(2024, 1, 1))
    assert set(validated(GOOD).rejected["rule"]) == {"period_range"}


def test_every_rule_has_a_message():
    checks = {check.name for check in department.DepartmentObservation.to_schema().checks}
    checks |= {c.name for col in department.DepartmentObservation.to_schema().columns.values() for c in col.checks}
    assert checks <= set(RULES)
