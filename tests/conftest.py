"""Shared fixtures: a fresh warehouse per test, one Prefect test harness per session (it takes ~14 s),
a scripted HTTP server on 127.0.0.1, one headless Chromium per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from tests.support.browser import chromium_context
from tests.support.http_server import LocalServer
from warehouse import Warehouse


@pytest.fixture(scope="session")
def prefect_harness():
    """Run flows against a temporary Prefect API, entered once for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def initialised_warehouse(tmp_path_factory):
    """Initialise one warehouse file per session; tests get copies (an init takes ~0.5 s, a copy ~1 ms)."""
    path = tmp_path_factory.mktemp("template") / "initialised.duckdb"
    with Warehouse(path) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
    return path


@pytest.fixture
def warehouse_path(tmp_path, initialised_warehouse):
    """Return the path of an initialised, empty warehouse file of the test's own."""
    path = tmp_path / "test.duckdb"
    shutil.copyfile(initialised_warehouse, path)
    return path


@pytest.fixture
def wh(warehouse_path):
    """Yield an open, initialised warehouse."""
    with Warehouse(warehouse_path) as opened:
        yield opened


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """Run a scripted HTTP server on 127.0.0.1 for one test; declare answers with http_server.route(path, reply)."""
    with LocalServer() as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (Debian's package, driven by Playwright) for the session; skipped when not installed."""
    yield from chromium_context()
