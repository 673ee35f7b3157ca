"""A throwaway PostgreSQL server (Debian's package) on 127.0.0.1, run as a non-root user, for DuckLake tests.

PostgreSQL refuses to run as root, and the tests do run as root on CI: then the server runs as the `postgres`
user (created by Debian's package) through `runuser`, in a data folder that user owns. Trust authentication on a
loopback port of our own: nothing outside this machine can reach it and it lives only for the test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.prefect_server import free_port

USER = "dkpi"
BIN_DIRS = ("/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here: the DuckLake tests skip (or fail under DKPI_REQUIRE_POSTGRES=1)."""


def _binary(name: str) -> str:
    for directory in BIN_DIRS:
        if (Path(directory) / name).exists():
            return str(Path(directory) / name)
    found = shutil.which(name)
    if not found:
        raise PostgresUnavailable(f"{name} not found: install Debian's postgresql package")
    return found


class PostgresServer:
    """`initdb` + `pg_ctl start` in a temporary folder; `conninfo(dbname)` is what libpq (and DuckDB) connect with."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="dkpi-postgres-"))
        self.data = self.folder / "data"
        self._as_postgres = os.geteuid() == 0

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        return subprocess.run([*prefix, *command], check=check, capture_output=True, text=True, stdin=subprocess.DEVNULL)

    def start(self, timeout: float = 60) -> PostgresServer:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if self._as_postgres:
            shutil.chown(self.folder, "postgres")
            self.folder.chmod(0o700)
        self._run(initdb, "-D", str(self.data), "-U", USER, "--auth=trust", "--encoding=UTF8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.folder} -c fsync=off"
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options,
                  "-w", "-t", str(int(timeout)), "start")
        return self

    def create_database(self, name: str) -> str:
        """Create a database and return its conninfo."""
        self._run(_binary("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, name)
        return self.conninfo(name)

    def conninfo(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={USER} dbname={dbname}"

    def stop(self) -> None:
        if self.data.exists():
            self._run(_binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
