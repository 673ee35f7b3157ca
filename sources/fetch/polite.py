"""Fetch pages politely: one pooled session, timeouts, retries with backoff, per-host pacing, robots.txt, limits."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter

from sources.fetch.charset import media_type
from sources.fetch.interface import (
    BodyTooLarge,
    DisallowedHost,
    FetchError,
    FetchResult,
    HTTPStatusError,
    RetriesExhausted,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedContentType,
    conditional_headers,
    relevant_headers,
)
from sources.fetch.pacing import Clock, HostRateLimiter, SystemClock, backoff_delay, retry_after_seconds
from sources.fetch.robots import RobotsCache
from sources.urls import HostAllowlist, host_of

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "district-kpi/0.1 (+https://github.com/district-kpi/district-kpi)"
DEFAULT_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "text/plain",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_BODILESS_STATUSES = frozenset({204, 304})
_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class _Reply:
    """One HTTP answer: status, kept headers, and the body when it was a 2xx."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes | None
    attempts: int = 1


class PoliteFetcher:
    """Fetch from allowed hosts the way a well-behaved crawler does; see fetch() for what it guarantees."""

    def __init__(
        self,
        allowed_hosts: Iterable[str],
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout_connect: float = 10.0,
        timeout_read: float = 30.0,
        max_bytes: int = 5 * 1024 * 1024,
        max_retries: int = 4,  # retries after the first attempt
        backoff_base: float = 1.0,  # seconds before the first retry, doubling after each
        max_wait: float = 120.0,  # longest single wait; a longer Retry-After ends the retries instead
        rate_limit: float = 1.0,  # requests per second to any one host
        host_rate_limits: Mapping[str, float] | None = None,  # per-host overrides, e.g. a source's own rate
        max_redirects: int = 5,
        content_types: Iterable[str] = DEFAULT_CONTENT_TYPES,
        pool_size: int = 10,
        clock: Clock | None = None,
        jitter: Callable[[], float] = random.random,
    ):
        self.allowed = HostAllowlist(allowed_hosts)
        self.user_agent = user_agent
        self.timeout = (timeout_connect, timeout_read)
        self.max_bytes = max_bytes
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.max_wait = max_wait
        self.max_redirects = max_redirects
        self.content_types = frozenset(content_types)
        self._clock = clock or SystemClock()
        self._jitter = jitter
        self._limiter = HostRateLimiter(rate_limit, host_rate_limits, self._clock)
        self._robots = RobotsCache(user_agent, self._load_robots)
        self._session = _session(user_agent, self.content_types, pool_size)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch the URL; a 2xx gives body and text, a 304 no body; anything else raises a FetchError subclass."""
        reply = self._follow(url, conditional_headers(etag, last_modified), self.content_types, obey_robots=True)
        fetched_at = self._clock.now()
        if reply.status == 304:
            sent = {"etag": etag, "last-modified": last_modified}
            validators = {name: value for name, value in sent.items() if value} | reply.headers
            return FetchResult.not_modified(url, reply.url, validators, fetched_at, reply.attempts)
        if 200 <= reply.status < 300:
            return FetchResult.from_body(url, reply.url, reply.status, reply.headers, reply.body or b"",
                                         fetched_at, reply.attempts)
        raise HTTPStatusError(url, f"HTTP {reply.status} from {reply.url}", status=reply.status,
                              attempts=reply.attempts)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _follow(self, url: str, headers: Mapping[str, str], content_types: frozenset[str] | None, *,
                obey_robots: bool) -> _Reply:
        """Request the URL, following redirects by hand so every hop is checked against hosts and robots."""
        current, spent = url, 0
        for _ in range(self.max_redirects + 1):
            self._admit(url, current, obey_robots)
            reply = self._with_retries(current, headers, content_types, spent)
            spent = reply.attempts
            location = reply.headers.get("location")
            if reply.status not in REDIRECT_STATUSES or not location:
                return reply
            current = urljoin(current, location)
        raise TooManyRedirects(url, f"more than {self.max_redirects} redirects, last to {current}", attempts=spent)

    def _admit(self, url: str, current: str, obey_robots: bool) -> None:
        """Refuse a hop to a host not allowed or a path robots.txt forbids; apply the site's Crawl-delay."""
        hop = "" if current == url else f"redirect to {current}: "
        if not self.allowed.allows(current):
            allowed = ", ".join(sorted(self.allowed.hosts))
            raise DisallowedHost(url, f"{hop}not an http(s) URL on an allowed host ({allowed})")
        if not obey_robots:
            return
        refusal = self._robots.refusal(current)
        if refusal:
            raise RobotsDisallowed(url, hop + refusal)
        delay = self._robots.crawl_delay(current)
        if delay:
            self._limiter.slow_down(host_of(current), delay)

    def _with_retries(self, url: str, headers: Mapping[str, str], content_types: frozenset[str] | None,
                      spent: int) -> _Reply:
        """Send one request, retrying connection errors, timeouts, 429 and 5xx with backoff."""
        attempt = 0
        while True:
            attempt += 1
            reply, problem = self._attempt(url, headers, content_types, spent + attempt)
            if problem is None:
                return replace(reply, attempts=spent + attempt)
            if attempt > self.max_retries:
                raise RetriesExhausted(url, f"{problem}; gave up after {attempt} attempts",
                                       status=reply.status if reply else None, attempts=spent + attempt)
            wait = self._wait_before_retry(url, reply, attempt, spent + attempt)
            logger.info("retrying %s in %.2f s after %s (attempt %d of %d)", url, wait, problem, attempt + 1,
                        self.max_retries + 1)
            self._clock.sleep(wait)

    def _attempt(self, url: str, headers: Mapping[str, str], content_types: frozenset[str] | None,
                 attempts: int) -> tuple[_Reply | None, str | None]:
        """Make one request; return the reply and, when a retry may cure it, what went wrong."""
        try:
            reply = self._exchange(url, headers, content_types)
        except FetchError as error:
            error.attempts = attempts
            raise
        except requests.exceptions.SSLError as error:
            raise FetchError(url, f"TLS failed: {error}", attempts=attempts) from error
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as error:
            return None, f"{type(error).__name__} ({error})"
        except requests.RequestException as error:
            raise FetchError(url, f"request failed: {error}", attempts=attempts) from error
        if reply.status == 429 or 500 <= reply.status < 600:
            return reply, f"HTTP {reply.status}"
        return reply, None

    def _wait_before_retry(self, url: str, reply: _Reply | None, attempt: int, attempts: int) -> float:
        """Return the backoff for this retry, or the server's Retry-After when longer; refuse one beyond max_wait."""
        backoff = backoff_delay(attempt, self.backoff_base, self.max_wait, self._jitter)
        asked = retry_after_seconds(reply.headers.get("retry-after"), self._clock.now()) if reply else None
        if asked is None:
            return backoff
        if asked > self.max_wait:
            raise RetriesExhausted(url, f"HTTP {reply.status} asks to retry after {asked:.0f} s, more than the "
                                        f"{self.max_wait:.0f} s we wait", status=reply.status, attempts=attempts)
        return max(asked, backoff)

    def _exchange(self, url: str, headers: Mapping[str, str], content_types: frozenset[str] | None) -> _Reply:
        """Wait for the host's slot, send a GET and read a 2xx body within the limits."""
        self._limiter.wait(host_of(url))
        with self._session.get(url, headers=headers, timeout=self.timeout, stream=True,
                               allow_redirects=False) as response:
            kept = relevant_headers(response.headers)
            if not 200 <= response.status_code < 300:
                _release(response)
                return _Reply(url, response.status_code, kept, None)
            if content_types is not None:
                _check_content_type(url, kept.get("content-type"), content_types)
            return _Reply(url, response.status_code, kept, self._read_body(url, response))

    def _read_body(self, url: str, response: requests.Response) -> bytes:
        """Stream the body, stopping as soon as it is known to exceed max_bytes."""
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > self.max_bytes:
            raise BodyTooLarge(url, f"Content-Length {announced} exceeds the {self.max_bytes}-byte limit")
        body = bytearray()
        for chunk in response.iter_content(_CHUNK_BYTES):
            body += chunk
            if len(body) > self.max_bytes:
                raise BodyTooLarge(url, f"body exceeds the {self.max_bytes}-byte limit")
        return bytes(body)

    def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        """Fetch a robots.txt through the same hosts, retries and limits, whatever its content type."""
        reply = self._follow(robots_url, {}, None, obey_robots=False)
        return reply.status, reply.body or b""


def _release(response: requests.Response) -> None:
    """Read off an empty or short non-2xx body so its connection goes back to the pool; a long one is dropped."""
    length = response.headers.get("content-length", "")
    if response.status_code in _BODILESS_STATUSES or (length.isdigit() and int(length) <= _CHUNK_BYTES):
        _ = response.content


def _check_content_type(url: str, content_type: str | None, allowed: frozenset[str]) -> None:
    """Refuse a body whose media type is missing or not one we read."""
    kind = media_type(content_type)
    if kind not in allowed:
        shown = repr(kind) if kind else "no Content-Type"
        raise UnsupportedContentType(url, f"{shown} is not fetched (accepted: {', '.join(sorted(allowed))})")


def _session(user_agent: str, content_types: frozenset[str], pool_size: int) -> requests.Session:
    """Build the one session: our User-Agent and Accept, a pooled adapter with urllib3's own retries off."""
    session = requests.Session()
    session.headers["User-Agent"] = user_agent
    session.headers["Accept"] = ", ".join(sorted(content_types))
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
