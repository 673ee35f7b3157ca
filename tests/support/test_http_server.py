import http.client

import requests

from tests.support.http_server import HOST, Reply


def get(server, path, **headers):
    return requests.get(server.url(path), headers=headers, timeout=2)


def test_sequence_routes_answer_in_turn_and_repeat_the_last(http_server):
    http_server.route("/flaky", [Reply(500), Reply(body="ok")])
    assert [get(http_server, "/flaky").status_code for _ in range(3)] == [500, 200, 200]


def test_callable_routes_see_the_request(http_server):
    http_server.route("/echo", lambda request: Reply(body=request.headers["user-agent"], content_type="text/plain"))
    assert get(http_server, "/echo", **{"User-Agent": "district-kpi/0.1"}).text == "district-kpi/0.1"


def test_path_with_query_is_matched_before_the_bare_path(http_server):
    http_server.route("/tin", Reply(body="page 1"))
    http_server.route("/tin?page=2", Reply(body="page 2"))
    assert [get(http_server, path).text for path in ("/tin", "/tin?page=2", "/tin?page=3")] == ["page 1", "page 2", "page 1"]


def test_unrouted_paths_are_404(http_server):
    assert get(http_server, "/robots.txt").status_code == 404


def test_directory_files_are_served_with_validators_and_304s(http_server, tmp_path):
    (tmp_path / "tin").mkdir()
    (tmp_path / "index.html").write_text("<a href='/tin/1.html'>Thanh Xuân</a>", encoding="utf-8")
    (tmp_path / "feed.rss").write_text("<rss/>", encoding="utf-8")
    http_server.serve_directory(tmp_path)
    home = get(http_server, "/")
    assert (home.status_code, home.headers["Content-Type"], home.content) == (
        200, "text/html", "<a href='/tin/1.html'>Thanh Xuân</a>".encode())
    assert get(http_server, "/feed.rss").headers["Content-Type"] == "application/rss+xml"
    again = get(http_server, "/", **{"If-None-Match": home.headers["ETag"]})
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", home.headers["ETag"])
    since = get(http_server, "/", **{"If-Modified-Since": home.headers["Last-Modified"]})
    assert since.status_code == 304


def test_directory_serving_stays_inside_the_directory(http_server, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    http_server.serve_directory(tmp_path / "site")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt"):
        connection = http.client.HTTPConnection(HOST, http_server.port, timeout=2)
        connection.request("GET", path)  # http.client sends the path as is, dot segments included
        assert connection.getresponse().status == 404
        connection.close()


def test_directory_paths_are_percent_decoded(http_server, tmp_path):
    (tmp_path / "thanh-xuân.html").write_text("<p>Thanh Xuân</p>", encoding="utf-8")
    http_server.serve_directory(tmp_path)
    assert get(http_server, "/thanh-xu%C3%A2n.html").content == "<p>Thanh Xuân</p>".encode()
