"""Reading bytes into tables: encodings, delimiters, workbooks, and files that cannot be read at all."""

import pytest

from sources.departments import UnreadableFile
from sources.departments.columns import number_expr
from sources.departments.headers import header_levels, split_unit
from sources.departments import reading
from sources.departments.reading import decode, sniff_delimiter
from sources.departments.rows import is_column_code, is_signature, label_kind, strip_numbering
from sources.numbers import NumberFormatError, parse_number
from tests.support.departments import cp1258, parse, xlsx


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Tây Hồ".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "Tây Hồ".encode(), "utf-8-sig"),
        ("Tây Hồ".encode("utf-16"), "utf-16"),
        ("Tây Hồ".encode("utf-16-le"), "utf-16-le"),
        (cp1258("Tây Hồ"), "cp1258"),
    ],
)
def test_decode_sniffs_the_encoding_and_gives_nfc(content, encoding):
    text, found = decode("f.csv", content)
    assert found == encoding
    assert (text if text is not None else content.removeprefix(b"\xef\xbb\xbf").decode()) == "Tây Hồ"


@pytest.mark.parametrize(
    ("lines", "delimiter"),
    [
        (["UBND QUẬN TÂY HỒ", "Chỉ tiêu;Tháng 1/2024;Tháng 2/2024", "Thu NSNN;1.204,5;2.000,1"], ";"),
        (["Chỉ tiêu\tT1/2024", "Thu NSNN\t1,5"], "\t"),
        (["Chỉ tiêu,T1/2024,T2/2024", 'Thu NSNN,"1,5","2,5"'], ","),
    ],
)
def test_sniff_delimiter_ignores_title_lines_and_decimal_commas(lines, delimiter):
    assert sniff_delimiter(lines) == delimiter


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.204,5", 1204.5), ("5.606", 5606.0), ("84,72", 84.72), ("1,151,248", 1151248.0), ("1,204.5", 1204.5),
     ("3.5", 3.5), (" 1 204,5 ", 1204.5), ("\u22123", -3.0), ("08", 8.0), ("12.45,6", None), ("1,2,3", None),
     ("abc", None), ("..", None), ("", None)],
)
def test_number_expr_reads_exactly_what_parse_number_reads(raw, expected):
    import polars as pl

    got = pl.DataFrame({"v": [raw]}).select(number_expr("v")).item()
    assert got == expected
    try:
        assert float(parse_number(raw)) == expected
    except NumberFormatError:
        assert expected is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Giá trị (ĐVT: tỷ đồng)", ("Giá trị", "tỷ đồng")), ("Thu NSNN (triệu đồng)", ("Thu NSNN", "triệu đồng")),
     ("Tỷ lệ (%)", ("Tỷ lệ", "%")), ("Ghi chú (nếu có)", ("Ghi chú (nếu có)", None))],
)
def test_split_unit(label, expected):
    assert split_unit(label) == expected


def test_header_levels_carry_a_merged_top_cell_right():
    assert header_levels([["Chỉ tiêu", "Năm 2024", "", ""], ["", "Tháng 1", "Tháng 2", ""]]) == [
        ["Chỉ tiêu"], ["Năm 2024", "Tháng 1"], ["Năm 2024", "Tháng 2"], [],
    ]


@pytest.mark.parametrize(
    ("label", "bare", "kind"),
    [("I. Thu ngân sách", "Thu ngân sách", None), ("1.2. Chi thường xuyên", "Chi thường xuyên", None),
     ("a) Giải ngân", "Giải ngân", None), ("- Trong đó: thuế", "Trong đó: thuế", "breakdown"),
     ("Tổng cộng", "Tổng cộng", "total"), ("Tổng mức bán lẻ hàng hóa", "Tổng mức bán lẻ hàng hóa", None)],
)
def test_row_labels(label, bare, kind):
    assert (strip_numbering(label), label_kind(label)) == (bare, kind)


@pytest.mark.parametrize(
    ("cell", "code"),
    [("A", True), ("(1)", True), ("12", True), ("3=2/1", True), ("(5)=(4)/(3)", True), ("6 = 4 - 2", True),
     ("7=5/3*100%", True), ("Thu NSNN", False), ("1.204,5", False), ("2024", False)],
)
def test_column_codes_of_a_numbering_row(cell, code):
    assert is_column_code(cell) is code


@pytest.mark.parametrize(
    ("cell", "signature"),
    [("Người lập biểu", True), ("(Ký, ghi rõ họ tên)", True), ("KT. CHỦ TỊCH", True), ("Nơi nhận:", True),
     ("Thủ trưởng đơn vị", True), ("Thu ngân sách nhà nước", False), ("Tây Hồ", False), (None, False)],
)
def test_signature_cells(cell, signature):
    assert is_signature(cell) is signature


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        ("Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,02/2024,9\n".encode() + b"\xc3(\n", "broken.csv",
         r"broken\.csv: broken UTF-8 at byte \d+; re-save the file as UTF-8"),
        (b"\x81\x8d\x8f\x90", "binary.csv", r"binary\.csv: not text in UTF-8, UTF-16 or Windows-1258"),
        (b"", "empty.csv", r"empty\.csv: no header row .* \(first row: \(empty file\)\)"),
        (b"PK\x03\x04 not really a zip", "fake.xlsx", r"fake\.xlsx: not a readable workbook"),
        # a quote opened and never closed swallows the rest of the file: refused whole, with the line it opened on
        ("Quận/huyện,Chỉ tiêu,Tháng,Giá trị\nTây Hồ,GPXD,01/2024,7\nTây Hồ,GPXD,02/2024,\"9\nTây Hồ,GPXD,03/2024,\"8\"\n"
         .encode(), "quotes.csv", r"quotes\.csv: line 3: a quoted cell is not closed, .* \('\"9'\); fix the quotes"),
        (cp1258("Quận/huyện;Chỉ tiêu;Tháng;Giá trị\nTây Hồ;GPXD;01/2024;\"7\nTây Hồ;GPXD;02/2024;\"9\"\n"), "q1258.csv",
         r"q1258\.csv: line 2: a quoted cell is not closed"),
        (xlsx({"Ghi chú": [["Không có số liệu"]], "Trống": [[]]}), "notes.xlsx", r"notes\.xlsx#Ghi chú: no header row"),
        (xlsx({"A": [["Không có số liệu"]], "B": [["Ghi chú"]]}), "two.xlsx",
         r"two\.xlsx: no sheet has a header row we can read \(two\.xlsx#A: no header row .*two\.xlsx#B: no header row"),
    ],
)
def test_unreadable_files_name_the_file_and_the_reason(content, name, reason):
    with pytest.raises(UnreadableFile, match=reason):
        parse(content, name=name)


@pytest.mark.parametrize("piece", [5, 7, 64, 1 << 24])
def test_a_broken_byte_is_named_exactly_wherever_the_checked_pieces_end(monkeypatch, piece):
    monkeypatch.setattr(reading, "UTF8_PIECE", piece)
    text = "Quận/huyện;Giá trị\nTây Hồ;1.204,5 tỷ đồng\n".encode() * 10
    assert decode("ok.csv", text) == (None, "utf-8")
    for at in (0, 1, 2, 41, len(text) - 1, len(text)):
        assert reading._utf8_error(memoryview(text[:at] + b"\xc3(" + text[at:])) == at
        with pytest.raises(UnreadableFile, match=f"broken UTF-8 at byte {at};"):  # in the head or in the body
            parse(text[:at] + b"\xc3(" + text[at:], name="broken.csv")


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_large_file_is_told_utf8_by_its_head_and_a_broken_byte_further_on_is_still_named(monkeypatch, bom):
    monkeypatch.setattr(reading, "UTF8_PIECE", 64)  # a 'large' file: more than one piece
    text = "Quận/huyện;Chỉ tiêu;Tháng;Giá trị\n".encode() + "Tây Hồ;GPXD;01/2024;7\n".encode() * 20
    assert decode("ok.csv", bom + text)[1] == ("utf-8-sig" if bom else "utf-8")
    assert parse(bom + text, name="ok.csv").frame.height == 20
    at = len(text) - 5  # in the body, far beyond the head
    with pytest.raises(UnreadableFile, match=f"broken.csv: broken UTF-8 at byte {at + len(bom)};"):
        parse(bom + text[:at] + b"\xc3(" + text[at:], name="broken.csv")


def test_a_large_windows_1258_file_is_not_taken_for_utf8_by_an_ascii_head(monkeypatch):
    monkeypatch.setattr(reading, "UTF8_PIECE", 64)
    text = "Quan/huyen;Chi tieu;Thang;Gia tri\n" + "Tay Ho;GPXD;01/2024;7\n" * 5 + "Tây Hồ;GPXD;02/2024;9\n"
    assert decode("old.csv", cp1258(text))[1] == "cp1258"
