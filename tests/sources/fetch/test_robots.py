import threading
import time

import pytest

from sources.fetch.interface import RetriesExhausted
from sources.fetch.robots import RobotsCache, rules_from

AGENT = "district-kpi/0.1 (+https://example.org/district-kpi)"
ROBOTS = b"""User-agent: *
Disallow: /

User-agent: district-kpi
Disallow: /tim-kiem
Crawl-delay: 3
"""


@pytest.mark.parametrize(
    ("status", "body", "path", "allowed"),
    [
        (200, ROBOTS, "/tin-tuc/thanh-xuan-1.html", True),
        (200, ROBOTS, "/tim-kiem?q=ngan+sach", False),
        (200, b"User-agent: *\nDisallow: /private\n", "/private/a", False),
        (200, b"User-agent: *\nDisallow: /private\n", "/public", True),
        (200, b"", "/anything", True),
        (404, b"", "/anything", True),  # unavailable: crawl freely
        (403, b"", "/anything", True),
        (429, b"", "/anything", False),  # unreachable: assume complete disallow
        (500, b"", "/anything", False),
        (503, b"", "/anything", False),
        (None, b"", "/anything", False),  # no answer at all
    ],
)
def test_rules_from(status, body, path, allowed):
    rules = rules_from("https://hanoimoi.vn/robots.txt", status, body)
    assert rules.can_fetch(AGENT, "https://hanoimoi.vn" + path) is allowed


class CountingLoader:
    """Answer robots.txt requests from a dict of URL -> (status, body) or exception, counting calls."""

    def __init__(self, answers):
        self.answers = answers
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, robots_url):
        with self.lock:
            self.calls.append(robots_url)
        answer = self.answers[robots_url]
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_each_origin_is_read_once_and_answers_for_our_agent():
    loader = CountingLoader({"https://hanoimoi.vn/robots.txt": (200, ROBOTS),
                             "https://kinhtedothi.vn/robots.txt": (404, b"")})
    robots = RobotsCache(AGENT, loader)
    refusals = [
        robots.refusal("https://hanoimoi.vn/tin/1.html"),
        robots.refusal("https://hanoimoi.vn/tim-kiem?q=x"),
        robots.refusal("https://kinhtedothi.vn/tim-kiem"),
    ]
    assert refusals == [None, f"https://hanoimoi.vn/robots.txt disallows it for {AGENT!r}", None]
    assert loader.calls == ["https://hanoimoi.vn/robots.txt", "https://kinhtedothi.vn/robots.txt"]
    assert (robots.crawl_delay("https://hanoimoi.vn/tin/2.html"), robots.crawl_delay("https://kinhtedothi.vn/")) == (3.0, None)


@pytest.mark.parametrize(
    ("answer", "refusal"),
    [
        (RetriesExhausted("https://hanoimoi.vn/robots.txt", "ConnectionError; gave up after 5 attempts"),
         "https://hanoimoi.vn/robots.txt is unreachable (ConnectionError; gave up after 5 attempts), "
         "so the site is off limits for this run"),
        ((503, b""), "https://hanoimoi.vn/robots.txt answered HTTP 503, so the site is off limits for this run"),
    ],
    ids=["unreachable", "server-error"],
)
def test_robots_that_cannot_be_read_close_the_site_and_say_why(answer, refusal):
    loader = CountingLoader({"https://hanoimoi.vn/robots.txt": answer})
    assert RobotsCache(AGENT, loader).refusal("https://hanoimoi.vn/tin/1.html") == refusal


def test_concurrent_first_requests_read_robots_once():
    release = threading.Event()
    loader = CountingLoader({"https://hanoimoi.vn/robots.txt": (200, ROBOTS)})

    def slow_loader(robots_url):
        release.wait(1)
        return loader(robots_url)

    robots = RobotsCache(AGENT, slow_loader)
    threads = [threading.Thread(target=robots.refusal, args=(f"https://hanoimoi.vn/tin/{n}.html",)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # let every thread reach the cache while the first read is still under way
    release.set()
    for thread in threads:
        thread.join()
    assert loader.calls == ["https://hanoimoi.vn/robots.txt"]
