"""A scripted HTTP/1.1 server on 127.0.0.1 for tests: canned replies per path, faults on demand, static directories.

    server.route("/feed.rss", Reply(body=rss, content_type="application/rss+xml"))
    server.route("/flaky", [Reply(500), Reply(body="ok")])        # a sequence: one reply per hit, the last repeats
    server.route("/echo", lambda request: Reply(body=request.path))  # a callable sees the request
    server.serve_directory(tmp_path / "site")                        # any other path: a file, with ETag/Last-Modified
    server.route("/hook", Reply(body="ok"))                          # a POST is answered the same way; its body is kept

A 200 reply carrying an ETag or Last-Modified header is answered 304 when the request's validators match it,
as a real server would. Every request is logged in server.requests.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".json": "application/json",
    ".pdf": "application/pdf",
}


@dataclass(frozen=True)
class Reply:
    """One canned answer, or a fault: a delay, a dropped connection, a body cut short."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering, to trip read timeouts
    reset: bool = False  # drop the connection (TCP RST) instead of answering
    truncate: int | None = None  # send the headers and this many body bytes, then drop the connection
    chunked: bool = False  # stream the body chunked, without Content-Length

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        """Return a redirect to a location."""
        return cls(status, content_type=None, headers={"Location": location})

    @property
    def payload(self) -> bytes:
        """Return the body as bytes, a str encoded as UTF-8."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    headers: Mapping[str, str]  # names in lower case
    at: float  # time.monotonic() on arrival
    client_port: int  # the same port for requests over one kept-alive connection
    body: bytes = b""  # what a POST sent

    def json(self):
        """Return the body parsed as JSON."""
        return json.loads(self.body)


Route = Reply | Sequence[Reply] | Callable[[Request], Reply]


class LocalServer:
    """Serve routes and an optional directory on a free port of 127.0.0.1 until stopped."""

    def __init__(self, routes: Mapping[str, Route] | None = None, directory: Path | None = None):
        self.routes: dict[str, Route] = dict(routes or {})
        self.directory = directory
        self.requests: list[Request] = []
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        assert self._httpd is not None, "the server is not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """Return 'http://127.0.0.1:<port>'."""
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        """Return the absolute URL of a path on this server."""
        return self.base_url + path

    def route(self, path: str, route: Route) -> None:
        """Answer a path (or 'path?query', matched first) with a reply, a sequence of replies, or a callable."""
        with self._lock:
            self.routes[path] = route
            self._hits.pop(path, None)

    def serve_directory(self, directory: Path) -> None:
        """Serve files under a directory for paths without a route; '/' and '/x/' serve index.html."""
        self.directory = directory

    def hits(self, path: str) -> int:
        """Return how many requests asked for the path (query ignored)."""
        return sum(1 for request in self.requests if urlsplit(request.path).path == path)

    def start(self) -> LocalServer:
        """Bind a free port and serve in a background thread."""
        self._httpd = _Server((HOST, 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut delayed replies short, drop kept-alive connections, and release the port."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    def track(self, connection: socket.socket, is_open: bool) -> None:
        """Note a client connection opening or closing, so stop() can drop the open ones as a dead server would."""
        with self._lock:
            (self._connections.add if is_open else self._connections.discard)(connection)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait(self, seconds: float) -> None:
        """Sleep in a handler, returning early when the server stops."""
        self._stopping.wait(seconds)

    def answer(self, request: Request) -> Reply:
        """Log the request and choose its reply: route, then directory file, then 404; then apply validators."""
        with self._lock:
            self.requests.append(request)
            reply = self._routed(request)
        if reply is None:
            reply = self._file(unquote(urlsplit(request.path).path))
        return _conditional(request, reply)

    def _routed(self, request: Request) -> Reply | None:
        """Return the routed reply for a request, advancing a sequence route; None without a route."""
        path = request.path if request.path in self.routes else urlsplit(request.path).path
        route = self.routes.get(path)
        if route is None or isinstance(route, Reply):
            return route
        if callable(route):
            return route(request)
        served = self._hits.get(path, 0)
        self._hits[path] = served + 1
        return route[min(served, len(route) - 1)]

    def _file(self, path: str) -> Reply:
        """Return a file under the served directory, with validators, or a 404."""
        if self.directory is None:
            return Reply(404, "not found", "text/plain")
        root = self.directory.resolve()
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file() or not target.is_relative_to(root):
            return Reply(404, "not found", "text/plain")
        body = target.read_bytes()
        validators = {
            "ETag": '"' + hashlib.sha256(body).hexdigest()[:16] + '"',
            "Last-Modified": formatdate(target.stat().st_mtime, usegmt=True),
        }
        return Reply(200, body, CONTENT_TYPES.get(target.suffix, "application/octet-stream"), validators)


def _conditional(request: Request, reply: Reply) -> Reply:
    """Turn a 200 into a 304 when the request's validators match its own; If-None-Match decides alone when sent."""
    headers = {name.lower(): value for name, value in reply.headers.items()}
    sent_etag, sent_modified = request.headers.get("if-none-match"), request.headers.get("if-modified-since")
    if sent_etag is not None:
        fresh = sent_etag in (headers.get("etag"), "*")
    else:
        fresh = sent_modified is not None and sent_modified == headers.get("last-modified")
    if reply.status != 200 or not fresh:
        return reply
    validators = {name: value for name, value in reply.headers.items() if name.lower() in ("etag", "last-modified")}
    return Reply(304, content_type=None, headers=validators)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request, client_address) -> None:
        # Clients that time out or hang up make the handler's writes fail; that is the scenario, not a bug.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes; Nagle would hold the body 40 ms
    timeout = 5  # end idle kept-alive connections so handler threads do not outlive the test by much
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.owner.track(self.connection, is_open=True)

    def finish(self) -> None:
        self.server.owner.track(self.connection, is_open=False)
        super().finish()

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self._serve(send_body=True, body=self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _serve(self, send_body: bool, body: bytes = b"") -> None:
        request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                          time.monotonic(), self.client_address[1], body)
        reply = self.server.owner.answer(request)
        if reply.delay:
            self.server.owner.wait(reply.delay)
        if reply.reset:
            self._reset()
            return
        body = reply.payload
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif not any(name.lower() == "content-length" for name in reply.headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body:
            return
        if reply.truncate is not None:
            self.wfile.write(body[: reply.truncate])
            self.wfile.flush()
            self._reset()
        elif reply.chunked:
            self._write_chunked(body)
        else:
            self.wfile.write(body)

    def _write_chunked(self, body: bytes, size: int = 1024) -> None:
        for start in range(0, len(body), size):
            piece = body[start : start + size]
            self.wfile.write(f"{len(piece):X}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _reset(self) -> None:
        """Abort the connection with a TCP RST, as a crashing server or a middlebox would."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True
