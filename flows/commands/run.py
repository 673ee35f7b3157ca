"""dkpi run: ingest everything the configuration lists (what the scheduled runs do)."""

from __future__ import annotations

from flows.commands._shared import UserError, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="ingest every configured source (dkpi.toml)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from flows.commands.ingest_csv import ingest

    config = settings(args)
    if not config.department_inbox:
        raise UserError(f"no [departments] inbox configured in {config.config_path or 'dkpi.toml'}")
    missing = [str(p) for p in config.department_inbox if not p.exists()]
    if missing:
        raise UserError(f"configured inbox not found: {', '.join(missing)} (in {config.config_path})")
    return ingest([str(p) for p in config.department_inbox], config.warehouse, lock_wait=config.lock_wait_seconds)
