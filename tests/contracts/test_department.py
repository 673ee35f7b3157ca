from datetime import date

import polars as pl
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


def test_a_count_with_a_fraction_is_a_misread_number_and_is_refused():
    result = validated('Tây Hồ,Cấp giấy phép xây dựng,03/2024,"1,234",giấy phép,không,\n' + GOOD)
    assert result.rejected.select("source_row", "rule").rows() == [(2, "count_fraction")]
    assert "số nguyên" in result.rejected["message"][0] and "«1,234»" in result.rejected["message"][0]
    assert result.rows_loaded == 4


def test_conflicting_duplicates_are_both_rejected():
    result = validated(GOOD + 'Tây Hồ,Thu NSNN,02/2024,"1.020,8",tỷ đồng,có,"6.617"\n')
    assert sorted(result.rejected["source_row"].to_list()) == [3, 6]
    assert set(result.rejected["rule"]) == {"conflicting_duplicate"}
    assert result.valid.height == 3


def test_identical_duplicate_loads_once():
    result = validated(GOOD + 'Tây Hồ,Thu NSNN,02/2024,"1.020,7",tỷ đồng,có,"6.617"\n')
    assert result.rejected.select("source_row", "rule").rows() == [(6, "duplicate_row")]
    assert result.valid.height == 4


def test_each_later_repeat_is_a_duplicate_and_the_first_loads():
    repeat = "Tây Hồ,Cấp giấy phép xây dựng,02/2024,7,giấy phép,không,\n"  # GOOD's row 5 too
    result = validated(repeat + GOOD + repeat)
    assert result.rejected.select("source_row", "rule").rows() == [(5, "duplicate_row"), (7, "duplicate_row")]
    assert result.valid.filter(pl.col("metric") == "construction_permits")["source_row"].to_list() == [2]


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


WIDE = "UBND QUẬN TÂY HỒ\n(ĐVT: tỷ đồng)\nChỉ tiêu;Tháng 1/2024;Tháng 2/2024;Tháng 3/2024\n"


@pytest.mark.parametrize(
    ("row", "findings"),
    [
        ("Thu NSNN;100;-5;300", [("Tháng 2/2024", "negative_value", "error")]),
        ("Thu NSNN;100;1.2.3;300", [("Tháng 2/2024", "number_format", "error")]),
        ("Tỷ trọng thương mại - dịch vụ;58,6;1.200;60", [("Tháng 2/2024", "percent_range", "error")]),
        ("Thu NSNN;100;250;200", [("Tháng 3/2024", "ytd_decrease", "warning")]),
        ("Thu NSNN;100;;300", [("Tháng 2/2024", "missing_value", "skipped")]),
        ("Thu phí trông xe;1;2;3", [(f"Tháng {m}/2024", "known_metric", "error") for m in (1, 2, 3)]),
    ],
)
def test_bad_cells_of_a_wide_file_are_reported_one_by_one(row, findings):
    parsed = parse_department_file("w.csv", (WIDE + row + "\n").encode(), gazetteer=gazetteer(), metrics=metric_catalogue())
    result = validate_department(parsed.frame, parsed.headers, parsed.structure)
    assert result.findings.select("source_column", "rule", "severity").rows() == findings
    assert result.findings["source_row"].unique().to_list() == [4]
    value_rules = result.findings.filter(pl.col("rule") != "known_metric")
    assert value_rules["column_name"].to_list() == value_rules["source_column"].to_list()
    errors = sum(severity == "error" for _, _, severity in findings)
    skipped = sum(severity == "skipped" for _, _, severity in findings)
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (3, 3 - errors - skipped, errors, skipped)


def test_ytd_decrease_is_loaded_and_flagged():
    result = validated('Tây Hồ,Thu NSNN,03/2024,"900,1",tỷ đồng,có,\n' + GOOD)
    assert result.rows_loaded == 5 and result.rows_quarantined == 0
    # March (900,1 on line 2) sorts after February (1.020,7): the year-to-date figure fell.
    assert result.warnings.select("source_row", "rule", "severity").rows() == [(2, "ytd_decrease", "warning")]
    assert "vẫn nạp" in result.warnings["message"][0]


def test_rules_comparing_rows_see_only_their_candidates_and_find_every_case_among_others():
    # Repeats and a falling year-to-date figure spread among unique keys, unknown districts and other series:
    # rules that compare rows run over the candidates alone, so the same findings must come out, on the same rows.
    body = (
        'Tây Hồ,Thu NSNN,01/2024,"512,3",tỷ đồng,có,\n'  # 2
        "Tây Hồ Bắc,Thu NSNN,01/2024,9999,tỷ đồng,có,\n"  # 3: unknown district, in no series of Tây Hồ
        "Tây Hồ,Cấp giấy phép xây dựng,02/2024,7,giấy phép,không,\n"  # 4
        'Tây Hồ,Thu NSNN,02/2024,"400,0",tỷ đồng,có,\n'  # 5: falls below January
        "Ba Đình,Cấp giấy phép xây dựng,02/2024,3,giấy phép,không,\n"  # 6
        "Tây Hồ,Cấp giấy phép xây dựng,02/2024,8,giấy phép,không,\n"  # 7: conflicts with 4
        "Ba Đình,Cấp giấy phép xây dựng,02/2024,3,giấy phép,không,\n"  # 8: repeats 6
        "Tây Hồ,Thu NSNN,03/2024,..,tỷ đồng,có,\n"  # 9: no value, in no comparison
        'Tây Hồ,Thu NSNN,04/2024,"450,0",tỷ đồng,có,\n'  # 10: below January still
    )
    result = validated(body)
    found = sorted(result.findings.filter(pl.col("rule") != "missing_value").select("source_row", "rule").rows())
    assert found == [
        (3, "known_district"), (4, "conflicting_duplicate"), (5, "ytd_decrease"), (7, "conflicting_duplicate"),
        (8, "duplicate_row"), (10, "ytd_decrease"),
    ]
    assert (result.rows_in, result.rows_loaded, result.rows_quarantined, result.rows_skipped) == (9, 4, 4, 1)


def test_only_among_passes_the_rows_that_are_not_candidates():
    rows = pl.LazyFrame({"group": [1, 2, 1, 2, 1], "value": [5, 9, 3, 1, 4], "candidate": [True, False, True, False, True]})
    falls = pl.col("value") >= pl.col("value").cum_max().shift(1).over("group").fill_null(0)
    checked = department.only_among(rows, pl.col("candidate"), falls).collect().to_series().to_list()
    # group 1, the candidates: 5, then 3 and 4 fall below it; group 2 falls too (9, then 1) but is not a candidate
    assert checked == [True, True, False, True, False]


def test_unknown_district_and_metric_suggest_the_closest_names():
    result = validated("Thanh Xuan Bac,Thu ngan sachh nha nuoc,03/2024,5,tỷ đồng,có,\n")
    messages = dict(result.rejected.select("rule", "message").rows())
    assert "Có phải: Thanh Xuân" in messages["known_district"]
    assert "budget_revenue" in messages["known_metric"]


def test_district_missing_everywhere_is_named():
    result = validated(",Thu NSNN,03/2024,5,tỷ đồng,có,\n")
    assert result.rejected.select("rule", "column_name").rows() == [("missing_district", "Quận/huyện")]


def test_structural_rows_count_as_skipped_with_a_reason():
    result = validated(GOOD + "Toàn quận,Thu NSNN,02/2024,5,tỷ đồng,có,\n")
    assert result.skipped.select("source_row", "rule", "severity", "raw_value").rows() == [(6, "total", "skipped", "Toàn quận")]
    assert (result.rows_in, result.rows_loaded, result.rows_skipped) == (5, 4, 1)


def test_every_structural_row_kind_has_a_skipped_rule_and_every_rule_a_known_severity():
    from contracts.messages import SEVERITIES, STRUCTURE_RULES
    from sources.departments.rows import STRUCTURE_KINDS

    assert set(STRUCTURE_KINDS) == set(STRUCTURE_RULES)
    assert all(RULES[kind].severity == "skipped" for kind in STRUCTURE_KINDS)
    assert {rule.severity for rule in RULES.values()} == set(SEVERITIES)


def test_key_repeated_flags_every_figure_whose_key_another_states():
    frame = pl.DataFrame(
        {
            "unit_id": ["a", "a", "b", None, None, "a"],
            "metric": ["m", "m", "m", "m", "m", "m"],
            "month_start": [date(2024, 1, 1)] * 5 + [date(2024, 2, 1)],
            "basis": ["ytd"] * 6,
        },
        schema_overrides={"unit_id": pl.Categorical, "metric": pl.Categorical, "basis": pl.Categorical},
    )
    assert department.key_repeated(frame).to_list() == [True, True, False, True, True, False]
