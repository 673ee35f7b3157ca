"""The single-writer / published-snapshot design: readers never wait and never see half a run."""

import subprocess
import sys
import textwrap
import time

import pytest

from warehouse import Warehouse, WarehouseBusy, writing
from warehouse.connection import local_files


def count(path):
    with Warehouse(path, read_only=True) as reader:
        return reader.query("select count(*) from t").rows[0][0]


def test_readers_see_the_last_published_snapshot_until_the_session_ends(tmp_path):
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("create table t (a int)")
    with writing(path):
        with Warehouse(path) as wh:
            wh.con.execute("insert into t values (1)")
        assert count(path) == 0  # the run is not over: readers keep the old snapshot
        with Warehouse(path) as wh:
            wh.con.execute("insert into t values (2)")
    assert count(path) == 2


def test_a_failed_session_publishes_nothing_and_the_next_one_publishes_all(tmp_path):
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("create table t (a int)")
    with pytest.raises(RuntimeError), writing(path):
        with Warehouse(path) as wh:
            wh.con.execute("insert into t values (1)")
        raise RuntimeError("the run failed after a committed file")
    assert count(path) == 0
    with Warehouse(path):
        pass
    assert count(path) == 1


def test_a_reader_can_stay_open_across_a_publish(tmp_path):
    path = tmp_path / "w.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("create table t as select 1 as a")
    with Warehouse(path, read_only=True) as reader:
        with Warehouse(path) as wh:
            wh.con.execute("insert into t values (2)")
        assert reader.query("select count(*) from t").rows == [(1,)]  # its own consistent view
    assert count(path) == 2


def _hold_lock_script(path, seconds):
    return textwrap.dedent(
        f"""
        import time
        from warehouse import writing
        with writing({str(path)!r}, purpose="test holder"):
            print("locked", flush=True)
            time.sleep({seconds})
        """
    )


def test_second_writer_waits_then_gives_up_naming_the_holder(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", _hold_lock_script(path, 30)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match="test holder"):
            with writing(path, wait=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_writer_leaves_no_lock_behind(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", _hold_lock_script(path, 60)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()  # SIGKILL: no cleanup code runs
    holder.wait()
    with writing(path, wait=2):
        assert local_files(path).lock.exists()


def test_writing_without_a_session_is_refused(tmp_path):
    from warehouse.connection import WarehouseError, connect

    with pytest.raises(WarehouseError, match="writer session"):
        connect(tmp_path / "w.duckdb")
