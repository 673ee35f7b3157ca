"""Encode our own Vietnamese sentences the way legacy Windows-1258 pages store them."""

from __future__ import annotations

import unicodedata

# Windows-1258 has the vowels â ê ô ă ơ ư and đ precomposed but writes most tone marks as combining characters.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Encode text as Windows does: a letter the code page lacks becomes base letter + tone mark: 'ạ' -> b'a\\xf2'."""
    encoded = bytearray()
    for letter in unicodedata.normalize("NFC", text):
        try:
            encoded += letter.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", letter)
            base = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in _TONE_MARKS))
            encoded += (base + "".join(mark for mark in parts if mark in _TONE_MARKS)).encode("cp1258")
    return bytes(encoded)
