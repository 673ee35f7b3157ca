"""Obey robots.txt (RFC 9309): read each origin's file once per run and answer for our User-Agent."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from sources.fetch.interface import FetchError
from sources.urls import origin_of

logger = logging.getLogger(__name__)

# Fetch a robots.txt URL and return (status, body); raise FetchError when it cannot be reached.
RobotsLoader = Callable[[str], tuple[int, bytes]]


def rules_from(robots_url: str, status: int | None, body: bytes) -> RobotFileParser:
    """Turn a robots.txt answer into rules: 2xx parsed, 4xx allow all, 429, 5xx or no answer disallow all."""
    rules = RobotFileParser(robots_url)
    if status is not None and 200 <= status < 300:
        rules.parse(body.decode("utf-8", errors="replace").splitlines())
    elif status is not None and 400 <= status < 500 and status != 429:
        rules.allow_all = True  # RFC 9309 2.3.1.3: unavailable, crawl freely
    else:
        rules.disallow_all = True  # RFC 9309 2.3.1.4: unreachable, assume complete disallow
    return rules


@dataclass(frozen=True)
class _Verdict:
    """An origin's rules, and what to say when they refuse a URL."""

    rules: RobotFileParser
    refusal: str


class RobotsCache:
    """Hold one origin's robots rules for the run; concurrent first requests to an origin read it once."""

    def __init__(self, user_agent: str, load: RobotsLoader):
        self.user_agent = user_agent
        self._load = load
        self._verdicts: dict[str, _Verdict] = {}
        self._origin_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def refusal(self, url: str) -> str | None:
        """Return why robots.txt keeps our User-Agent from the URL, or None when it may be fetched."""
        verdict = self._verdict(url)
        return None if verdict.rules.can_fetch(self.user_agent, url) else verdict.refusal

    def crawl_delay(self, url: str) -> float | None:
        """Return the Crawl-delay the URL's robots.txt asks of us, in seconds."""
        delay = self._verdict(url).rules.crawl_delay(self.user_agent)
        return float(delay) if delay else None

    def _verdict(self, url: str) -> _Verdict:
        """Return the verdict for the URL's origin, reading its robots.txt the first time."""
        origin = origin_of(url)
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            if origin not in self._verdicts:
                self._verdicts[origin] = self._read(origin + "/robots.txt")
            return self._verdicts[origin]

    def _read(self, robots_url: str) -> _Verdict:
        """Fetch and interpret one robots.txt."""
        try:
            status, body = self._load(robots_url)
        except FetchError as error:
            logger.warning("robots.txt unreachable, disallowing the whole site for this run: %s", error)
            return _Verdict(rules_from(robots_url, None, b""),
                            f"{robots_url} is unreachable ({error.reason}), so the site is off limits for this run")
        rules = rules_from(robots_url, status, body)
        if rules.disallow_all:
            return _Verdict(rules, f"{robots_url} answered HTTP {status}, so the site is off limits for this run")
        return _Verdict(rules, f"{robots_url} disallows it for {self.user_agent!r}")
