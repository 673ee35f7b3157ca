import pytest

from sources.news.document import Scan, split_header, split_sentences


@pytest.mark.parametrize(
    ("text", "header", "body"),
    [
        ("URL: https://x.vn/a.html\nTITLE: Quận A thu ngân sách\n\nThu ngân sách đạt 5 tỷ.",
         {"url": "https://x.vn/a.html", "title": "Quận A thu ngân sách"}, "Thu ngân sách đạt 5 tỷ."),
        ("TITLE: Tin\r\n\r\nThân bài", {"title": "Tin"}, "Thân bài"),
        ("Thu ngân sách đạt 5 tỷ.\nURL: x", {}, "Thu ngân sách đạt 5 tỷ.\nURL: x"),
        ("URL: x\nThân bài liền sau", {}, "URL: x\nThân bài liền sau"),  # no blank line: not a header
    ],
)
def test_split_header(text, header, body):
    assert split_header(text) == (header, body)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Thu đạt 5.606 tỷ đồng. Chi đạt 1.204,5 tỷ đồng.", ["Thu đạt 5.606 tỷ đồng.", "Chi đạt 1.204,5 tỷ đồng."]),
        ("bằng 105% kế hoạch.Cùng với đó, quận", ["bằng 105% kế hoạch.", "Cùng với đó, quận"]),  # no space after '.'
        ("năm ngoái. 7 tháng qua, tổng thu", ["năm ngoái.", "7 tháng qua, tổng thu"]),
        ("Theo TP. Hồ Chí Minh và TP.HCM, T.Ư đạt 110%.", ["Theo TP. Hồ Chí Minh và TP.HCM, T.Ư đạt 110%."]),
        ("Ông Nguyễn V. A cho biết.\nĐoạn hai!", ["Ông Nguyễn V. A cho biết.", "Đoạn hai!"]),
    ],
)
def test_split_sentences(text, sentences):
    assert [text[s.start:s.end] for s in split_sentences(text)] == sentences


def test_paragraphs_and_clauses():
    text = "Thu đạt 5 tỷ; chi đạt 1 tỷ.\n\nCấp 68 giấy phép."
    first, second = split_sentences(text)
    assert (first.paragraph, second.paragraph) == (0, 1)
    assert [text[start:end].strip() for start, end in first.clauses] == ["Thu đạt 5 tỷ", "chi đạt 1 tỷ."]


def test_a_list_continues_the_paragraph_that_opens_it():
    text = "Quận họp.\nKết quả 11 tháng như sau:\n- Thu đạt 5 tỷ.\n+ Chi đạt 1 tỷ\n1. Cấp 68 giấy phép.\nĐoạn mới.\n- Mục lẻ"
    sentences = split_sentences(text)
    assert [(text[s.start:s.end], s.paragraph) for s in sentences] == [
        ("Quận họp.", 0), ("Kết quả 11 tháng như sau:", 1), ("- Thu đạt 5 tỷ.", 1), ("+ Chi đạt 1 tỷ", 1),
        ("1. Cấp 68 giấy phép.", 1), ("Đoạn mới.", 2), ("- Mục lẻ", 3)]  # a dash line without a lead is its own
    lead = (sentences[1].start, sentences[1].end)
    assert [s.list_lead for s in sentences] == [None, None, lead, lead, lead, None, None]


def test_scan_runs_a_pattern_only_in_sentences_with_its_keyword():
    import re

    text = "thu ngân sách đạt 5 tỷ. chi thường xuyên đạt 6 tỷ."
    scan = Scan.of(text, split_sentences(text))
    assert [m.group() for m in scan.finditer(re.compile(r"\d tỷ"), ("ngân sách",))] == ["5 tỷ"]
