"""dkpi serve: register the scheduled deployments with the Prefect server and run them as they come due."""

from __future__ import annotations

from flows.commands._shared import require_prefect_api, settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the schedules (news, departments, monthly rebuild) against a Prefect server",
        description="Register the deployments dkpi-news, dkpi-departments and dkpi-rebuild with the Prefect "
        "server at PREFECT_API_URL (cron schedules in [schedules] of dkpi.toml, Asia/Ho_Chi_Minh time) and "
        "run their flow runs in this process until stopped (Ctrl-C). Schedules stay active when it stops.",
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    require_prefect_api()
    from prefect import serve

    from flows.deployments import deployments

    config = settings(args)
    serve(*deployments(config), pause_on_shutdown=False)
    return 0
