import math

import pytest

from sources.fetch.interface import HTTPStatusError, NotRecorded, RetriesExhausted
from sources.fetch.polite import PoliteFetcher
from sources.fetch.recorded import RecordedFetcher, RecordingFetcher, ResponseStore
from tests.support.clock import FakeClock
from tests.support.http_server import HOST, Reply
from tests.support.vietnamese import to_cp1258

ARTICLE = "<html><body><p>Giải ngân vốn đầu tư công đạt hơn 451 tỷ đồng, đạt 64,54% kế hoạch.</p></body></html>"
VALIDATORS = {"ETag": '"v1"', "Last-Modified": "Fri, 08 Nov 2024 02:00:00 GMT"}


@pytest.fixture
def live(http_server):
    fetcher = PoliteFetcher([HOST], rate_limit=math.inf, max_retries=1, backoff_base=0.01, clock=FakeClock())
    yield fetcher
    fetcher.close()


@pytest.fixture
def recorded_site(http_server, live, tmp_path):
    """Record three outcomes from the live server: a cp1258 page, a redirect, and a failure; then stop the server."""
    http_server.route("/tin/1.html", Reply(body=to_cp1258(ARTICLE), content_type="text/html", headers=VALIDATORS))
    http_server.route("/cu.html", Reply.redirect("/tin/1.html", 301))
    http_server.route("/hong.html", Reply(503))
    recorder = RecordingFetcher(live, tmp_path / "recordings", clock=FakeClock())
    originals = {path: recorder.fetch(http_server.url(path)) for path in ("/tin/1.html", "/cu.html")}
    with pytest.raises(RetriesExhausted):
        recorder.fetch(http_server.url("/hong.html"))
    urls = {path: http_server.url(path) for path in ("/tin/1.html", "/cu.html", "/hong.html", "/chua-co.html")}
    http_server.stop()
    return tmp_path / "recordings", originals, urls


def test_replay_serves_what_was_recorded_without_the_network(recorded_site):
    directory, originals, urls = recorded_site
    replay = RecordedFetcher(directory)
    for path, original in originals.items():
        assert replay.fetch(urls[path]) == original
    assert replay.fetch(urls["/tin/1.html"]).text == ARTICLE


def test_replay_answers_matching_validators_with_a_304(recorded_site):
    directory, originals, urls = recorded_site
    clock = FakeClock()
    result = RecordedFetcher(directory, clock=clock).fetch(urls["/tin/1.html"], etag='"v1"')
    assert (result.status, result.body, result.etag, result.last_modified, result.fetched_at) == (
        304, None, '"v1"', "Fri, 08 Nov 2024 02:00:00 GMT", clock.now())
    assert RecordedFetcher(directory).fetch(urls["/tin/1.html"], etag='"v0"').status == 200


def test_replay_raises_a_recorded_failure_again(recorded_site):
    directory, _, urls = recorded_site
    with pytest.raises(RetriesExhausted, match=r"/hong.html: HTTP 503; gave up after 2 attempts") as raised:
        RecordedFetcher(directory).fetch(urls["/hong.html"])
    assert (raised.value.status, raised.value.attempts) == (503, 2)


def test_replay_of_an_unrecorded_url_says_so(recorded_site):
    directory, _, urls = recorded_site
    with pytest.raises(NotRecorded, match=r"/chua-co.html: no recorded response in .*recordings"):
        RecordedFetcher(directory).fetch(urls["/chua-co.html"])


def test_a_304_does_not_replace_the_recorded_page(http_server, live, tmp_path):
    http_server.route("/tin/1.html", Reply(body=ARTICLE, headers=VALIDATORS))
    recorder = RecordingFetcher(live, tmp_path)
    first = recorder.fetch(http_server.url("/tin/1.html"))
    assert recorder.fetch(http_server.url("/tin/1.html"), etag='"v1"').status == 304
    assert RecordedFetcher(tmp_path).fetch(http_server.url("/tin/1.html")) == first


def test_a_later_failure_replaces_the_recorded_page(http_server, live, tmp_path):
    http_server.route("/tin/1.html", [Reply(body=ARTICLE), Reply(404)])
    recorder = RecordingFetcher(live, tmp_path)
    recorder.fetch(http_server.url("/tin/1.html"))
    with pytest.raises(HTTPStatusError):
        recorder.fetch(http_server.url("/tin/1.html"))
    with pytest.raises(HTTPStatusError, match="HTTP 404"):
        RecordedFetcher(tmp_path).fetch(http_server.url("/tin/1.html"))
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".json"]


def test_an_edited_body_is_refused(recorded_site):
    directory, _, urls = recorded_site
    store = ResponseStore(directory)
    (directory / f"{store.key(urls['/tin/1.html'])}.body").write_bytes(b"<p>edited</p>")
    with pytest.raises(ValueError, match="does not match the SHA-256 recorded"):
        store.load(urls["/tin/1.html"])
