"""The DuckLake warehouse (catalog in PostgreSQL, Parquet data files) against the local file.

Loads run as real `dkpi` processes against a real Prefect server, two at a time on the same inputs, and must give
exactly the KPI views the local file gives when the same inputs are loaded one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from flows.sample_site import serve_directory
from flows.settings import PROJECT_DIR
from tests.support.prefect_server import PrefectServer, free_port
from warehouse import Warehouse, WarehouseError
from warehouse.lake import lake_target

DKPI = Path(sys.executable).with_name("dkpi")
DEPARTMENTS = PROJECT_DIR / "samples" / "departments"
SITE = PROJECT_DIR / "samples" / "news_site" / "site"
# Columns that name a load or its clock: they differ between any two runs, local or not.
RUN_COLUMNS = {"load_id", "loaded_at", "superseded_at", "superseded_by"}


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    running = PrefectServer(tmp_path_factory.mktemp("prefect-home")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def news_config(tmp_path_factory):
    """A config whose one news source is the sample site, served here once so every loader fetches the same URLs."""
    folder = tmp_path_factory.mktemp("config")
    with serve_directory(SITE) as base:
        config = folder / "dkpi.toml"
        config.write_text(
            f'[[news.sources]]\nname = "sample"\nstart_urls = ["{base}/rss.xml", "{base}/sitemap.xml"]\n'
            'allowed_hosts = ["127.0.0.1"]\nrate_limit = 500.0\n',
            encoding="utf-8",
        )
        yield config


def dkpi(server: PrefectServer, target: str, config: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DKPI), "--warehouse", target, *args], env=server.env(DKPI_CONFIG=str(config)),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def finish(*processes: subprocess.Popen) -> None:
    for process in processes:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output[-3000:]


def kpi_views(target: str) -> dict[str, list[tuple]]:
    """Every kpi_* view's (or materialized table's) rows, sorted, without the columns that name a load or its time."""
    with Warehouse(target, read_only=True) as wh:
        views = [name for (name,) in wh.query(
            "select view_name from duckdb_views() where view_name like 'kpi_%' and not internal"
            " union select table_name from duckdb_tables() where table_name like 'kpi_%' order by 1").rows]
        assert {"kpi_monthly", "kpi_mom", "kpi_lineage"} <= set(views)
        rows = {}
        for view in views:
            columns = [c for c in wh.query(f"select * from {view} limit 0").columns if c not in RUN_COLUMNS]
            rows[view] = sorted(wh.query(f"select {', '.join(columns)} from {view}").rows, key=repr)
        return rows


def test_migrations_are_idempotent_and_give_the_local_schema(lake_target, warehouse_path):
    catalogue = {"units": gazetteer().units, "metrics": metric_catalogue()}
    with Warehouse(lake_target) as wh:
        first = wh.init(**catalogue)
        second = wh.init(**catalogue)
        snapshots = wh.query("select count(*) from dkpi_lake.snapshots()").rows[0][0]
        wh.init(**catalogue)
        assert wh.query("select count(*) from dkpi_lake.snapshots()").rows[0][0] == snapshots + 1  # the views only
        recorded = wh.query("select version, name, checksum from schema_migrations order by version").rows
    assert first.migrations_applied and second.migrations_applied == []
    assert first.views == second.views
    schema = "select table_name, column_name, data_type from information_schema.columns where table_schema = 'main'"
    with Warehouse(warehouse_path, read_only=True) as local:
        assert recorded == local.query("select version, name, checksum from schema_migrations order by version").rows
        local_schema = sorted(local.query(schema).rows)
    with Warehouse(lake_target, read_only=True) as lake:
        assert sorted(lake.query(schema).rows) == local_schema
        assert lake.query("select count(*) from dim_unit").rows == [(len(catalogue["units"]),)]


def test_two_concurrent_loaders_give_the_local_views(tmp_path, lake_target, prefect_server, news_config):
    local = str(tmp_path / "local.duckdb")
    finish(dkpi(prefect_server, local, news_config, "ingest-csv", str(DEPARTMENTS)))
    finish(dkpi(prefect_server, local, news_config, "ingest-news"))
    # Both loaders get every file and every page at once: each must be loaded by one of them, once.
    finish(*(dkpi(prefect_server, lake_target, news_config, "ingest-csv", str(DEPARTMENTS)) for _ in range(2)))
    finish(*(dkpi(prefect_server, lake_target, news_config, "ingest-news") for _ in range(2)))

    expected = kpi_views(local)
    assert sum(map(len, expected.values())) > 1000
    assert kpi_views(lake_target) == expected
    once = (
        "select count(*), count(distinct source_sha256) from load_runs"
        " where status = 'success' and flow = 'ingest_departments'"
    )
    current = "select count(*), count(distinct obs_id) from observations where superseded_by is null"
    with Warehouse(lake_target, read_only=True) as lake, Warehouse(local, read_only=True) as file:
        assert lake.query(once).rows == file.query(once).rows == [(5, 5)]
        assert lake.query(current).rows == file.query(current).rows
        assert lake.query("select count(*) from news_articles").rows == file.query("select count(*) from news_articles").rows
        # the checks ran after every load in both: what is still open at the end is the same
        open_alerts = ("select check_name, district, metric, period, subject, severity, message from dq_alerts"
                       " where status = 'open' order by all")
        assert lake.query(open_alerts).rows == file.query(open_alerts).rows


def _load_sample(target: str, name: str, start, hang_at: str | None = None) -> str:
    """Load one sample file in this process, from the same moment as the others.

    With `hang_at` (a path) the load stops for good just before its commit, having written its rows, and says so by
    creating that file.
    """
    from flows.ingest_departments import load, read_and_parse, submission_of, validate
    from warehouse import loads

    received, parsed, _ = read_and_parse.fn(str(DEPARTMENTS / name) if "/" not in name else name)
    validated = validate.fn(parsed)
    if hang_at:
        loads.record_run = lambda *args, **kwargs: (Path(hang_at).touch(), time.sleep(3600))
    start.wait()
    return load.fn(target, received, validated, submission_of(parsed, None), parsed.notes, False).status


def _initialised(target: str) -> str:
    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
    return target


def _attach_then_init(target: str, start) -> int:
    start.wait()
    with Warehouse(target) as wh:
        return wh.init(units=gazetteer().units, metrics=metric_catalogue()).units


def test_writers_meeting_a_new_catalog_at_the_same_moment_all_attach_it(lake_target):
    # each writer creates the catalog when it finds none; PostgreSQL fails all but one of those CREATE TABLEs
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(3) as pool:
        start = manager.Event()
        pending = [pool.apply_async(_attach_then_init, (lake_target, start)) for _ in range(3)]
        time.sleep(4)  # every process has imported what it needs: they attach together
        start.set()
        assert [result.get(timeout=180) for result in pending] == [len(gazetteer().units)] * 3
    with Warehouse(lake_target, read_only=True) as wh:
        assert wh.query("select count(*) from dim_unit").rows == [(len(gazetteer().units),)]


def test_the_same_file_given_to_loaders_at_the_same_moment_is_loaded_once(lake_target):
    target = _initialised(lake_target)
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(3) as pool:
        start = manager.Event()
        pending = [pool.apply_async(_load_sample, (target, "cau_giay_bao_cao_thang_2024-2025.csv", start))
                   for _ in range(3)]
        time.sleep(8)  # every process has parsed and validated: they load together
        start.set()
        statuses = sorted(result.get(timeout=120) for result in pending)
    assert statuses == ["success", "unchanged", "unchanged"]
    with Warehouse(target, read_only=True) as wh:
        assert wh.query("select count(*), count(distinct obs_id) from observations").rows == [(69, 69)]
        assert wh.query("select count(*) from raw_files").rows == [(1,)]


def test_two_versions_of_a_submission_loaded_at_the_same_moment_leave_one_current_figure_per_key(lake_target, tmp_path):
    target = _initialised(lake_target)
    original = DEPARTMENTS / "cau_giay_bao_cao_thang_2024-2025.csv"
    corrections = []
    for number in (1, 2):  # two versions of one submission, January's revenue different in each
        text = original.read_text(encoding="utf-8").replace("2024-01,764.560,", f"2024-01,76{number}.000,")
        corrections.append(tmp_path / f"{number}" / original.name)
        corrections[-1].parent.mkdir()
        corrections[-1].write_text(text, encoding="utf-8")
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, context.Pool(2) as pool:
        start = manager.Event()
        pending = [pool.apply_async(_load_sample, (target, str(path), start)) for path in corrections]
        time.sleep(8)
        start.set()
        assert [result.get(timeout=120) for result in pending] == ["success", "success"]
    with Warehouse(target, read_only=True) as wh:
        [(current, keys, files)] = wh.query(
            "select count(*), count(distinct (unit_id, metric, month_start, basis, as_of)),"
            " count(distinct source_sha256) from observations where superseded_by is null"
        ).rows
        assert current == keys == 69 and files == 1  # the file committed last replaced the other's rows
        assert wh.query("select count(*) from observations").rows == [(2 * 69,)]


def test_a_killed_loader_leaves_nothing_and_no_lock(lake_target, tmp_path):
    target = _initialised(lake_target)
    context = multiprocessing.get_context("spawn")
    name, marker = "thanh_xuan_tai_chinh_2024-2025.csv", tmp_path / "written"
    with context.Manager() as manager:
        start = manager.Event()
        start.set()
        hung = context.Process(target=_load_sample, args=(target, name, start, str(marker)))
        hung.start()
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists() and _advisory_locks(target) > 0, "the loader never reached its commit"
        os.kill(hung.pid, signal.SIGKILL)
        hung.join()
        with Warehouse(target, read_only=True) as wh:
            for table in ("observations", "raw_files", "load_runs", "quarantine"):
                assert wh.query(f"select count(*) from {table}").rows == [(0,)], table
        with context.Pool(1) as pool:
            assert pool.apply(_load_sample, (target, name, start)) == "success"  # nothing waits for the dead one


def _advisory_locks(target: str) -> int:
    with Warehouse(target) as wh:
        return wh.query(
            "select * from postgres_query('dkpi_locks', 'select count(*) from pg_locks where locktype = ''advisory''')"
        ).rows[0][0]


def test_unreachable_postgres_names_the_target_without_its_password(postgres):
    target = (f"ducklake:postgres:host=127.0.0.1 port={free_port()} user=dkpi password=s3cret dbname=nowhere "
              "data_path=/tmp/nowhere")
    with pytest.raises(WarehouseError) as raised:
        Warehouse(target)
    message = str(raised.value)
    assert "cannot reach the PostgreSQL catalog" in message and "dbname=nowhere" in message
    assert "s3cret" not in message and "password=***" in message


def test_a_new_catalog_without_a_data_path_is_refused_clearly(postgres):
    conninfo = postgres.create_database(f"no_data_path_{os.getpid()}")
    with pytest.raises(WarehouseError, match="no DuckLake catalog yet and no data path.*DKPI_DUCKLAKE_DATA_PATH"):
        Warehouse(f"ducklake:postgres:{conninfo}")
    with pytest.raises(WarehouseError, match="run `dkpi init` first"):
        Warehouse(f"ducklake:postgres:{conninfo}", read_only=True)


def test_an_object_store_data_path_without_httpfs_says_what_to_install():
    with pytest.raises(WarehouseError, match="object store.*duckdb-extension-httpfs==1.5.5"):
        Warehouse("ducklake:postgres:host=127.0.0.1 dbname=x data_path=s3://bucket/dkpi/")


@pytest.mark.parametrize(
    ("target", "conninfo", "data_path"),
    [
        ("ducklake:postgres:dbname=dkpi host=db", {"dbname": "dkpi", "host": "db"}, None),
        ("ducklake:postgres:host=db dbname=dkpi data_path=/srv/lake", {"host": "db", "dbname": "dkpi"}, "/srv/lake"),
        ("ducklake:postgres:host=db data_path='/srv/my lake/'", {"host": "db"}, "/srv/my lake/"),
        ("ducklake:postgres:host=db data_path=s3://bucket/dkpi/", {"host": "db"}, "s3://bucket/dkpi/"),
    ],
)
def test_lake_targets_are_parsed(target, conninfo, data_path):
    parsed = lake_target(target)
    assert (parsed.conninfo, parsed.data_path) == (conninfo, data_path)
    assert lake_target(str(parsed)) == parsed


def test_a_local_path_is_not_a_lake_target():
    assert lake_target("warehouse/dkpi.duckdb") is None
