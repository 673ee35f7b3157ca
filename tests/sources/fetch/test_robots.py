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
    verdicts = [
        robots.allows("https://hanoimoi.vn/tin/1.html"),
        robots.allows("https://hanoimoi.vn/tim-kiem?q=x"),
        robots.allows("https://kinhtedothi.vn/tim-kiem"),
    ]
    assert verdicts == [True, False, True]
    assert loader.calls == ["https://hanoimoi.vn/robots.txt", "https://kinhtedothi.vn/robots.txt"]
    assert (robots.crawl_delay("https://hanoimoi.vn/tin/2.html"), robots.crawl_delay("https://kinhtedothi.vn/")) == (3.0, None)


def test_unreachable_robots_disallows_the_site():
    robots_url = "https://hanoimoi.vn/robots.txt"
    loader = CountingLoader({robots_url: RetriesExhausted(robots_url, "HTTP 503; gave up after 5 attempts")})
    assert RobotsCache(AGENT, loader).allows("https://hanoimoi.vn/tin/1.html") is False


def test_concurrent_first_requests_read_robots_once():
    release = threading.Event()
    loader = CountingLoader({"https://hanoimoi.vn/robots.txt": (200, ROBOTS)})

    def slow_loader(robots_url):
        release.wait(1)
        return loader(robots_url)

    robots = RobotsCache(AGENT, slow_loader)
    threads = [threading.Thread(target=robots.allows, args=(f"https://hanoimoi.vn/tin/{n}.html",)) for n in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # let every thread reach the cache while the first read is still under way
    release.set()
    for thread in threads:
        thread.join()
    assert loader.calls == ["https://hanoimoi.vn/robots.txt"]
