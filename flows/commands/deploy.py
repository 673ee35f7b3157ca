"""dkpi deploy: register the scheduled deployments to a Prefect work pool, for `prefect worker start --pool NAME`."""

from __future__ import annotations

from flows.commands._shared import UserError, require_prefect_api, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "deploy",
        help="register the scheduled deployments to a work pool run by `prefect worker start`",
        description="Register dkpi-news, dkpi-departments and dkpi-rebuild (the deployments of `dkpi serve`, same "
        "schedules) with the Prefect server at PREFECT_API_URL, to a `process` work pool (created when missing). "
        "Then start workers on any machine with this project at the same path: "
        "`.venv/bin/prefect worker start --pool NAME`. Several workers share the runs; with a DuckLake warehouse "
        "their loads run side by side.",
    )
    parser.add_argument("--pool", required=True, help="work pool name, e.g. dkpi")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="runs of one deployment at a time (default 1; more only pays with a DuckLake warehouse)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    require_prefect_api()
    if args.concurrency < 1:
        raise UserError("--concurrency must be at least 1")
    from prefect import deploy

    from flows.deployments import deployments

    ensure_process_pool(args.pool)
    config = settings(args)
    ids = deploy(*deployments(config, pool=args.pool, concurrency=args.concurrency), work_pool_name=args.pool,
                 build=False, push=False, print_next_steps_message=False)
    print(f"{len(ids)} deployment(s) registered to work pool {args.pool!r}; start workers with:")
    print(f"  .venv/bin/prefect worker start --pool {args.pool}")
    return 0


def ensure_process_pool(name: str) -> None:
    """Create a `process` work pool of this name unless it exists."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
