"""The fetcher interface: what a fetch returns, how it fails, and the protocol the live and recorded fetchers share."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sources.fetch.charset import decode_body

# Response headers worth keeping with a page; cookies and anything else a server sends are dropped.
RELEVANT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "retry-after",
    "location",
    "date",
)


class FetchError(Exception):
    """A fetch that failed for a stated reason; the message names the URL."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, attempts: int = 1):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.attempts = attempts

    def __reduce__(self):
        # Prefect pickles task exceptions; the default reduce would call __init__ with the message only.
        return (type(self), (self.url, self.reason), {"status": self.status, "attempts": self.attempts})


class DisallowedHost(FetchError):
    """The URL, or a redirect on the way to it, leaves the allowed hosts."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not let our User-Agent fetch the URL."""


class BodyTooLarge(FetchError):
    """The body is, or announces itself as, larger than the limit."""


class UnsupportedContentType(FetchError):
    """The response is not a page, feed or sitemap we read."""


class HTTPStatusError(FetchError):
    """The server answered with a status that retrying will not change (4xx other than 429)."""


class TooManyRedirects(FetchError):
    """Redirects went on past the hop limit."""


class RetriesExhausted(FetchError):
    """Connection errors, timeouts, 429s or 5xx went on past the retry budget."""


class NotRecorded(FetchError):
    """The recorded fetcher holds no response for the URL."""


ERROR_TYPES: dict[str, type[FetchError]] = {cls.__name__: cls for cls in (FetchError, *FetchError.__subclasses__())}


@dataclass(frozen=True)
class FetchResult:
    """One fetch of one URL: raw body with hash and time, decoded text, validators, or a recorded failure."""

    url: str
    final_url: str
    status: int | None  # None when no HTTP answer came (a recorded failure)
    headers: Mapping[str, str]
    fetched_at: datetime
    body: bytes | None = None
    text: str | None = None
    encoding: str | None = None
    encoding_source: str | None = None  # bom | header | meta | detected | fallback
    sha256: str | None = None
    attempts: int = 1
    error: str | None = None  # 'ErrorType: reason' for a recorded failure

    @classmethod
    def from_body(cls, url: str, final_url: str, status: int, headers: Mapping[str, str], body: bytes,
                  fetched_at: datetime, attempts: int = 1) -> FetchResult:
        """Build the result of a page that came with a body, decoding and hashing it."""
        decoded = decode_body(body, headers.get("content-type"))
        return cls(url, final_url, status, dict(headers), fetched_at, body, decoded.text, decoded.encoding,
                   decoded.source, hashlib.sha256(body).hexdigest(), attempts)

    @classmethod
    def not_modified(cls, url: str, final_url: str, headers: Mapping[str, str], fetched_at: datetime,
                     attempts: int = 1) -> FetchResult:
        """Build the result of a 304: no body, validators kept so the next fetch can send them again."""
        return cls(url, final_url, 304, dict(headers), fetched_at, attempts=attempts)

    @classmethod
    def failed(cls, url: str, error: FetchError, fetched_at: datetime) -> FetchResult:
        """Record a failed fetch so it can be stored and raised again later."""
        return cls(url, url, error.status, {}, fetched_at, attempts=error.attempts,
                   error=f"{type(error).__name__}: {error.reason}")

    @property
    def etag(self) -> str | None:
        """Return the ETag validator, if the server sent one."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """Return the Last-Modified validator, if the server sent one."""
        return self.headers.get("last-modified")

    def matches(self, etag: str | None, last_modified: str | None) -> bool:
        """Tell whether a conditional request with these validators would get a 304 for this result (RFC 9110 13.2.2)."""
        if etag is not None:  # If-None-Match decides alone when sent, with the weak comparison
            return self.etag is not None and etag.removeprefix("W/") == self.etag.removeprefix("W/")
        return last_modified is not None and last_modified == self.last_modified

    def as_not_modified(self, fetched_at: datetime) -> FetchResult:
        """Return this result as the 304 a conditional request for it would get."""
        validators = {name: value for name, value in self.headers.items() if name in ("etag", "last-modified")}
        return FetchResult.not_modified(self.url, self.final_url, validators, fetched_at)

    def raise_for_error(self) -> None:
        """Raise the recorded failure again as its FetchError type; do nothing for a success."""
        if self.error is None:
            return
        name, _, reason = self.error.partition(": ")
        raise ERROR_TYPES.get(name, FetchError)(self.url, reason, status=self.status, attempts=self.attempts)


class Fetcher(Protocol):
    """Anything that fetches a URL, optionally conditionally: PoliteFetcher live, RecordedFetcher offline."""

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch the URL; return 304 without a body when the validators still match; raise FetchError."""
        ...


def relevant_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Keep the headers worth storing, names in lower case: {'ETag': '"v1"', 'Set-Cookie': 's=1'} -> {'etag': '"v1"'}."""
    kept = {name.lower(): value for name, value in headers.items()}
    return {name: kept[name] for name in RELEVANT_HEADERS if name in kept}


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Return the request headers of a conditional GET: ('"v1"', None) -> {'If-None-Match': '"v1"'}."""
    headers = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    return {name: value for name, value in headers.items() if value}
