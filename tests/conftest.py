"""Shared fixtures: a fresh warehouse per test, one Prefect test harness per session (it takes ~14 s),
a scripted HTTP server on 127.0.0.1, one headless Chromium per session, one PostgreSQL server per session for
the DuckLake warehouse."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from tests.support.browser import chromium_context
from tests.support.http_server import LocalServer
from tests.support.postgres import PostgresServer, PostgresUnavailable
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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server (Debian's package, run as a non-root user) for the session, stopped at its end.

    Skipped when PostgreSQL is not installed, unless DKPI_REQUIRE_POSTGRES=1 (set by .ci/run once it installed it).
    """
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as missing:
        if os.environ.get("DKPI_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"DKPI_REQUIRE_POSTGRES=1 but {missing}")
        pytest.skip(str(missing))
    yield server
    server.stop()


_lakes = itertools.count(1)


@pytest.fixture
def lake_target(postgres, tmp_path) -> str:
    """A DuckLake warehouse of the test's own: a fresh catalog database and a data folder (not yet initialised)."""
    conninfo = postgres.create_database(f"lake_{os.getpid()}_{next(_lakes)}")
    return f"ducklake:postgres:{conninfo} data_path={tmp_path / 'lake'}"
