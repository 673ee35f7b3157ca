from datetime import date

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from sources.departments import UnreadableFile, parse_department_file
from sources.departments.headers import header_role
from sources.departments.mapping import label_key


def parse(text: str, encoding: str = "utf-8", name: str = "test.csv"):
    return parse_department_file(name, text.encode(encoding), gazetteer=gazetteer(), metrics=metric_catalogue())


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Quận/huyện", "district"),
        ("QUẬN / HUYỆN", "district"),
        ("district", "district"),
        ("Chỉ tiêu", "metric"),
        ("Metric", "metric"),
        ("Tháng", "period"),
        ("Kỳ", "period"),
        ("kỳ báo cáo", "period"),
        ("period", "period"),
        ("Giá trị", "value"),
        ("VALUE", "value"),
        ("Đơn vị tính", "unit"),
        ("ĐVT", "unit"),
        ("Lũy kế", "cumulative"),
        ("Luỹ kế", "cumulative"),
        ("cumulative", "cumulative"),
        ("Kế hoạch năm", "annual_plan"),
        ("annual_plan", "annual_plan"),
    ],
)
def test_header_roles(header, role):
    assert header_role(header) == role


def test_header_key_folds():
    assert label_key("Quận/Huyện") == "quan huyen"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter):
    text = delimiter.join(["Quận/huyện", "Chỉ tiêu", "Tháng", "Giá trị", "Đơn vị tính"]) + "\n"
    text += delimiter.join(["Tây Hồ", "Thu NSNN", "02/2024", '"1.204,5"', "tỷ đồng"]) + "\n"
    parsed = parse(text)
    assert parsed.delimiter == delimiter
    row = parsed.frame.row(0, named=True)
    assert (row["unit_id"], row["metric"], row["month_start"], row["value"], row["basis"]) == (
        "hn-tay-ho", "budget_revenue", date(2024, 2, 1), 1_204_500_000_000, "ytd"
    )


def test_bom_and_english_headers():
    text = "district,metric,period,value,unit,cumulative\nCau Giay,construction_permits,2024-03,12,giấy phép,false\n"
    parsed = parse_department_file(
        "en.csv", b"\xef\xbb\xbf" + text.encode(), gazetteer=gazetteer(), metrics=metric_catalogue()
    )
    row = parsed.frame.row(0, named=True)
    assert parsed.encoding == "utf-8-sig"
    assert (row["district"], row["value"], row["unit"], row["basis"]) == ("Cầu Giấy", 12, "count", "month")


@pytest.mark.parametrize(
    ("flag", "basis"),
    [("có", "ytd"), ("không", "month"), ("x", "ytd"), ("", "month"), ("true", "ytd"), ("0", "month"), ("1", "ytd")],
)
def test_cumulative_flags(flag, basis):
    text = f"Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\nTây Hồ,Thu NSNN,02/2024,5,tỷ đồng,{flag}\n"
    assert parse(text).frame["basis"].to_list() == [basis]


def test_unreadable_flag_is_null_not_guessed():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\nTây Hồ,Thu NSNN,02/2024,5,tỷ đồng,maybe\n"
    assert parse(text).frame["basis"].to_list() == [None]


def test_metric_default_basis_without_cumulative_column():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,Cấp giấy phép xây dựng,02/2024,7\nTây Hồ,Thu NSNN,02/2024,7\n"
    frame = parse(text).frame
    assert frame["basis"].to_list() == ["month", "ytd"]
    # A count needs no unit column; an amount in đồng must say its scale.
    assert frame["unit"].to_list() == ["count", None]


def test_row_numbers_count_the_header_and_skip_blank_lines():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,01/2024,1\n,,,\nTây Hồ,GPXD,02/2024,2\n"
    frame = parse(text).frame
    assert frame["source_row"].to_list() == [2, 4]


def test_title_lines_before_the_header():
    text = "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 02/2024\nQuận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,02/2024,9\n"
    parsed = parse(text)
    assert parsed.header_line == 3
    assert parsed.frame["source_row"].to_list() == [4]


def test_annual_plan_uses_the_row_unit():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Kế hoạch năm\nTây Hồ,Thu NSNN,02/2024,\"1.151.248\",triệu đồng,\"6.617.000\"\n"
    row = parse(text).frame.row(0, named=True)
    assert row["value"] == 1_151_248_000_000
    assert row["annual_plan"] == 6_617_000_000_000


def test_missing_value_is_null_and_flagged_not_zero():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,02/2024,..\nTây Hồ,GPXD,03/2024,-\nTây Hồ,GPXD,04/2024,0\n"
    frame = parse(text).frame
    assert frame["value"].to_list() == [None, None, 0]
    assert frame["value_missing"].to_list() == [True, True, False]


def test_file_without_the_required_columns_is_unreadable():
    with pytest.raises(UnreadableFile, match=r"bad\.csv: no header row naming the figures' district, metric and period"):
        parse("a,b,c\n1,2,3\n", name="bad.csv")


def test_broken_utf8_is_unreadable_with_its_name_not_read_as_cp1258():
    broken = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,02/2024,9\n".encode() + b"\xc3(\n"
    with pytest.raises(UnreadableFile, match=r"legacy\.csv: broken UTF-8 at byte \d+"):
        parse_department_file("legacy.csv", broken, gazetteer=gazetteer(), metrics=metric_catalogue())
