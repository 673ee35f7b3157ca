import math
import sys
import threading
from datetime import UTC, datetime

import pytest

from sources.fetch.pacing import HostRateLimiter, backoff_delay, interval_for, retry_after_seconds
from tests.support.clock import FakeClock

NOW = datetime(2024, 11, 8, 3, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("0", 0.0),
        ("Fri, 08 Nov 2024 03:00:07 GMT", 7.0),
        ("Fri, 08 Nov 2024 02:59:00 GMT", 0.0),  # a date in the past: retry now
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value, expected):
    assert retry_after_seconds(value, NOW) == expected


@pytest.mark.parametrize(
    ("retry", "rand", "expected"),
    [
        (1, 1.0, 1.0),
        (2, 1.0, 2.0),
        (3, 1.0, 4.0),
        (3, 0.0, 2.0),  # equal jitter: never less than half the step
        (10, 1.0, 60.0),  # capped
        (10, 0.0, 30.0),
    ],
)
def test_backoff_delay(retry, rand, expected):
    assert backoff_delay(retry, base=1.0, cap=60.0, rand=lambda: rand) == expected


@pytest.mark.parametrize(("rate", "expected"), [(1, 1.0), (4, 0.25), (math.inf, 0.0)])
def test_interval_for(rate, expected):
    assert interval_for(rate) == expected


@pytest.mark.parametrize("rate", [0, -1, math.nan])
def test_interval_for_refuses_non_positive_rates(rate):
    with pytest.raises(ValueError, match="positive"):
        interval_for(rate)


def test_limiter_spaces_requests_per_host_only():
    clock = FakeClock()
    limiter = HostRateLimiter(2.0, clock=clock)
    waits = [limiter.wait("hanoimoi.vn"), limiter.wait("kinhtedothi.vn"), limiter.wait("hanoimoi.vn")]
    assert waits == [0.0, 0.0, 0.5]
    assert clock.sleeps == [0.5]


def test_limiter_lets_a_request_through_once_the_interval_has_passed():
    clock = FakeClock()
    limiter = HostRateLimiter(1.0, clock=clock)
    limiter.wait("hanoimoi.vn")
    clock.sleep(3.0)
    assert limiter.wait("hanoimoi.vn") == 0.0


@pytest.mark.parametrize(
    ("host", "expected"),
    [("hanoimoi.vn", 0.5), ("www.hanoimoi.vn", 0.5), ("thanhxuan.hanoi.gov.vn", 0.25), ("kinhtedothi.vn", 1.0)],
)
def test_host_rates_cover_subdomains(host, expected):
    limiter = HostRateLimiter(1.0, {"hanoimoi.vn": 2.0, "hanoi.gov.vn": 4.0})
    assert limiter.interval(host) == expected


def test_slow_down_only_ever_lengthens_the_interval():
    limiter = HostRateLimiter(1.0)
    limiter.slow_down("hanoimoi.vn", 5.0)
    limiter.slow_down("hanoimoi.vn", 2.0)
    assert (limiter.interval("hanoimoi.vn"), limiter.interval("kinhtedothi.vn")) == (5.0, 1.0)


class FrozenClock(FakeClock):
    """Time that stands still while threads sleep, so each wait shows the slot its request was given."""

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)


def test_limiter_hands_each_request_its_own_slot_across_threads():
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so an unguarded read-then-write would race
    try:
        clock = FrozenClock()
        limiter = HostRateLimiter(10.0, clock=clock)
        start = threading.Barrier(8)

        def requests():
            start.wait()
            for _ in range(200):
                limiter.wait("hanoimoi.vn")

        threads = [threading.Thread(target=requests) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    # 1,600 requests with time frozen: one goes at once, the rest get slots 0.1 s apart, none handed out twice.
    assert sorted(clock.sleeps) == pytest.approx([0.1 * n for n in range(1, 1600)])
