"""Department files in every layout and encoding offices send: the right values, units, periods and flags."""

from datetime import date

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from sources.departments import parse_department_file
from tests.support.departments import check, cp1258, figures, parse, xlsx

LONG = (
    "Quận/huyện,Chỉ tiêu,Tháng,Giá trị,Đơn vị tính,Lũy kế\n"
    'Tây Hồ,Thu NSNN,01/2024,"512,3",tỷ đồng,có\n'
    "Tây Hồ,Cấp giấy phép xây dựng,01/2024,7,giấy phép,không\n"
)
LONG_FIGURES = [
    ("hn-tay-ho", "budget_revenue", date(2024, 1, 1), "ytd", 512_300_000_000.0, "VND"),
    ("hn-tay-ho", "construction_permits", date(2024, 1, 1), "month", 7.0, "count"),
]
KEY = ("unit_id", "metric", "month_start", "basis", "value", "unit")


@pytest.mark.parametrize(
    ("content", "encoding", "delimiter"),
    [
        (LONG.encode(), "utf-8", ","),
        (b"\xef\xbb\xbf" + LONG.encode(), "utf-8-sig", ","),
        (LONG.replace(",", ";").replace('"512;3"', "512,3").encode(), "utf-8", ";"),
        # Excel's "Unicode text": UTF-16 LE with BOM, tab-separated.
        (LONG.replace(",", "\t").replace('"512\t3"', "512,3").encode("utf-16"), "utf-16", "\t"),
        (LONG.replace(",", "\t").replace('"512\t3"', "512,3").encode("utf-16-le"), "utf-16-le", "\t"),
        # Legacy Windows-1258: tone marks as combining characters, NFC after decoding.
        (cp1258(LONG.replace(",", ";").replace('"512;3"', "512,3")), "cp1258", ";"),
    ],
    ids=["utf8", "utf8-bom", "semicolon", "utf16-bom-tab", "utf16le-tab", "cp1258"],
)
def test_encodings_and_delimiters(content, encoding, delimiter):
    parsed = parse(content)
    assert (parsed.encoding, parsed.delimiter) == (encoding, delimiter)
    assert figures(check(parsed), *KEY) == LONG_FIGURES


def test_cp1258_really_has_combining_marks():
    # Guard for the test above: the legacy bytes must not be plain precomposed text.
    assert "Hồ".encode("utf-8") not in cp1258("Tây Hồ") and len(cp1258("Hồ")) == 3


TITLED_WIDE = (
    "UBND QUẬN TÂY HỒ\n"
    "PHÒNG TÀI CHÍNH - KẾ HOẠCH\n"
    "BÁO CÁO THU NGÂN SÁCH THÁNG 10/2024\n"
    "(ĐVT: tỷ đồng)\n"
    "\n"
    "STT;Chỉ tiêu;Tháng 1/2024;T2/2024;03/2024;Quý II/2024;Sơ bộ tháng 10/2024;Ghi chú\n"
    "A;B;1;2;3;4;5;6\n"
    "I;CÁC CHỈ TIÊU NGÂN SÁCH;;;;;;\n"
    "1;Thu ngân sách nhà nước trên địa bàn;512,3;1.020,7;..;-;5.606,1;số ước\n"
    "a);Trong đó: thu tiền sử dụng đất;10;20;30;40;50;\n"
    "2;Cấp giấy phép xây dựng;4;5;;16;7;\n"
    ";Tổng cộng;526;1.045;30;56;5.663;\n"
)


def test_wide_layout_with_title_lines_numbering_row_and_structure():
    parsed = parse(TITLED_WIDE, name="tay_ho_bao_cao_thang_10.csv")
    assert parsed.header_line == 6
    assert (parsed.title_district, parsed.title_unit_id, parsed.report_period) == ("QUẬN TÂY HỒ", "hn-tay-ho", date(2024, 10, 1))
    assert parsed.department == "tai_chinh_ke_hoach"  # recognised by its title line keyword
    result = check(parsed)
    assert figures(result, "source_row", "source_column", "metric", "month_start", "as_of", "basis", "value", "unit", "is_preliminary") == [
        (9, "Tháng 1/2024", "budget_revenue", date(2024, 1, 1), date(2024, 1, 31), "ytd", 512_300_000_000.0, "VND", False),
        (9, "T2/2024", "budget_revenue", date(2024, 2, 1), date(2024, 2, 29), "ytd", 1_020_700_000_000.0, "VND", False),
        (9, "Sơ bộ tháng 10/2024", "budget_revenue", date(2024, 10, 1), date(2024, 10, 31), "ytd", 5_606_100_000_000.0, "VND", True),
        # A count metric ignores the title's 'tỷ đồng': its own unit needs no scale.
        (11, "Tháng 1/2024", "construction_permits", date(2024, 1, 1), date(2024, 1, 31), "month", 4.0, "count", False),
        (11, "T2/2024", "construction_permits", date(2024, 2, 1), date(2024, 2, 29), "month", 5.0, "count", False),
        # A quarter is the quarter's own figure, at its last month, as of its last day (as news figures are).
        (11, "Quý II/2024", "construction_permits", date(2024, 6, 1), date(2024, 6, 30), "quarter", 16.0, "count", False),
        (11, "Sơ bộ tháng 10/2024", "construction_permits", date(2024, 10, 1), date(2024, 10, 31), "month", 7.0, "count", True),
    ]
    assert set(result.valid["unit_id"]) == {"hn-tay-ho"}
    skipped = result.skipped.select("source_row", "source_column", "rule").rows()
    assert (7, None, "numbering") in skipped and (8, None, "heading") in skipped
    assert (10, None, "breakdown") in skipped and (12, None, "total") in skipped
    assert {(9, "03/2024", "missing_value"), (9, "Quý II/2024", "missing_value"), (11, "03/2024", "missing_value")} <= set(skipped)
    assert result.rows_quarantined == 0
    assert (result.rows_in, result.rows_loaded, result.rows_skipped) == (4 + 10, 7, 7)
    assert any("Ghi chú" in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("label", "rule"),
    [("Tổng cộng", "total"), ("Cộng", "total"), ("Tổng số", "total"), ("Toàn quận", "total"), ("TỔNG CỘNG TOÀN QUẬN", "total"),
     ("Trong đó:", "breakdown"), ("- Trong đó: thuế", "breakdown"), ("Chia ra", "breakdown"), ("II. NHÓM CHỈ TIÊU KHÁC", "heading")],
)
def test_structural_rows_are_skipped_with_their_kind(label, rule):
    text = "UBND QUẬN TÂY HỒ\nChỉ tiêu,Tháng 1/2024\nCấp giấy phép xây dựng,4\n" + f"{label},{'' if rule == 'heading' else '9'}\n"
    result = check(parse(text))
    assert result.skipped.select("source_row", "rule", "raw_value").rows() == [(4, rule, label)]
    assert "không nạp" in result.skipped["message"][0]
    assert result.rows_loaded == 1


def test_total_in_the_district_column_is_not_a_unit():
    text = "Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,01/2024,4\nToàn quận,GPXD,01/2024,4\nTổng cộng,GPXD,01/2024,4\n"
    result = check(parse(text))
    assert result.skipped.select("source_row", "rule").rows() == [(3, "total"), (4, "total")]


def test_numbered_metric_labels_are_read():
    text = "UBND HUYỆN MÊ LINH\nChỉ tiêu,Tháng 3/2024\nI. Thu ngân sách nhà nước,\"1.204,5\"\n1. Cấp giấy phép xây dựng,3\na) Giải quyết việc làm,120\n"
    result = check(parse(text))
    assert figures(result, "unit_id", "metric", "value") == [
        ("hn-me-linh", "budget_revenue", None), ("hn-me-linh", "construction_permits", 3.0), ("hn-me-linh", "jobs_created", 120.0),
    ][1:]
    # Without any unit, an amount in đồng cannot be scaled: quarantined, never guessed.
    assert result.rejected.select("source_row", "rule").rows() == [(3, "missing_unit")]
    assert "Thiếu đơn vị tính" in result.rejected["message"][0]


def test_two_level_header_with_merged_year():
    text = (
        "UBND QUẬN LONG BIÊN\n"
        "Chỉ tiêu,Đơn vị tính,Năm 2024,,,Lũy kế\n"
        ",,Tháng 1,Tháng 2,Sơ bộ tháng 3,3 tháng\n"
        'Thu ngân sách,tỷ đồng,"535,3","1.143,7","1.774,1","1.774,1"\n'
        "Giải quyết việc làm,lao động,310,290,305,905\n"
    )
    parsed = parse(text)
    assert parsed.header_line == 2
    result = check(parsed)
    assert figures(result, "source_column", "metric", "month_start", "basis", "value", "is_preliminary") == [
        ("Năm 2024 / Tháng 1", "budget_revenue", date(2024, 1, 1), "month", 535_300_000_000.0, False),
        ("Năm 2024 / Tháng 2", "budget_revenue", date(2024, 2, 1), "month", 1_143_700_000_000.0, False),
        ("Năm 2024 / Sơ bộ tháng 3", "budget_revenue", date(2024, 3, 1), "month", 1_774_100_000_000.0, True),
        ("Lũy kế / 3 tháng", "budget_revenue", date(2024, 3, 1), "ytd", 1_774_100_000_000.0, False),
        ("Năm 2024 / Tháng 1", "jobs_created", date(2024, 1, 1), "month", 310.0, False),
        ("Năm 2024 / Tháng 2", "jobs_created", date(2024, 2, 1), "month", 290.0, False),
        ("Năm 2024 / Sơ bộ tháng 3", "jobs_created", date(2024, 3, 1), "month", 305.0, True),
        ("Lũy kế / 3 tháng", "jobs_created", date(2024, 3, 1), "ytd", 905.0, False),
    ]


@pytest.mark.parametrize(
    ("header", "unit", "value"),
    [("Giá trị (tỷ đồng)", "VND", 1_204_500_000_000.0), ("Giá trị (ĐVT: triệu đồng)", "VND", 1_204_500_000.0),
     ("Số liệu (nghìn đồng)", "VND", 1_204_500.0)],
)
def test_unit_in_the_header(header, unit, value):
    text = f"Quận/huyện;Chỉ tiêu;Tháng;{header}\nTây Hồ;Chi ngân sách;02/2024;1.204,5\n"
    result = check(parse(text))
    assert figures(result, "unit", "value") == [(unit, value)]


def test_row_unit_beats_header_unit():
    text = "Quận/huyện;Chỉ tiêu;Tháng;Giá trị (tỷ đồng);ĐVT\nTây Hồ;Chi ngân sách;02/2024;1.204,5;triệu đồng\n"
    assert figures(check(parse(text)), "value") == [(1_204_500_000.0,)]


def test_a_row_label_ending_in_its_unit_names_the_metric_and_its_unit():
    # The label's own unit beats the header's, and a unit cell beats the label's.
    text = (
        "UBND QUẬN TÂY HỒ\n(ĐVT: triệu đồng)\nChỉ tiêu;Tháng 1/2024;ĐVT\n"
        "1. Thu ngân sách nhà nước (tỷ đồng);1.204,5;\n"
        "2. Cấp giấy phép xây dựng (giấy phép);12;\n"
        "3. Chi ngân sách địa phương;500;\n"
        "4. Tổng mức bán lẻ hàng hóa (tỷ đồng);2.000;triệu đồng\n"
    )
    result = check(parse(text, name="tay_ho.csv"))
    assert figures(result, "metric", "unit", "value") == [
        ("budget_revenue", "VND", 1_204_500_000_000.0),
        ("construction_permits", "count", 12.0),
        ("budget_expenditure", "VND", 500_000_000.0),
        ("retail_sales", "VND", 2_000_000_000.0),
    ]


def test_a_label_qualified_in_parentheses_is_not_read_as_the_plain_metric():
    # '(không kể tiền sử dụng đất)' changes what is counted: not a unit, so the label stays unknown and is reported.
    text = "Quận/huyện;Chỉ tiêu;Tháng;Giá trị\nTây Hồ;Thu ngân sách nhà nước (không kể tiền sử dụng đất);02/2024;100\n"
    result = check(parse(text))
    assert result.rows_loaded == 0 and result.rejected["rule"].to_list() == ["known_metric"]


def test_a_px_web_export_with_its_period_codes():
    # The statistics office's PX-Web: UTF-16 tab-separated, quoted labels, periods as 2024M01, '...' for missing.
    text = (
        '"Chỉ tiêu"\t"Quận/huyện"\t"2024M01"\t"2024M02"\t"2024Q1"\n'
        '"Giải quyết việc làm (người)"\t"Thanh Xuân"\t120\t"..."\t300\n'
    )
    result = check(parse_department_file("px.csv", text.encode("utf-16"), gazetteer=gazetteer(), metrics=metric_catalogue()))
    assert figures(result, "metric", "month_start", "basis", "value", "unit") == [
        ("jobs_created", date(2024, 1, 1), "month", 120.0, "count"),
        ("jobs_created", date(2024, 3, 1), "quarter", 300.0, "count"),
    ]
    assert result.skipped["source_column"].to_list() == ["2024M02"]


def test_a_percent_sign_makes_a_percentage_whatever_the_row_says():
    text = (
        "Quận/huyện;Chỉ tiêu;Tháng;Giá trị;ĐVT\n"
        "Tây Hồ;Tỷ trọng thương mại - dịch vụ;02/2024;85,2 %;\n"
        "Tây Hồ;Thu ngân sách nhà nước;02/2024;12%;tỷ đồng\n"  # a growth rate in a figure's place
    )
    result = check(parse(text))
    assert figures(result, "metric", "unit", "value") == [("trade_services_share", "percent", 85.2)]
    assert result.rejected.select("source_row", "rule").rows() == [(3, "unit_mismatch")]


def test_a_label_merged_down_a_group_of_rows_labels_each_but_a_blank_cell_stays_blank():
    rows = [
        ["Quận/huyện", "Chỉ tiêu", "Tháng 10/2024"],
        ["Tây Hồ", "Thu NSNN (tỷ đồng)", 10],
        [None, "Cấp giấy phép xây dựng", 3],  # under 'Tây Hồ', merged over both rows
        ["Ba Đình", "Thu NSNN (tỷ đồng)", 7],
        [None, "Cấp giấy phép xây dựng", 4],  # blank, not merged: no district
    ]
    result = check(parse(xlsx({"T10": rows}, merged={"T10": [(1, 0, 2, 0, "Tây Hồ")]}), name="t10.xlsx"))
    assert figures(result, "district", "metric", "value") == [
        ("Tây Hồ", "budget_revenue", 10e9), ("Tây Hồ", "construction_permits", 3.0), ("Ba Đình", "budget_revenue", 7e9),
    ]
    assert result.rejected.select("source_row", "rule").rows() == [(5, "missing_district")]


def test_districts_as_rows_with_metric_from_the_title():
    text = (
        "TỔNG MỨC BÁN LẺ HÀNG HÓA VÀ DOANH THU DỊCH VỤ TIÊU DÙNG\n(ĐVT: tỷ đồng)\n"
        "Quận/huyện;T1/2024;T2/2024\nThanh Xuân;1.000;2.050,5\nCầu Giấy;900;..\nToàn thành phố;1.900;2.050,5\n"
    )
    result = check(parse(text))
    assert figures(result, "unit_id", "metric", "month_start", "value") == [
        ("hn-thanh-xuan", "retail_sales", date(2024, 1, 1), 1e12),
        ("hn-thanh-xuan", "retail_sales", date(2024, 2, 1), 2_050_500_000_000.0),
        ("hn-cau-giay", "retail_sales", date(2024, 1, 1), 9e11),
    ]
    assert result.skipped.select("source_row", "rule").rows() == [(6, "total"), (5, "missing_value")]


def test_districts_as_columns_with_period_from_the_title():
    text = "BÁO CÁO THÁNG 02/2024\nChỉ tiêu,Thanh Xuân,Cầu Giấy\nCấp giấy phép xây dựng,12,9\n"
    result = check(parse(text))
    assert figures(result, "unit_id", "metric", "month_start", "value") == [
        ("hn-thanh-xuan", "construction_permits", date(2024, 2, 1), 12.0),
        ("hn-cau-giay", "construction_permits", date(2024, 2, 1), 9.0),
    ]


def test_report_columns_month_and_cumulative_and_plan():
    text = (
        "UBND QUẬN THANH XUÂN\nBÁO CÁO THU CHI NGÂN SÁCH THÁNG 10/2024\n"
        "STT,Chỉ tiêu,ĐVT,Kế hoạch năm 2024,Thực hiện tháng 10,Lũy kế 10 tháng,% so với KH\n"
        '1,Thu NSNN,tỷ đồng,"6.617","520,4","5.606,2","84,72"\n'
    )
    parsed = parse(text)
    result = check(parsed)
    assert figures(result, "source_column", "month_start", "basis", "value", "annual_plan") == [
        ("Thực hiện tháng 10", date(2024, 10, 1), "month", 520_400_000_000.0, 6_617_000_000_000.0),
        ("Lũy kế 10 tháng", date(2024, 10, 1), "ytd", 5_606_200_000_000.0, 6_617_000_000_000.0),
    ]
    assert any("% so với KH" in note for note in parsed.notes)


def test_a_monthly_report_whose_columns_leave_the_month_to_the_title():
    text = (
        "UBND QUẬN CẦU GIẤY\nBÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG 10/2024\n"
        "STT;Chỉ tiêu;ĐVT;Thực hiện tháng;Lũy kế từ đầu năm;Ước thực hiện tháng 11;Kế hoạch năm;% so KH;"
        "Cùng kỳ năm trước;Ước thực hiện cả năm\n"
        "I;Thu ngân sách;;;;;;;;\n"  # a group row: a known label, no unit, no figures
        "1;Thu ngân sách nhà nước trên địa bàn;tỷ đồng;512,3;4.890,1;530;6.617;73,9;4.500;6.700\n"
        "-;Trong đó: thu thuế ngoài quốc doanh;tỷ đồng;200;1.900;;;;;\n"
        "II;Xã hội;;;;;;;;\n"
        "1;Giải quyết việc làm;lao động;350;3.100;;3.600;86,1;2.900;3.700\n"
    )
    parsed = parse(text)
    result = check(parsed)
    assert figures(result, "metric", "source_column", "month_start", "basis", "value", "is_preliminary") == [
        ("budget_revenue", "Thực hiện tháng", date(2024, 10, 1), "month", 512_300_000_000.0, False),
        ("budget_revenue", "Lũy kế từ đầu năm", date(2024, 10, 1), "ytd", 4_890_100_000_000.0, False),
        ("budget_revenue", "Ước thực hiện tháng 11", date(2024, 11, 1), "month", 530_000_000_000.0, True),
        ("jobs_created", "Thực hiện tháng", date(2024, 10, 1), "month", 350.0, False),
        ("jobs_created", "Lũy kế từ đầu năm", date(2024, 10, 1), "ytd", 3100.0, False),
    ]
    assert result.rows_quarantined == 0
    assert sorted(set(result.skipped["rule"])) == ["breakdown", "heading", "missing_value"]
    assert any("Cùng kỳ năm trước" in note and "Ước thực hiện cả năm" in note for note in parsed.notes)


def test_a_period_column_stays_the_period_of_each_row_under_a_titled_month():
    text = "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 10/2024\nChỉ tiêu;Kỳ báo cáo;Giá trị;ĐVT\nThu NSNN;09/2024;5;tỷ đồng\n"
    assert figures(check(parse(text)), "month_start", "value") == [(date(2024, 9, 1), 5e9)]


def test_months_as_rows_take_their_year_from_the_title_and_their_total_row_is_skipped():
    text = (
        "UBND QUẬN HÀ ĐÔNG\nSỐ LIỆU NĂM 2024\n"
        "Tháng;Thu ngân sách nhà nước (tỷ đồng);Cấp giấy phép xây dựng\n"
        "Tháng 1;120,5;12\nTháng 2;250;9\nCộng;370,5;21\n"
    )
    result = check(parse(text))
    assert figures(result, "metric", "month_start", "value") == [
        ("construction_permits", date(2024, 1, 1), 12.0), ("budget_revenue", date(2024, 1, 1), 120_500_000_000.0),
        ("construction_permits", date(2024, 2, 1), 9.0), ("budget_revenue", date(2024, 2, 1), 250_000_000_000.0),
    ]
    assert result.skipped.select("source_row", "rule").rows() == [(6, "total")]


def test_a_header_cell_broken_over_lines_is_one_cell_and_rows_keep_their_line_numbers():
    # Excel writes a cell with a line break (Alt+Enter) as a quoted field spanning lines.
    text = (
        'UBND QUẬN TÂY HỒ\nChỉ tiêu;ĐVT;"Thực hiện\ntháng 9/2024";"Ước thực hiện\ntháng 10/2024"\n'
        "Thu ngân sách nhà nước;tỷ đồng;100;120\nGiải quyết việc làm;người;50;60\n"
    )
    result = check(parse(text))
    assert figures(result, "source_row", "source_column", "month_start", "value", "is_preliminary") == [
        (5, "Thực hiện tháng 9/2024", date(2024, 9, 1), 100e9, False),
        (5, "Ước thực hiện tháng 10/2024", date(2024, 10, 1), 120e9, True),
        (6, "Thực hiện tháng 9/2024", date(2024, 9, 1), 50.0, False),
        (6, "Ước thực hiện tháng 10/2024", date(2024, 10, 1), 60.0, True),
    ]


def test_a_metric_in_the_body_does_not_choose_the_department_its_title_lines_do():
    body = "Chỉ tiêu;ĐVT;Tháng 10/2024\nThu ngân sách nhà nước;tỷ đồng;4.890\nGiải quyết việc làm;người;350\n"
    general = parse("UBND QUẬN CẦU GIẤY\nBÁO CÁO TÌNH HÌNH THÁNG 10/2024\n" + body)
    assert general.mapping is None  # 'Giải quyết việc làm' is one of its figures, not its department
    assert figures(check(general), "metric", "basis") == [("budget_revenue", "ytd"), ("jobs_created", "month")]
    labour = parse("UBND QUẬN CẦU GIẤY\nPHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\n" + body)
    assert labour.department == "lao_dong"


def test_a_form_with_a_formula_in_its_column_numbers_and_the_budget_estimate_as_plan():
    text = (
        "UBND HUYỆN ĐÔNG ANH\nBIỂU SỐ 01: KẾT QUẢ THU NGÂN SÁCH\n(Kèm theo Báo cáo số 123/BC-UBND ngày 05/11/2024)\n"
        "Đơn vị: triệu đồng\n"
        "STT;Nội dung;Dự toán năm 2024;Thực hiện 10 tháng năm 2024;Tỷ lệ % so dự toán\n"
        "A;B;1;2;3=2/1\n"
        "1;Thu ngân sách nhà nước trên địa bàn;3.500.000;2.900.000;82,9\n"
    )
    result = check(parse(text))
    assert figures(result, "metric", "month_start", "basis", "value", "annual_plan") == [
        ("budget_revenue", date(2024, 10, 1), "ytd", 2_900_000_000_000.0, 3_500_000_000_000.0),
    ]
    assert result.skipped.select("source_row", "rule").rows() == [(6, "numbering")]


def test_a_year_s_figure_beside_the_month_s_is_not_read_as_that_month():
    text = (
        "UBND QUẬN THANH XUÂN\nBÁO CÁO THÁNG 10/2024\n"
        "Chỉ tiêu;ĐVT;Thực hiện năm 2023;Thực hiện tháng 10/2024;Lũy kế 10 tháng 2024;Ước thực hiện năm 2024\n"
        "Thu ngân sách nhà nước;tỷ đồng;6.000;520;5.100;6.500\n"
    )
    parsed = parse(text)
    assert figures(check(parsed), "basis", "value") == [("month", 520e9), ("ytd", 5_100e9)]
    assert any("Thực hiện năm 2023" in note and "Ước thực hiện năm 2024" in note for note in parsed.notes)
    # a lone column naming the year is still the title month's figure
    lone = "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 10/2024\nChỉ tiêu;ĐVT;Giá trị năm 2024\nThu ngân sách nhà nước;tỷ đồng;520\n"
    assert figures(check(parse(lone)), "month_start", "value") == [(date(2024, 10, 1), 520e9)]


def test_a_year_column_completes_bare_month_numbers():
    # A database export: the year and the month in columns of their own.
    text = (
        "Năm,Tháng,Quận/huyện,Chỉ tiêu,Giá trị,Đơn vị tính\n"
        '2024,9,Tây Hồ,Thu ngân sách nhà nước,"450,5",tỷ đồng\n'
        '2024,10,Tây Hồ,Thu ngân sách nhà nước,"512,3",tỷ đồng\n'
        '2024,10/2023,Tây Hồ,Cấp giấy phép xây dựng,4,giấy phép\n'  # a period with its own year keeps it
    )
    assert figures(check(parse(text)), "metric", "month_start", "value") == [
        ("budget_revenue", date(2024, 9, 1), 450_500_000_000.0),
        ("budget_revenue", date(2024, 10, 1), 512_300_000_000.0),
        ("construction_permits", date(2023, 10, 1), 4.0),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 'Đơn vị' holding units of measure
        ("UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 10/2024\nChỉ tiêu;Đơn vị;Thực hiện tháng\n"
         "Thu ngân sách nhà nước;tỷ đồng;520\nGiải quyết việc làm;người;35\n",
         [("Tây Hồ", "budget_revenue", 520e9), ("Tây Hồ", "jobs_created", 35.0)]),
        # 'Đơn vị' and 'Tên đơn vị' holding districts
        ("BÁO CÁO THU NGÂN SÁCH THÁNG 10/2024\n(ĐVT: tỷ đồng)\nSTT;Đơn vị;Thu ngân sách nhà nước\n"
         "1;Quận Tây Hồ;520\n2;Quận Ba Đình;610\n",
         [("Tây Hồ", "budget_revenue", 520e9), ("Ba Đình", "budget_revenue", 610e9)]),
        ("BÁO CÁO THU NGÂN SÁCH THÁNG 10/2024\n(ĐVT: tỷ đồng)\nSTT;Tên đơn vị;Thu ngân sách nhà nước\n"
         "1;Quận Tây Hồ;520\n;Tổng cộng;520\n",
         [("Tây Hồ", "budget_revenue", 520e9)]),
    ],
    ids=["don-vi-units", "don-vi-districts", "ten-don-vi"],
)
def test_a_don_vi_column_is_the_unit_or_the_district_by_what_it_holds(text, expected):
    assert figures(check(parse(text)), "district", "metric", "value") == expected


def test_the_signature_block_that_ends_a_report_is_skipped_not_refused():
    text = (
        "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 10/2024\nChỉ tiêu;ĐVT;Thực hiện tháng\n"
        "Thu ngân sách nhà nước;tỷ đồng;520\n;;\n"
        "Người lập biểu;;Thủ trưởng đơn vị\n(Ký, ghi rõ họ tên);;(Ký tên, đóng dấu)\nNguyễn Văn A;;Trần Thị B\n"
        "Nơi nhận:;;\n- Như trên;;\n- Lưu: VT.;;\n"
    )
    result = check(parse(text))
    assert figures(result, "metric", "value") == [("budget_revenue", 520e9)]
    assert result.rows_quarantined == 0
    assert result.skipped.select("source_row", "rule").rows() == [(row, "footer") for row in range(6, 12)]


@pytest.mark.parametrize("title", ["BÁO CÁO NHANH (SƠ BỘ) THÁNG 10/2024", "BÁO CÁO THÁNG 10/2024 (SỐ LIỆU SƠ BỘ)"])
def test_a_preliminary_report_makes_its_month_preliminary_not_the_months_before(title):
    text = f"UBND QUẬN TÂY HỒ\n{title}\nChỉ tiêu;ĐVT;Tháng 9/2024;Tháng 10/2024\nThu ngân sách nhà nước;tỷ đồng;480;520\n"
    assert figures(check(parse(text)), "month_start", "is_preliminary") == [
        (date(2024, 9, 1), False), (date(2024, 10, 1), True),
    ]


def test_quarters_cumulative_when_the_file_says_so():
    text = "UBND QUẬN HOÀNG MAI\nChỉ tiêu,ĐVT,Lũy kế quý I/2024,Lũy kế quý II/2024\nThu NSNN,tỷ đồng,100,250\n"
    assert figures(check(parse(text)), "month_start", "as_of", "basis") == [
        (date(2024, 3, 1), date(2024, 3, 31), "ytd"), (date(2024, 6, 1), date(2024, 6, 30), "ytd"),
    ]


def test_workbook_every_sheet_with_sheet_provenance():
    from datetime import datetime

    content = xlsx(
        {
            "Tài chính": [
                ["UBND QUẬN CẦU GIẤY"],
                ["Chỉ tiêu", "ĐVT", "Năm 2024", None],
                [None, None, "Tháng 1", "Tháng 2"],
                ["Thu ngân sách", "triệu đồng", 764560, 1638928.5],
            ],
            "Đô thị": [
                ["Quận/huyện", "Chỉ tiêu", datetime(2024, 3, 1), "Quý I/2024"],
                ["Cầu Giấy", "Cấp giấy phép xây dựng", 11, 30],
                ["Tổng cộng", "Cấp giấy phép xây dựng", 11, 30],
            ],
            "Ghi chú": [["Số liệu sơ bộ, sẽ điều chỉnh."]],
        },
        merged={"Tài chính": [(1, 2, 1, 3, "Năm 2024")]},
    )
    parsed = parse(content, name="cau_giay.xlsx")
    assert parsed.encoding == "xlsx"
    result = check(parsed)
    assert figures(result, "source_sheet", "source_row", "source_column", "metric", "month_start", "basis", "value") == [
        ("Tài chính", 4, "Năm 2024 / Tháng 1", "budget_revenue", date(2024, 1, 1), "ytd", 764_560_000_000.0),
        ("Tài chính", 4, "Năm 2024 / Tháng 2", "budget_revenue", date(2024, 2, 1), "ytd", 1_638_928_500_000.0),
        # A header Excel typed as a date is read as its month.
        ("Đô thị", 2, "03/2024", "construction_permits", date(2024, 3, 1), "month", 11.0),
        ("Đô thị", 2, "Quý I/2024", "construction_permits", date(2024, 3, 1), "quarter", 30.0),
    ]
    assert result.skipped.select("source_sheet", "source_row", "rule").rows() == [("Đô thị", 3, "total")]
    assert any("cau_giay.xlsx#Ghi chú" in note for note in parsed.notes)


def test_each_sheet_reads_periods_with_its_own_title_year():
    content = xlsx({
        "2023": [["UBND QUẬN TÂY HỒ"], ["BÁO CÁO THÁNG 12/2023"], ["Chỉ tiêu", "Tháng", "Giá trị"], ["GPXD", "Tháng 12", 5]],
        "2024": [["UBND QUẬN TÂY HỒ"], ["BÁO CÁO THÁNG 03/2024"], ["Chỉ tiêu", "Tháng", "Giá trị"], ["GPXD", "Tháng 3", 6]],
    })
    parsed = parse(content, name="tay_ho.xlsx")
    assert figures(check(parsed), "source_sheet", "month_start", "value") == [
        ("2023", date(2023, 12, 1), 5.0), ("2024", date(2024, 3, 1), 6.0),
    ]
    # The sheets' titles disagree on the period: the file's report period is its latest month.
    assert (parsed.title_unit_id, parsed.report_period) == ("hn-tay-ho", date(2024, 3, 1))


def test_a_blank_cell_is_not_filled_from_the_title():
    text = "UBND QUẬN TÂY HỒ\nBÁO CÁO THU NGÂN SÁCH THÁNG 10/2024\nQuận/huyện;Chỉ tiêu;Tháng;Giá trị;ĐVT\n;;10/2024;5;tỷ đồng\nTây Hồ;Thu NSNN;;6;tỷ đồng\n"
    result = check(parse(text))
    assert sorted(result.rejected.select("source_row", "rule").rows()) == [
        (4, "missing_district"), (4, "missing_metric"), (5, "period_format"),
    ]


def test_metric_named_by_a_title_line_for_districts_as_rows():
    text = "BÁO CÁO THU NGÂN SÁCH THÁNG 10/2024\n(ĐVT: tỷ đồng)\nQuận/huyện;Tháng 10/2024\nTây Hồ;5.606,1\n"
    assert figures(check(parse(text)), "unit_id", "metric", "value") == [("hn-tay-ho", "budget_revenue", 5_606_100_000_000.0)]


NOTED = (
    "UBND QUẬN TÂY HỒ\nBÁO CÁO THÁNG 10/2024\n"
    "Chỉ tiêu,Đơn vị tính,Tháng 9/2024,Tháng 10/2024,Ghi chú\n"
    'Thu ngân sách nhà nước,tỷ đồng,"1.204,5","1.350,2",Số liệu tháng 10 là sơ bộ\n'
    "Cấp giấy phép xây dựng,giấy phép,12,15,Sơ bộ\n"
    "Doanh nghiệp thành lập mới,doanh nghiệp,30,31,Không phải số liệu sơ bộ\n"
    "Giải quyết việc làm,lao động,200,210,\"Tháng 9 chính thức, tháng 10 sơ bộ\"\n"
    "Xử lý vi phạm trật tự xây dựng,vụ,4,5,Đã đối chiếu với phòng Quản lý đô thị\n"
)


def test_a_note_saying_preliminary_flags_the_month_it_names_or_its_whole_row():
    parsed = parse(NOTED, name="tay_ho_ghi_chu.csv")
    result = check(parsed)
    flagged = {(metric, start.month) for metric, start, preliminary in figures(result, "metric", "month_start", "is_preliminary")
               if preliminary}
    assert flagged == {
        ("budget_revenue", 10),  # 'Số liệu tháng 10 là sơ bộ': that month only
        ("construction_permits", 9), ("construction_permits", 10),  # 'Sơ bộ': the whole row
        ("jobs_created", 10),  # 'tháng 9 chính thức, tháng 10 sơ bộ': the month named before 'sơ bộ'
    }  # 'Không phải số liệu sơ bộ' and any other note flag nothing
    assert (result.rows_in, result.rows_loaded) == (10, 10)
    assert any("Ghi chú read only for 'sơ bộ'" in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("Số liệu sơ bộ", (True, None, None)),
        ("số liệu tháng 10/2024 là sơ bộ", (True, 10, 2024)),
        ("Sơ bộ cho tháng 3", (True, 3, None)),
        ("Chưa phải số liệu sơ bộ", None),
        ("Số liệu chính thức", None),
        ("Tháng 10 ước thực hiện", None),  # an estimate column is read from its header, not from a note
    ],
)
def test_what_a_note_says(note, said):
    from sources.departments.parse import note_says

    facts = note_says(note)
    assert (facts.preliminary, facts.month, facts.year) == said if said else facts is None
