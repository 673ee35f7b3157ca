"""dkpi serve against a real Prefect server on 127.0.0.1: deployments registered with their schedules, one run by hand."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.settings import PROJECT_DIR
from tests.support.prefect_server import PrefectServer, free_port
from warehouse import Warehouse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "departments"


@pytest.fixture
def server(tmp_path):
    running = PrefectServer(tmp_path / "prefect-home").start()
    yield running
    running.stop()


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise TimeoutError(f"gave up waiting for {what}")


def test_serve_registers_schedules_and_runs_a_deployment(tmp_path, server):
    config = tmp_path / "dkpi.toml"
    config.write_text(
        f'[warehouse]\npath = "served.duckdb"\n[departments]\ninbox = ["{FIXTURES / "tay_ho_mixed.csv"}"]\n'
        f'[[news.sources]]\nname = "sample"\nsite_dir = "{PROJECT_DIR / "samples/news_site/site"}"\n'
        f'site_port = {free_port()}\nstart_urls = ["/rss.xml"]\nrate_limit = 500.0\n'
        '[schedules]\ntimezone = "Asia/Ho_Chi_Minh"\nnews = "15 */4 * * *"\ndepartments = "30 6 * * *"\n'
        'rebuild = "0 2 1 * *"\n[report]\nout = "reports/kpi.html"\n',
        encoding="utf-8",
    )
    dkpi = Path(sys.executable).with_name("dkpi")
    serving = subprocess.Popen(
        [str(dkpi), "serve"], env=server.env(DKPI_CONFIG=str(config)), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def deployment(flow: str, name: str):
            answer = server.get(f"/deployments/name/{flow}/{name}")
            return answer.json() if answer.ok else None

        departments = wait_for(lambda: deployment("scheduled-departments", "dkpi-departments"), 120, "deployments")
        news = wait_for(lambda: deployment("scheduled-news", "dkpi-news"), 30, "the news deployment")
        rebuild = wait_for(lambda: deployment("monthly-rebuild", "dkpi-rebuild"), 30, "the rebuild deployment")
        for registered, cron in ((departments, "30 6 * * *"), (news, "15 */4 * * *"), (rebuild, "0 2 1 * *")):
            [schedule] = registered["schedules"]
            assert schedule["schedule"]["cron"] == cron
            assert schedule["schedule"]["timezone"] == "Asia/Ho_Chi_Minh"
            assert schedule["active"]

        run = server.post(f"/deployments/{departments['id']}/create_flow_run", {"parameters": {"config": str(config)}})
        run.raise_for_status()
        run_id = run.json()["id"]

        def finished():
            state = server.get(f"/flow_runs/{run_id}").json()["state"]
            return state if state and state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

        state = wait_for(finished, 240, "the triggered flow run")
        assert state["type"] == "COMPLETED", state
        with Warehouse(tmp_path / "served.duckdb", read_only=True) as wh:
            assert wh.query("select count(*) from observations").rows[0][0] == 4
            [(load_run,)] = wh.query("select flow_run_id from load_runs").rows
        assert "Tây Hồ" in (tmp_path / "reports" / "kpi.html").read_text(encoding="utf-8")  # written after the load
        # The load was recorded by ingest_departments, a subflow of the run we triggered.
        subflow = server.get(f"/flow_runs/{load_run}").json()
        parent = server.get(f"/task_runs/{subflow['parent_task_run_id']}").json()
        assert parent["flow_run_id"] == run_id
    finally:
        serving.terminate()
        serving.wait(timeout=30)


def test_deploy_to_a_work_pool_whose_workers_load_into_ducklake_side_by_side(tmp_path, server, lake_target):
    """`dkpi deploy --pool` then two `prefect worker start --pool`: the department and news runs, triggered together,
    are picked up by the workers and both load into the same DuckLake."""
    config = tmp_path / "dkpi.toml"
    config.write_text(
        f'[warehouse]\npath = "{lake_target}"\n[departments]\ninbox = ["{FIXTURES / "tay_ho_mixed.csv"}"]\n'
        f'[[news.sources]]\nname = "sample"\nsite_dir = "{PROJECT_DIR / "samples/news_site/site"}"\n'
        f'site_port = {free_port()}\nstart_urls = ["/rss.xml"]\nrate_limit = 500.0\n',
        encoding="utf-8",
    )
    env = server.env(DKPI_CONFIG=str(config))
    bin_dir = Path(sys.executable).parent
    deployed = subprocess.run([str(bin_dir / "dkpi"), "deploy", "--pool", "dkpi-test", "--concurrency", "2"], env=env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=180)
    assert deployed.returncode == 0, deployed.stderr[-3000:]
    assert server.get("/work_pools/dkpi-test").json()["type"] == "process"
    workers = [
        subprocess.Popen([str(bin_dir / "prefect"), "worker", "start", "--pool", "dkpi-test", "--name", f"w{n}"],
                         env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for n in (1, 2)
    ]
    try:
        runs = []
        for flow, name in (("scheduled-departments", "dkpi-departments"), ("scheduled-news", "dkpi-news")):
            deployment = server.get(f"/deployments/name/{flow}/{name}").json()
            assert deployment["work_pool_name"] == "dkpi-test"
            run = server.post(f"/deployments/{deployment['id']}/create_flow_run", {"parameters": {"config": str(config)}})
            run.raise_for_status()
            runs.append(run.json()["id"])

        def finished():
            states = [server.get(f"/flow_runs/{run_id}").json()["state"] for run_id in runs]
            done = all(s and s["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") for s in states)
            return states if done else None

        states = wait_for(finished, 300, "the runs on the workers")
        assert [state["type"] for state in states] == ["COMPLETED", "COMPLETED"], states
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
    with Warehouse(lake_target, read_only=True) as wh:
        assert wh.query("select source_kind, count(*) > 0 from observations group by 1 order by 1").rows == [
            ("department", True), ("news", True)]
