"""DuckLake upkeep changes history and files, never what the warehouse says now."""

from __future__ import annotations

import pytest

from contracts.catalogue import gazetteer, metric_catalogue
from flows.ingest_departments import load, read_and_parse, submission_of, validate
from flows.settings import PROJECT_DIR
from warehouse import Warehouse, WarehouseError

DEPARTMENTS = PROJECT_DIR / "samples" / "departments"


def _state(target: str) -> dict:
    with Warehouse(target, read_only=True) as wh:
        return {view: sorted(wh.query(f"select * from {view}").rows, key=repr)
                for view in ("kpi_monthly", "kpi_mom", "observations", "load_runs")}


def test_maintenance_expires_compacts_and_deletes_without_changing_the_data(lake_target):
    with Warehouse(lake_target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
    for path in sorted(DEPARTMENTS.iterdir()):
        received, parsed, _ = read_and_parse.fn(str(path))
        load.fn(lake_target, received, validate.fn(parsed), submission_of(parsed, None), parsed.notes, False)
    before = _state(lake_target)
    reader = Warehouse(lake_target, read_only=True)  # connected all along: it must keep reading
    reader.query("select count(*) from kpi_monthly")
    with Warehouse(lake_target) as wh:
        snapshots = wh.query("select count(*) from dkpi_lake.snapshots()").rows[0][0]
        dry = wh.maintain(expire_days=0, delete_after_days=0, dry_run=True)
        assert dry.snapshots_expired == snapshots - 1  # the latest snapshot is never expired
        assert wh.query("select count(*) from dkpi_lake.snapshots()").rows[0][0] == snapshots
        done = wh.maintain(expire_days=0, delete_after_days=0)
    assert done.snapshots_expired == snapshots - 1
    assert done.files_merged > done.files_created > 0 and done.files_deleted > 0
    assert _state(lake_target) == before
    assert reader.query("select count(*) from kpi_monthly").rows == [(len(before["kpi_monthly"]),)]
    reader.close()


def test_a_local_warehouse_needs_no_maintenance(warehouse_path):
    with Warehouse(warehouse_path) as wh, pytest.raises(WarehouseError, match="is a local file"):
        wh.maintain(expire_days=30, delete_after_days=7)
