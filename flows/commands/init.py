"""dkpi init: create or upgrade the warehouse; idempotent."""

from __future__ import annotations

from flows.commands._shared import settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("init", help="create or upgrade the warehouse (idempotent)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from contracts.catalogue import gazetteer, metric_catalogue
    from warehouse import Warehouse

    target = settings(args).warehouse
    with Warehouse(target) as wh:
        report = wh.init(units=gazetteer().units, metrics=metric_catalogue())
    applied = ", ".join(report.migrations_applied) or "none (up to date)"
    print(f"warehouse {report.target}")
    print(f"  migrations applied: {applied}")
    print(f"  reference data: {report.units} units, {report.metrics} metrics")
    print(f"  views: {', '.join(report.views)}")
    return 0
