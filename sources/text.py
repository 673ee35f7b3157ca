"""Normalise Vietnamese text before matching: Unicode form, look-alike letters, spaces, diacritics."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that render like Latin ones; scraped and copy-pasted texts carry them.
_LOOKALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
        "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
        "ο": "o", "ν": "v",
        "Ð": "Đ",  # Icelandic eth looks like Vietnamese Đ
        "ð": "đ",
        "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ",
        "\u2002": " ", "\u2003": " ", "\u3000": " ",
        "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None, "\u00ad": None,
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    }
)

_SPACES = re.compile(r"[ \t]+")


def normalize(text: str) -> str:
    """Return NFC text with look-alike letters, odd spaces and dashes replaced: 'Тhu\u00a0ngân' -> 'Thu ngân'."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_LOOKALIKES))


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks, keeping case: 'Thanh Xuân, Đống Đa' -> 'Thanh Xuan, Dong Da'."""
    decomposed = unicodedata.normalize("NFD", normalize(text))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("Đ", "D").replace("đ", "d")


def fold(text: str) -> str:
    """Return a matching key: no diacritics, lower case, single spaces: ' Q.  Thanh Xuân ' -> 'q. thanh xuan'."""
    return _SPACES.sub(" ", strip_diacritics(text).lower()).strip()


def slug(text: str) -> str:
    """Return an identifier-safe key: 'Đơn vị tính (ĐVT)' -> 'don_vi_tinh_dvt'."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")
