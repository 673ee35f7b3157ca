"""Scheduled loads and readers together: no overlapping writers, readers never see half a run, a killed load recovers.

Loads run as real `dkpi` processes against a real Prefect server on 127.0.0.1, as scheduled runs do.
"""

from __future__ import annotations

import csv
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from contracts.catalogue import gazetteer
from tests.support.prefect_server import PrefectServer
from warehouse import Warehouse, writing
from warehouse.connection import local_files

DKPI = Path(sys.executable).with_name("dkpi")
METRICS = (
    ("Thu ngân sách", "tỷ đồng", "có"), ("Chi ngân sách", "tỷ đồng", "có"),
    ("Giải ngân vốn đầu tư công", "tỷ đồng", "có"), ("Cấp giấy phép xây dựng", "giấy phép", "không"),
    ("Xử lý vi phạm trật tự xây dựng", "trường hợp", "không"),
)
MONTHS = 48


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = PrefectServer(tmp_path_factory.mktemp("prefect-home")).start()
    yield running
    running.stop()


def write_inbox(folder: Path, units) -> int:
    """Write one department file per unit (our own invented figures); return the number of figure rows."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = 0
    for unit in units:
        with (folder / f"{unit.id}.csv").open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["Quận/huyện", "Chỉ tiêu", "Tháng", "Giá trị", "Đơn vị tính", "Lũy kế"])
            for index, (metric, unit_word, cumulative) in enumerate(METRICS):
                for month in range(MONTHS):
                    year, number = 2021 + month // 12, month % 12 + 1
                    scale = number if cumulative == "có" else 1
                    out.writerow([unit.name, metric, f"{number:02d}/{year}", scale * (10 + index) + len(unit.name),
                                  unit_word, cumulative])
                    rows += 1
    return rows


def dkpi(server: PrefectServer, target: Path, *args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DKPI), "--warehouse", str(target), *args], env=server.env(**env), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def current(target: Path) -> list[tuple]:
    with Warehouse(target, read_only=True) as wh:
        return wh.query(
            "select obs_id, unit_id, metric, month_start, basis, value from observations"
            " where superseded_by is null order by obs_id"
        ).rows


def lock_held(target: Path) -> bool:
    with open(local_files(target).lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def wait_until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.02)


def test_two_overlapping_runs_never_write_at_once(tmp_path, server):
    units = gazetteer().units
    rows = write_inbox(tmp_path / "a", units[:10]) + write_inbox(tmp_path / "b", units[10:20])
    target = tmp_path / "w.duckdb"
    runs = [dkpi(server, target, "ingest-csv", str(tmp_path / "a")), dkpi(server, target, "ingest-csv", str(tmp_path / "b"))]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    with Warehouse(target, read_only=True) as wh:
        spans = wh.query("select flow_run_id, min(started_at), max(finished_at) from load_runs group by 1 order by 2").rows
    assert len(spans) == 2
    assert spans[0][2] <= spans[1][1]  # one run's loads all finished before the other's began
    assert len(current(target)) == rows


def test_a_run_that_will_not_wait_skips_naming_the_holder(tmp_path, server):
    write_inbox(tmp_path / "inbox", gazetteer().units[:2])
    target = tmp_path / "w.duckdb"
    config = tmp_path / "dkpi.toml"
    config.write_text("[warehouse]\nlock_wait_seconds = 0\n", encoding="utf-8")
    with writing(target, purpose="a scheduled load (test)"):
        impatient = dkpi(server, target, "ingest-csv", str(tmp_path / "inbox"), DKPI_CONFIG=str(config))
        output = impatient.communicate(timeout=300)[0]
    assert impatient.returncode == 1, output
    assert "skipped" in output and "a scheduled load (test)" in output


def test_readers_in_a_loop_never_see_half_a_run(tmp_path, server):
    units = gazetteer().units
    before = write_inbox(tmp_path / "first", units[:2])
    during = write_inbox(tmp_path / "second", units[2:30])
    target = tmp_path / "w.duckdb"
    assert dkpi(server, target, "ingest-csv", str(tmp_path / "first")).wait(timeout=300) == 0
    load = dkpi(server, target, "ingest-csv", str(tmp_path / "second"))
    seen, errors = set(), []
    while load.poll() is None:
        try:
            with Warehouse(target, read_only=True) as wh:
                seen.add(wh.query("select count(*) from observations where superseded_by is null").rows[0][0])
        except Exception as error:  # noqa: BLE001 - any error a reader meets is the failure this test looks for
            errors.append(repr(error))
    assert load.communicate()[0] is not None and load.returncode == 0
    assert errors == []
    assert seen <= {before, before + during} and before in seen
    assert len(current(target)) == before + during


def test_a_killed_load_recovers_with_nothing_lost_or_doubled(tmp_path, server):
    units = gazetteer().units
    write_inbox(tmp_path / "inbox", units[:30])
    reference = tmp_path / "reference.duckdb"
    assert dkpi(server, reference, "ingest-csv", str(tmp_path / "inbox")).wait(timeout=600) == 0

    target = tmp_path / "w.duckdb"
    doomed = dkpi(server, target, "ingest-csv", str(tmp_path / "inbox"))
    files = local_files(target)
    wait_until(lambda: lock_held(target))
    wait_until(lambda: files.private.exists() and files.private.stat().st_size > 2_000_000, timeout=300)
    os.kill(doomed.pid, signal.SIGKILL)  # mid-run: some files committed to the private file, one perhaps half-written
    doomed.wait()
    assert not lock_held(target)  # the kernel dropped the lock with the process
    assert not files.published.exists()  # nothing half-done was published

    again = dkpi(server, target, "ingest-csv", str(tmp_path / "inbox"))
    output = again.communicate(timeout=600)[0]
    assert again.returncode == 0, output
    assert current(target) == current(reference)
    with Warehouse(target, read_only=True) as wh:
        loads = wh.query(
            "select source_sha256, count(*) filter (where status = 'success') from load_runs group by 1"
        ).rows
    assert len(loads) == 30 and all(successes == 1 for _, successes in loads)
