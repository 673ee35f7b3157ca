"""Decode fetched bytes to NFC text, trusting a declared charset only when the bytes agree with it."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

import charset_normalizer

# The domain's pages are UTF-8 or Windows-1258. Unrestricted detection labels short Vietnamese
# texts cp1250 or cp1252, so detection only chooses among these.
DETECTION_CANDIDATES = ("utf_8", "cp1258")

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# A document declares its charset near the top: HTML5 meta, http-equiv meta, or the XML declaration.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+?encoding\s*=\s*["']([\w.:-]+)["']""")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the codec used and how it was chosen (bom, header, meta, detected, fallback)."""

    text: str
    encoding: str
    source: str


def media_type(content_type: str | None) -> str | None:
    """Return the bare media type of a Content-Type value: 'Text/HTML; charset=UTF-8' -> 'text/html'."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def header_charset(content_type: str | None) -> str | None:
    """Return the charset parameter of a Content-Type value: 'text/html; charset="utf-8"' -> 'utf-8'."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def document_charset(body: bytes) -> str | None:
    """Return the charset a document declares in its first bytes: b'<meta charset="windows-1258">' -> 'windows-1258'."""
    head = body[:_PRESCAN_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def decode_body(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page by BOM, else header charset, else document charset, else detection: cp1258 bytes -> 'ngân sách'."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _decoded(body[len(bom):].decode(codec, errors="replace"), codec, "bom")
    declared = ((header_charset(content_type), "header"), (document_charset(body), "meta"))
    for label, source in declared:
        codec = _codec(label)
        text = _strict(body, codec) if codec else None
        if text is not None and not _misread(body, codec, text):
            return _decoded(text, codec, source)
    guess = _guess(body, DETECTION_CANDIDATES)
    if guess is not None:
        return _decoded(body.decode(guess), guess, "detected")
    return _decoded(body.decode("utf-8", errors="replace"), "utf-8", "fallback")


def _decoded(text: str, codec: str, source: str) -> Decoded:
    # Windows-1258 writes tone marks as combining characters; NFC makes 'a' + U+0323 the single letter 'ạ'.
    return Decoded(unicodedata.normalize("NFC", text), codec, source)


def _codec(label: str | None) -> str | None:
    """Return Python's codec name for a charset label, None when unknown: 'Windows-1258' -> 'cp1258'."""
    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


def _strict(body: bytes, codec: str) -> str | None:
    """Decode without replacement; None when the bytes are not valid in that codec."""
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _misread(body: bytes, codec: str, text: str) -> bool:
    """Tell whether a declared codec yields mojibake: another candidate reads the same bytes more cleanly."""
    if codec == "utf-8":
        # Legacy single-byte text is practically never valid UTF-8, so a strict UTF-8 decode is proof enough.
        return False
    guess = _guess(body, (codec, *DETECTION_CANDIDATES))
    return guess is not None and body.decode(guess) != text


def _guess(body: bytes, candidates: tuple[str, ...]) -> str | None:
    """Return charset-normalizer's cleanest reading among the candidate codecs, None when all are noisy."""
    best = charset_normalizer.from_bytes(body, cp_isolation=list(candidates)).best()
    return _codec(best.encoding) if best else None
