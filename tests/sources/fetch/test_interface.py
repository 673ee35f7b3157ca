import hashlib
import pickle
from datetime import UTC, datetime

import pytest

from sources.fetch.interface import (
    ERROR_TYPES,
    FetchResult,
    RetriesExhausted,
    conditional_headers,
    relevant_headers,
)

AT = datetime(2024, 11, 8, 3, 0, tzinfo=UTC)
URL = "https://hanoimoi.vn/tin/thanh-xuan-1.html"


@pytest.mark.parametrize("error_type", list(ERROR_TYPES.values()), ids=list(ERROR_TYPES))
def test_errors_survive_pickling_with_their_details(error_type):
    error = error_type(URL, "HTTP 503; gave up after 5 attempts", status=503, attempts=5)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.reason, copy.status, copy.attempts) == (
        error_type, f"{URL}: HTTP 503; gave up after 5 attempts", error.reason, 503, 5)


def test_a_recorded_failure_raises_again_as_its_type():
    failure = FetchResult.failed(URL, RetriesExhausted(URL, "HTTP 503; gave up after 5 attempts", status=503,
                                                        attempts=5), AT)
    assert (failure.status, failure.attempts, failure.error) == (503, 5, "RetriesExhausted: HTTP 503; gave up after 5 attempts")
    with pytest.raises(RetriesExhausted) as raised:
        failure.raise_for_error()
    assert (str(raised.value), raised.value.status, raised.value.attempts) == (
        f"{URL}: HTTP 503; gave up after 5 attempts", 503, 5)


def test_a_success_raises_nothing():
    FetchResult.from_body(URL, URL, 200, {}, b"ok", AT).raise_for_error()


def test_from_body_decodes_and_hashes():
    body = "Thu ngân sách quận".encode()
    result = FetchResult.from_body(URL, URL, 200, {"content-type": "text/html; charset=utf-8"}, body, AT, attempts=2)
    assert (result.text, result.encoding, result.encoding_source, result.sha256, result.attempts) == (
        "Thu ngân sách quận", "utf-8", "header", hashlib.sha256(body).hexdigest(), 2)


@pytest.mark.parametrize(
    ("etag", "last_modified", "matches"),
    [
        ('"v1"', None, True),
        ('W/"v1"', None, True),
        (None, "Fri, 08 Nov 2024 02:00:00 GMT", True),
        ('"v0"', None, False),
        ('"v0"', "Fri, 08 Nov 2024 02:00:00 GMT", False),  # If-None-Match decides alone
        (None, "Thu, 07 Nov 2024 02:00:00 GMT", False),
        (None, None, False),
    ],
)
def test_matches_validators(etag, last_modified, matches):
    result = FetchResult.from_body(URL, URL, 200, {"etag": '"v1"', "last-modified": "Fri, 08 Nov 2024 02:00:00 GMT"},
                                   b"ok", AT)
    assert result.matches(etag, last_modified) is matches


def test_as_not_modified_keeps_only_the_validators():
    result = FetchResult.from_body(URL, URL + "?amp=1", 200, {"etag": '"v1"', "content-type": "text/html"}, b"ok", AT)
    not_modified = result.as_not_modified(AT)
    assert (not_modified.status, not_modified.body, not_modified.text, not_modified.headers, not_modified.final_url) == (
        304, None, None, {"etag": '"v1"'}, URL + "?amp=1")


def test_relevant_headers_keep_validators_and_drop_cookies():
    kept = relevant_headers({"ETag": '"v1"', "Content-Type": "text/html", "Set-Cookie": "session=secret", "Server": "x"})
    assert kept == {"content-type": "text/html", "etag": '"v1"'}


@pytest.mark.parametrize(
    ("etag", "last_modified", "expected"),
    [
        ('"v1"', None, {"If-None-Match": '"v1"'}),
        (None, "Fri, 08 Nov 2024 02:00:00 GMT", {"If-Modified-Since": "Fri, 08 Nov 2024 02:00:00 GMT"}),
        (None, None, {}),
    ],
)
def test_conditional_headers(etag, last_modified, expected):
    assert conditional_headers(etag, last_modified) == expected

