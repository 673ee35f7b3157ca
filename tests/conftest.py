"""Fixtures shared across the test tree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.http_server import LocalServer


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """Run a scripted HTTP server on 127.0.0.1 for one test; declare answers with http_server.route(path, reply)."""
    with LocalServer() as server:
        yield server
