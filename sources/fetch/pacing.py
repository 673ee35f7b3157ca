"""Decide how long to wait: per-host spacing of requests, exponential backoff with jitter, and Retry-After."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol


class Clock(Protocol):
    """Time as the fetcher sees it; tests pass a fake whose sleeps return at once."""

    def monotonic(self) -> float:
        """Return seconds on a clock that never goes back."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for that many seconds."""
        ...

    def now(self) -> datetime:
        """Return the current UTC time."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """Return time.monotonic()."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """Call time.sleep."""
        time.sleep(seconds)

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


def interval_for(rate: float) -> float:
    """Return the spacing in seconds for a rate in requests per second: 2 -> 0.5, inf -> 0."""
    if not rate > 0:
        raise ValueError(f"rate limit must be a positive number of requests per second, got {rate!r}")
    return 1 / rate


class HostRateLimiter:
    """Space requests to each host at least an interval apart, across threads; a host's rate also covers its subdomains."""

    def __init__(self, rate: float, host_rates: Mapping[str, float] | None = None, clock: Clock | None = None):
        self._default = interval_for(rate)
        self._intervals = {host.lower(): interval_for(value) for host, value in (host_rates or {}).items()}
        self._floors: dict[str, float] = {}
        self._next_slot: dict[str, float] = {}
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()

    def interval(self, host: str) -> float:
        """Return the spacing for a host: its own or its nearest parent domain's, raised by any slow_down."""
        labels = host.split(".")
        parents = (".".join(labels[i:]) for i in range(len(labels)))
        configured = next((self._intervals[name] for name in parents if name in self._intervals), self._default)
        return max(configured, self._floors.get(host, 0.0))

    def slow_down(self, host: str, interval: float) -> None:
        """Never send requests to the host closer than this (robots.txt Crawl-delay)."""
        with self._lock:
            self._floors[host] = max(interval, self._floors.get(host, 0.0))

    def wait(self, host: str) -> float:
        """Reserve the host's next free slot and sleep until it; return the seconds waited."""
        with self._lock:
            now = self._clock.monotonic()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.interval(host)
        # Sleep outside the lock so other hosts, and later slots of this one, are handed out meanwhile.
        if slot > now:
            self._clock.sleep(slot - now)
        return slot - now


def backoff_delay(retry: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Return the wait before the nth retry: base·2^(n-1) capped, with equal jitter: (3, 1.0, 60, rand) -> 2..4 s."""
    step = min(cap, base * 2 ** (retry - 1))
    return step / 2 + step / 2 * rand()


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Read Retry-After as seconds from now: '120' -> 120.0; an HTTP-date -> its distance from now; junk -> None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
