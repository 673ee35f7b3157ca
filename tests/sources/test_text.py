import unicodedata

import pytest

from sources.text import (
    fold, lower_in_place, normalize, normalize_with_offsets, slug, strip_diacritics, traditional_tones,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (unicodedata.normalize("NFD", "Thanh Xuân"), "Thanh Xuân"),  # decomposed input
        ("Тhu ngân sách", "Thu ngân sách"),  # Cyrillic Т
        ("quận\u00a0Đống Đa", "quận Đống Đa"),  # no-break space
        ("tăng\u200b 8,6%", "tăng 8,6%"),  # zero-width space
        ("Ðống Đa", "Đống Đa"),  # Icelandic eth
        ("2024\u20132025", "2024-2025"),  # en dash
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thanh Xuân", "Thanh Xuan"),
        ("Đống Đa", "Dong Da"),
        ("Ứng Hòa", "Ung Hoa"),
        ("Hoài Đức", "Hoai Duc"),
        (unicodedata.normalize("NFD", "Bắc Từ Liêm"), "Bac Tu Liem"),
    ],
)
def test_strip_diacritics(raw, expected):
    assert strip_diacritics(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" Q.  Thanh Xuân ", "q. thanh xuan"), ("QUẬN TÂY HỒ", "quan tay ho"), ("Đơn vị tính", "don vi tinh")],
)
def test_fold(raw, expected):
    assert fold(raw) == expected


def test_slug():
    assert slug("Đơn vị tính (ĐVT)") == "don_vi_tinh_dvt"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Тhu\u00a0ngân sách", "Thu ngân sách"),  # Cyrillic Т, no-break space
        ("ᴛɾіệᴜ ᵭồɴɢ", "triệu đồng"),  # small capitals, hooks, middle tilde
        ("ɢіá ᴛɾị ᵴảɴ xuất", "giá trị sản xuất"),
        ("ƙіɴɦ tế, tɦủγ ᵴảɴ, ƅáo cáo", "kinh tế, thủy sản, báo cáo"),
        ("１２３ ＡＢＣ", "123 ABC"),  # full-width forms
        (unicodedata.normalize("NFD", "Hoàng Mai"), "Hoàng Mai"),
        ("thương mại – dịch vụ", "thương mại - dịch vụ"),
    ],
)
def test_normalize_scraped_lookalikes(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "Thu ngân sách đạt 5.606 tỷ đồng",
        unicodedata.normalize("NFD", "Thu ngân sách đạt 5.606 tỷ đồng"),
        "Thu\u200b ngân sách ᵭạt 5.606 ᴛỷ ᵭồɴɢ",
        "Тhu ngân sách đạt 5.606 tỷ đồng",
    ],
)
def test_offsets_map_normalised_spans_back_to_the_original(raw):
    normal, origin = normalize_with_offsets(raw)
    start = normal.index("ngân sách")
    end = start + len("ngân sách")
    mapped = raw[origin[start]:origin[end]] if origin else raw[start:end]
    assert normalize(mapped).replace("\u200b", "") == "ngân sách"
    assert normal == normalize(raw)


def test_offsets_are_identity_when_characters_map_one_to_one():
    assert normalize_with_offsets("“Thu” – 5 tỷ") == ('"Thu" - 5 tỷ', None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hàng hoá", "hàng hóa"),
        ("thuỷ sản", "thủy sản"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("HOÁ, Hoá", "HÓA, Hóa"),
        ("quý I, hoàn thành, dự toán", "quý I, hoàn thành, dự toán"),  # qu+ý and closed syllables stay
    ],
)
def test_traditional_tones(raw, expected):
    assert traditional_tones(raw) == expected
    assert len(traditional_tones(raw)) == len(raw)


def test_lower_in_place_keeps_length():
    assert lower_in_place("THU NSNN Đạt") == "thu nsnn đạt"
    assert len(lower_in_place("İstanbul")) == len("İstanbul")
