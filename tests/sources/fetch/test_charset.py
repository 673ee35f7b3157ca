import codecs
import unicodedata

import pytest

from sources.fetch.charset import decode_body, document_charset, header_charset, media_type
from tests.support.vietnamese import to_cp1258

BUDGET = "Thu ngân sách quận đạt 1.204,5 tỷ đồng, bằng 118,5% so với cùng kỳ năm 2023."
DISBURSEMENT = "Đến ngày 31-10-2024, giải ngân vốn đầu tư công đạt hơn 451 tỷ đồng, đạt 64,54% kế hoạch."
TITLE = "Ủy ban nhân dân quận Thanh Xuân"


def page(text: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}<title>Tin tức</title></head><body><p>{text}</p></body></html>"


META_1258 = '<meta charset="windows-1258">'
HTTP_EQUIV_1258 = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
FEED_1258 = f'<?xml version="1.0" encoding="windows-1258"?><rss version="2.0"><channel><title>{TITLE}</title></channel></rss>'


@pytest.mark.parametrize(
    ("body", "content_type", "expected", "encoding", "source"),
    [
        pytest.param(page(BUDGET).encode(), "text/html; charset=utf-8", page(BUDGET), "utf-8", "header", id="utf8-declared"),
        pytest.param(to_cp1258(page(BUDGET)), "text/html; charset=windows-1258", page(BUDGET), "cp1258", "header",
                     id="cp1258-declared"),
        pytest.param(to_cp1258(page(DISBURSEMENT, META_1258)), "text/html", page(DISBURSEMENT, META_1258), "cp1258",
                     "meta", id="cp1258-meta-charset"),
        pytest.param(to_cp1258(page(TITLE, HTTP_EQUIV_1258)), None, page(TITLE, HTTP_EQUIV_1258), "cp1258", "meta",
                     id="cp1258-http-equiv"),
        pytest.param(to_cp1258(FEED_1258), "application/rss+xml", FEED_1258, "cp1258", "meta", id="cp1258-xml-declaration"),
        pytest.param(page(BUDGET).encode(), "text/html; charset=iso-8859-1", page(BUDGET), "utf-8", "detected",
                     id="utf8-declared-latin1"),
        pytest.param(to_cp1258(page(DISBURSEMENT)), "text/html; charset=iso-8859-1", page(DISBURSEMENT), "cp1258",
                     "detected", id="cp1258-declared-latin1"),
        pytest.param(to_cp1258(page(TITLE)), "text/html; charset=windows-1252", page(TITLE), "cp1258", "detected",
                     id="cp1258-declared-cp1252"),
        pytest.param(to_cp1258(page(BUDGET)), "text/html; charset=utf-8", page(BUDGET), "cp1258", "detected",
                     id="cp1258-declared-utf8"),
        pytest.param(page(DISBURSEMENT, META_1258).encode(), "text/html; charset=windows-1258",
                     page(DISBURSEMENT, META_1258), "utf-8", "detected", id="utf8-declared-cp1258-twice"),
        pytest.param(page(BUDGET).encode(), "text/html", page(BUDGET), "utf-8", "detected", id="utf8-undeclared"),
        pytest.param(to_cp1258(page(DISBURSEMENT)), "text/html", page(DISBURSEMENT), "cp1258", "detected",
                     id="cp1258-undeclared"),
        pytest.param(page(BUDGET).encode(), "text/html; charset=x-no-such-charset", page(BUDGET), "utf-8", "detected",
                     id="unknown-charset-label"),
        pytest.param(codecs.BOM_UTF8 + page(BUDGET).encode(), "text/html; charset=windows-1258", page(BUDGET), "utf-8",
                     "bom", id="utf8-bom-beats-header"),
        pytest.param(codecs.BOM_UTF16_LE + page(TITLE).encode("utf-16-le"), None, page(TITLE), "utf-16-le", "bom",
                     id="utf16-bom"),
        pytest.param(unicodedata.normalize("NFD", page(BUDGET)).encode(), "text/html; charset=utf-8", page(BUDGET),
                     "utf-8", "header", id="nfd-utf8-comes-out-nfc"),
        pytest.param(b"<html><body>plain ascii</body></html>", "text/html; charset=windows-1258",
                     "<html><body>plain ascii</body></html>", "cp1258", "header", id="ascii-keeps-declared"),
    ],
)
def test_decode_body(body, content_type, expected, encoding, source):
    decoded = decode_body(body, content_type)
    assert (decoded.text, decoded.encoding, decoded.source) == (expected, encoding, source)


def test_broken_utf8_falls_back_with_one_replacement():
    body = page(BUDGET).encode()
    broken = body[:60] + b"\xff" + body[60:]
    decoded = decode_body(broken, "text/html; charset=utf-8")
    assert (decoded.encoding, decoded.source) == ("utf-8", "fallback")
    assert decoded.text.replace("\ufffd", "", 1) == page(BUDGET)


def test_cp1258_bytes_really_carry_combining_tone_marks():
    # Guards the fixture: without combining marks the cp1258 cases above would test nothing NFC-specific.
    assert b"\xf2" in to_cp1258("đạt") and to_cp1258("đạt").decode("cp1258") != "đạt"


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [("Text/HTML; charset=UTF-8", "text/html"), ("application/rss+xml", "application/rss+xml"), ("", None), (None, None)],
)
def test_media_type(content_type, expected):
    assert media_type(content_type) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ('text/html; charset="windows-1258"', "windows-1258"),
        ("text/html;CHARSET=utf-8;q=1", "utf-8"),
        ("text/html", None),
        ("text/html; charset=", None),
        (None, None),
    ],
)
def test_header_charset(content_type, expected):
    assert header_charset(content_type) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'<html><head><meta charset="windows-1258">', "windows-1258"),
        (b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=utf-8'>", "utf-8"),
        (b"<?xml version='1.0' encoding='UTF-8'?><rss/>", "UTF-8"),
        (b"<html><head><title>no declaration</title>", None),
        (b" " * 5000 + b'<meta charset="windows-1258">', None),
    ],
)
def test_document_charset(body, expected):
    assert document_charset(body) == expected
