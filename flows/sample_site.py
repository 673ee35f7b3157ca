"""Serve a folder as a web site on 127.0.0.1 for one run, so bundled sample pages go through the real fetch path."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

from flows.settings import NewsSource

# Feeds and sitemaps need absolute URLs; the sample files carry this placeholder for the served address.
BASE_URL_PLACEHOLDER = b"{{BASE_URL}}"
_TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".rss"}


class _SiteHandler(SimpleHTTPRequestHandler):
    """Static files with the base URL filled in, strong ETags and 304s for matching If-None-Match."""

    base_url: bytes = b""

    def send_head(self):  # noqa: D102 - http.server's hook
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404, "Not found")
            return None
        body = path.read_bytes()
        if path.suffix in _TEXT_SUFFIXES:
            body = body.replace(BASE_URL_PLACEHOLDER, self.base_url)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)

    def log_message(self, format, *args) -> None:  # noqa: A002 - http.server's signature
        """Stay quiet: the flow logs what it fetched."""


@contextmanager
def serve_directory(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (port 0: a free one) for the duration; yield its base URL."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: site folder not found")
    handler = type("Handler", (_SiteHandler,), {})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
    except OSError as error:
        raise OSError(f"cannot serve {directory} on 127.0.0.1:{port}: {error.strerror} (set site_port)") from error
    base = f"http://127.0.0.1:{server.server_address[1]}"
    handler.base_url = base.encode()
    thread = threading.Thread(target=server.serve_forever, name=f"site {directory.name}", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_site(source: NewsSource) -> Iterator[NewsSource]:
    """Serve a source's site_dir and yield the source with its start URLs pointing at the served site.

    The port is fixed (site_port) because the pages' URLs identify the articles from run to run.
    """
    with serve_directory(source.site_dir, source.site_port) as base:
        yield replace(
            source,
            start_urls=tuple(urljoin(base + "/", url.lstrip("/")) for url in source.start_urls),
            allowed_hosts=("127.0.0.1",),
            site_dir=None,
        )
