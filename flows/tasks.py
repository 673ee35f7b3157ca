"""Tasks every flow shares."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from contracts.catalogue import gazetteer, metric_catalogue
from warehouse import Warehouse


@task(cache_policy=NONE)
def prepare_warehouse(target: str) -> None:
    """Create or upgrade the warehouse schema and views before loading (idempotent)."""
    with Warehouse(target) as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
