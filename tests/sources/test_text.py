import unicodedata

import pytest

from sources.text import fold, normalize, slug, strip_diacritics


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
