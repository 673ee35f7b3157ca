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

_DECORATED_LETTER = re.compile(
    r"LATIN (?:(SMALL|CAPITAL) LETTER ([A-Z]) WITH (?:HOOK|FISHHOOK|MIDDLE TILDE|TAIL|RETROFLEX HOOK|PALATAL HOOK"
    r"|HOOK AND TAIL|CURL)|LETTER (SMALL) CAPITAL ([A-Z]))"
)


def _decorated_letters() -> dict[int, str]:
    """Map the hooked, tilded and small-capital Latin letters that obfuscated copies use ('ᴛɾіệᴜ ᵭồɴɢ')."""
    table = {}
    for code in [*range(0x0180, 0x02B0), *range(0x1D00, 0x1DC0)]:
        match = _DECORATED_LETTER.fullmatch(unicodedata.name(chr(code), ""))
        if match:
            case, letter = (match.group(1), match.group(2)) if match.group(2) else (match.group(3), match.group(4))
            table[code] = letter if case == "CAPITAL" else letter.lower()
    table[0x1D6D] = "đ"  # d with middle tilde stands for đ, not d
    fullwidth = {0xFF10 + i: str(i) for i in range(10)}
    fullwidth |= {0xFF21 + i: chr(0x41 + i) for i in range(26)} | {0xFF41 + i: chr(0x61 + i) for i in range(26)}
    extra = {"ƅ": "b", "ɑ": "a", "ɡ": "g", "ı": "i", "ȷ": "j", "ɩ": "i", "ѵ": "v", "Ѵ": "V", "γ": "y"}
    return table | fullwidth | {ord(key): value for key, value in extra.items()}


_LOOKALIKES.update(_decorated_letters())

_SPACES = re.compile(r"[ \t]+")
# A base character with the combining marks that follow it: the unit NFC composes.
_CLUSTER = re.compile(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.DOTALL)
# Tone on the second vowel of an open oa/oe/uy syllable ('hoá', 'thuỷ'); 'quý' is qu + ý and stays.
_NEW_STYLE_TONE = re.compile(r"(?<![qQ])([oO][áàảãạÁÀẢÃẠéèẻẽẹÉÈẺẼẸ]|[uU][ýỳỷỹỵÝỲỶỸỴ])(?![^\W\d_])")
_TONE_MOVES = {
    **{f"o{toned}": f"{base}{plain}" for plain, tones, bases in (("a", "áàảãạ", "óòỏõọ"), ("e", "éèẻẽẹ", "óòỏõọ"))
       for toned, base in zip(tones, bases)},
    **{f"u{toned}": f"{base}y" for toned, base in zip("ýỳỷỹỵ", "úùủũụ")},
}


def normalize(text: str) -> str:
    """Return NFC text with look-alike letters, odd spaces and dashes replaced: 'Тhu\u00a0ngân' -> 'Thu ngân'."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).translate(_LOOKALIKES))


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalise and map each normalised index back to the original: 'Thu\u0300 x' -> ('Thù x', [0, 1, 2, 4, 5, 6]).

    The map has one entry per normalised character plus one for the end. It is None when every character
    maps to one character (already NFC, look-alikes swapped in place): the common case costs one translate.
    """
    translated = text.translate(_LOOKALIKES)
    normal_already = unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", translated)
    if len(translated) == len(text) and normal_already:
        return translated, None  # one character for one: offsets are unchanged
    pieces: list[str] = []
    origin: list[int] = []
    for cluster in _CLUSTER.finditer(text):
        piece = cluster.group()
        if len(piece) > 1 or ord(piece) in _LOOKALIKES:
            piece = normalize(piece)
        pieces.append(piece)
        origin.extend([cluster.start()] * len(piece))
    origin.append(len(text))
    return "".join(pieces), origin


def lower_in_place(text: str) -> str:
    """Lower-case keeping every character at its index, so offsets hold: 'THU NSNN' -> 'thu nsnn' ('İ' stays)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower() if len(char.lower()) == 1 else char for char in text)


def traditional_tones(text: str) -> str:
    """Move tone marks of open oa/oe/uy syllables to the first vowel, keeping length: 'hoá, thuỷ' -> 'hóa, thủy'."""
    return _NEW_STYLE_TONE.sub(_move_tone, text)


def _move_tone(match: re.Match) -> str:
    pair = match.group()
    moved = _TONE_MOVES[pair.lower()]
    return moved.upper() if pair.isupper() else (moved[0].upper() + moved[1] if pair[0].isupper() else moved)


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
