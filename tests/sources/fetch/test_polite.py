import hashlib
import math
import socket
import threading
import time
from email.utils import format_datetime

import pytest

from sources.fetch.interface import (
    BodyTooLarge,
    DisallowedHost,
    HTTPStatusError,
    RetriesExhausted,
    RobotsDisallowed,
    TooManyRedirects,
    UnsupportedContentType,
)
from sources.fetch.pacing import SystemClock
from sources.fetch.polite import PoliteFetcher
from tests.support.clock import FakeClock
from tests.support.http_server import HOST, Reply
from tests.support.vietnamese import to_cp1258

AGENT = "district-kpi/0.1 (+https://example.org/district-kpi; data-desk@example.org)"
ARTICLE = "<html><body><h1>Quận Thanh Xuân</h1><p>Thu ngân sách quận đạt 1.204,5 tỷ đồng.</p></body></html>"
VALIDATORS = {"ETag": '"thanhxuan-v1"', "Last-Modified": "Fri, 08 Nov 2024 02:00:00 GMT"}


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_fetcher(http_server, clock):
    """Build fetchers for the local server with test-sized timeouts and backoff; close them afterwards."""
    made = []

    def make(**settings):
        defaults = dict(user_agent=AGENT, rate_limit=math.inf, max_retries=2, backoff_base=0.1, timeout_connect=1.0,
                        timeout_read=0.5, max_wait=30.0, clock=clock, jitter=lambda: 1.0)
        made.append(PoliteFetcher([HOST], **(defaults | settings)))
        return made[-1]

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def fetcher(make_fetcher):
    return make_fetcher()


def test_happy_path(http_server, fetcher, clock):
    http_server.route("/tin/thanh-xuan.html", Reply(body=ARTICLE, headers=VALIDATORS))
    result = fetcher.fetch(http_server.url("/tin/thanh-xuan.html"))
    assert (result.status, result.final_url, result.text, result.encoding, result.encoding_source) == (
        200, http_server.url("/tin/thanh-xuan.html"), ARTICLE, "utf-8", "header")
    assert (result.body, result.sha256) == (ARTICLE.encode(), hashlib.sha256(ARTICLE.encode()).hexdigest())
    assert (result.etag, result.last_modified, result.headers["content-type"]) == (
        '"thanhxuan-v1"', "Fri, 08 Nov 2024 02:00:00 GMT", "text/html; charset=utf-8")
    assert (result.fetched_at, result.attempts, result.error, clock.sleeps) == (clock.now(), 1, None, [])
    assert [(request.path, request.headers["user-agent"]) for request in http_server.requests] == [
        ("/robots.txt", AGENT), ("/tin/thanh-xuan.html", AGENT)]


def test_requests_share_one_pooled_connection(http_server, fetcher):
    for n in range(3):
        http_server.route(f"/tin/{n}.html", Reply(body=ARTICLE))
        fetcher.fetch(http_server.url(f"/tin/{n}.html"))
    assert len(http_server.requests) == 4
    assert len({request.client_port for request in http_server.requests}) == 1


@pytest.mark.parametrize(
    ("etag", "last_modified", "sent"),
    [
        ('"thanhxuan-v1"', None, {"if-none-match": '"thanhxuan-v1"'}),
        (None, "Fri, 08 Nov 2024 02:00:00 GMT", {"if-modified-since": "Fri, 08 Nov 2024 02:00:00 GMT"}),
    ],
)
def test_unchanged_page_costs_a_304(http_server, fetcher, etag, last_modified, sent):
    http_server.route("/tin/thanh-xuan.html", Reply(body=ARTICLE, headers=VALIDATORS))
    result = fetcher.fetch(http_server.url("/tin/thanh-xuan.html"), etag=etag, last_modified=last_modified)
    assert (result.status, result.body, result.text, result.sha256) == (304, None, None, None)
    assert (result.etag, result.last_modified) == ('"thanhxuan-v1"', "Fri, 08 Nov 2024 02:00:00 GMT")
    request = http_server.requests[-1]
    assert {name: request.headers.get(name) for name in sent} == sent


def test_304_without_validators_keeps_the_ones_we_sent(http_server, fetcher):
    http_server.route("/tin/thanh-xuan.html", Reply(304, content_type=None))
    result = fetcher.fetch(http_server.url("/tin/thanh-xuan.html"), etag='"v7"', last_modified="Thu, 07 Nov 2024 00:00:00 GMT")
    assert (result.status, result.etag, result.last_modified) == (304, '"v7"', "Thu, 07 Nov 2024 00:00:00 GMT")


@pytest.mark.parametrize(
    ("retry_after", "expected_wait"),
    [
        ("3", 3.0),
        (format_datetime(FakeClock().now().replace(second=7), usegmt=True), 7.0),
        ("not-a-date", 0.1),  # unreadable: plain backoff
    ],
    ids=["seconds", "http-date", "unreadable"],
)
def test_429_waits_as_retry_after_asks(http_server, fetcher, clock, retry_after, expected_wait):
    http_server.route("/tin/1.html", [Reply(429, "slow down", headers={"Retry-After": retry_after}), Reply(body=ARTICLE)])
    result = fetcher.fetch(http_server.url("/tin/1.html"))
    assert (result.status, result.text, result.attempts) == (200, ARTICLE, 2)
    assert clock.sleeps == [pytest.approx(expected_wait)]


def test_retry_after_beyond_max_wait_gives_up_at_once(http_server, fetcher, clock):
    http_server.route("/tin/1.html", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RetriesExhausted, match=r"/tin/1.html: HTTP 429 asks to retry after 3600 s") as raised:
        fetcher.fetch(http_server.url("/tin/1.html"))
    assert (raised.value.status, raised.value.attempts, clock.sleeps, http_server.hits("/tin/1.html")) == (429, 1, [], 1)


def test_500_then_success(http_server, fetcher, clock):
    http_server.route("/tin/1.html", [Reply(500), Reply(body=ARTICLE)])
    result = fetcher.fetch(http_server.url("/tin/1.html"))
    assert (result.status, result.attempts, clock.sleeps) == (200, 2, [0.1])


def test_5xx_retried_with_exponential_backoff_until_the_budget_is_spent(http_server, fetcher, clock):
    http_server.route("/tin/1.html", Reply(503))
    with pytest.raises(RetriesExhausted, match=r"/tin/1.html: HTTP 503; gave up after 3 attempts") as raised:
        fetcher.fetch(http_server.url("/tin/1.html"))
    assert (raised.value.status, raised.value.attempts, http_server.hits("/tin/1.html")) == (503, 3, 3)
    assert clock.sleeps == [0.1, 0.2]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_4xx_fail_without_retry(http_server, fetcher, clock, status):
    http_server.route("/tin/1.html", Reply(status))
    with pytest.raises(HTTPStatusError, match=f"/tin/1.html: HTTP {status}") as raised:
        fetcher.fetch(http_server.url("/tin/1.html"))
    assert (raised.value.status, raised.value.attempts, http_server.hits("/tin/1.html"), clock.sleeps) == (status, 1, 1, [])


def test_read_timeout_is_retried(http_server, make_fetcher):
    http_server.route("/tin/1.html", [Reply(body=ARTICLE, delay=2.0), Reply(body=ARTICLE)])
    result = make_fetcher(timeout_read=0.2).fetch(http_server.url("/tin/1.html"))
    assert (result.text, result.attempts) == (ARTICLE, 2)


def test_timeouts_exhaust_the_retries(http_server, make_fetcher):
    http_server.route("/tin/1.html", Reply(body=ARTICLE, delay=2.0))
    with pytest.raises(RetriesExhausted, match=r"ReadTimeout.*gave up after 2 attempts") as raised:
        make_fetcher(timeout_read=0.2, max_retries=1).fetch(http_server.url("/tin/1.html"))
    assert raised.value.status is None


@pytest.mark.parametrize(
    "fault",
    [Reply(reset=True), Reply(body=ARTICLE * 20, truncate=100)],
    ids=["reset-before-answer", "reset-mid-body"],
)
def test_connection_reset_is_retried(http_server, fetcher, clock, fault):
    http_server.route("/tin/1.html", [fault, Reply(body=ARTICLE)])
    result = fetcher.fetch(http_server.url("/tin/1.html"))
    assert (result.text, result.attempts, clock.sleeps) == (ARTICLE, 2, [0.1])


def test_site_going_down_mid_run_exhausts_the_retries(http_server, fetcher, clock):
    http_server.route("/tin/1.html", Reply(body=ARTICLE))
    fetcher.fetch(http_server.url("/tin/1.html"))
    http_server.stop()
    with pytest.raises(RetriesExhausted, match=r"/tin/2.html: ConnectionError.*gave up after 3 attempts"):
        fetcher.fetch(http_server.url("/tin/2.html"))
    assert clock.sleeps == [0.1, 0.2]


def test_unreachable_site_is_off_limits_as_robots_cannot_be_read(make_fetcher):
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    with pytest.raises(RobotsDisallowed, match=r"robots.txt is unreachable \(ConnectionError.*gave up after 3 attempts\)"):
        make_fetcher().fetch(f"http://{HOST}:{port}/tin/1.html")


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"x" * 2_000), r"Content-Length 2000 exceeds the 1000-byte limit"),
        (Reply(body=b"x" * 5_000, chunked=True), r"body exceeds the 1000-byte limit"),
    ],
    ids=["announced", "chunked"],
)
def test_oversized_body_is_refused(http_server, make_fetcher, reply, message):
    http_server.route("/tin/1.html", reply)
    with pytest.raises(BodyTooLarge, match=f"/tin/1.html: {message}"):
        make_fetcher(max_bytes=1_000).fetch(http_server.url("/tin/1.html"))
    assert http_server.hits("/tin/1.html") == 1


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        (to_cp1258(ARTICLE), "text/html; charset=iso-8859-1", "cp1258"),
        (ARTICLE.encode(), "text/html; charset=iso-8859-1", "utf-8"),
        (to_cp1258(ARTICLE), "text/html", "cp1258"),
        (ARTICLE.encode(), "text/html", "utf-8"),
        (to_cp1258(ARTICLE), "text/html; charset=utf-8", "cp1258"),
    ],
    ids=["cp1258-said-latin1", "utf8-said-latin1", "cp1258-unsaid", "utf8-unsaid", "cp1258-said-utf8"],
)
def test_wrong_or_missing_charset_still_decodes(http_server, fetcher, body, content_type, encoding):
    http_server.route("/tin/1.html", Reply(body=body, content_type=content_type))
    result = fetcher.fetch(http_server.url("/tin/1.html"))
    assert (result.text, result.encoding, result.encoding_source, result.body) == (ARTICLE, encoding, "detected", body)


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/jpeg", "application/json", None], ids=["pdf", "jpeg", "json", "missing"]
)
def test_non_page_content_types_are_refused(http_server, fetcher, content_type):
    http_server.route("/bao-cao.pdf", Reply(body=b"%PDF-1.7", content_type=content_type))
    with pytest.raises(UnsupportedContentType, match=r"/bao-cao.pdf: .* is not fetched \(accepted: "):
        fetcher.fetch(http_server.url("/bao-cao.pdf"))


@pytest.mark.parametrize("content_type", ["application/rss+xml; charset=utf-8", "application/xml", "text/plain"])
def test_feeds_sitemaps_and_text_are_accepted(http_server, fetcher, content_type):
    http_server.route("/feed", Reply(body="<rss/>", content_type=content_type))
    assert fetcher.fetch(http_server.url("/feed")).text == "<rss/>"


def test_redirect_within_allowed_hosts_is_followed(http_server, fetcher):
    http_server.route("/old.html", Reply.redirect("/tin/new.html", 301))
    http_server.route("/tin/new.html", Reply(body=ARTICLE))
    result = fetcher.fetch(http_server.url("/old.html"))
    assert (result.url, result.final_url, result.text, result.attempts) == (
        http_server.url("/old.html"), http_server.url("/tin/new.html"), ARTICLE, 2)


@pytest.mark.parametrize(
    "target",
    ["http://evil.example/tin/1.html", "http://localhost:{port}/tin/1.html", "https://{host}.evil.example/"],
    ids=["other-site", "same-machine-other-name", "lookalike-subdomain"],
)
def test_redirect_to_a_disallowed_host_is_refused(http_server, fetcher, target):
    location = target.format(port=http_server.port, host=HOST)
    http_server.route("/old.html", Reply.redirect(location))
    with pytest.raises(DisallowedHost) as raised:
        fetcher.fetch(http_server.url("/old.html"))
    assert str(raised.value) == (f"{http_server.url('/old.html')}: redirect to {location}: "
                                 f"not an http(s) URL on an allowed host ({HOST})")
    assert [request.path for request in http_server.requests] == ["/robots.txt", "/old.html"]


def test_redirect_loop_stops_at_the_hop_limit(http_server, make_fetcher):
    http_server.route("/loop.html", Reply.redirect("/loop.html"))
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        make_fetcher(max_redirects=3).fetch(http_server.url("/loop.html"))
    assert http_server.hits("/loop.html") == 4


@pytest.mark.parametrize("url", ["http://evil.example/tin/1.html", "ftp://127.0.0.1/tin/1.html", "file:///etc/hosts"])
def test_disallowed_urls_are_never_requested(http_server, fetcher, url):
    with pytest.raises(DisallowedHost, match="not an http\\(s\\) URL on an allowed host \\(127.0.0.1\\)"):
        fetcher.fetch(url)
    assert http_server.requests == []


def test_robots_disallow_is_obeyed_and_robots_read_once(http_server, fetcher):
    http_server.route("/robots.txt", Reply(body="User-agent: district-kpi\nDisallow: /tim-kiem\n", content_type="text/plain"))
    http_server.route("/tin/1.html", Reply(body=ARTICLE))
    fetcher.fetch(http_server.url("/tin/1.html"))
    with pytest.raises(RobotsDisallowed, match=r"/tim-kiem\?q=ngan-sach: http://127.0.0.1:\d+/robots.txt disallows it"):
        fetcher.fetch(http_server.url("/tim-kiem?q=ngan-sach"))
    fetcher.fetch(http_server.url("/tin/1.html"))
    assert [request.path for request in http_server.requests] == ["/robots.txt", "/tin/1.html", "/tin/1.html"]


def test_robots_5xx_disallows_the_whole_site_for_the_run(http_server, fetcher):
    http_server.route("/robots.txt", Reply(503))
    http_server.route("/tin/1.html", Reply(body=ARTICLE))
    for _ in range(2):
        with pytest.raises(RobotsDisallowed, match=r"robots.txt is unreachable \(HTTP 503; gave up after 3 attempts\)"):
            fetcher.fetch(http_server.url("/tin/1.html"))
    assert (http_server.hits("/robots.txt"), http_server.hits("/tin/1.html")) == (3, 0)


def test_robots_redirect_to_a_disallowed_host_disallows_the_site(http_server, fetcher):
    http_server.route("/robots.txt", Reply.redirect("http://cdn.example/robots.txt"))
    with pytest.raises(RobotsDisallowed, match="robots.txt is unreachable .*redirect to http://cdn.example/robots.txt"):
        fetcher.fetch(http_server.url("/tin/1.html"))


def test_crawl_delay_slows_requests_to_the_host(http_server, fetcher, clock):
    http_server.route("/robots.txt", Reply(body="User-agent: *\nCrawl-delay: 2\n", content_type="text/plain"))
    http_server.route("/tin/1.html", Reply(body=ARTICLE))
    fetcher.fetch(http_server.url("/tin/1.html"))
    fetcher.fetch(http_server.url("/tin/1.html"))
    assert clock.sleeps == [2.0]


def test_rate_limit_spaces_requests_in_real_time(http_server, make_fetcher):
    http_server.route("/tin/1.html", Reply(body=ARTICLE))
    fetcher = make_fetcher(rate_limit=20.0, clock=SystemClock())
    started = time.monotonic()
    for _ in range(3):
        fetcher.fetch(http_server.url("/tin/1.html"))
    # robots.txt and three pages: the fourth request may not leave before three intervals of 0.05 s.
    assert len(http_server.requests) == 4
    assert time.monotonic() - started >= 3 * 0.05


def test_concurrent_fetches_share_robots_and_all_succeed(http_server, make_fetcher):
    fetcher = make_fetcher(clock=SystemClock())
    for n in range(6):
        http_server.route(f"/tin/{n}.html", Reply(body=f"<p>Bài {n}</p>"))
    texts = {}

    def fetch(n):
        texts[n] = fetcher.fetch(http_server.url(f"/tin/{n}.html")).text

    threads = [threading.Thread(target=fetch, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert texts == {n: f"<p>Bài {n}</p>" for n in range(6)}
    assert http_server.hits("/robots.txt") == 1
