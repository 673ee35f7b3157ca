"""A real Prefect server on 127.0.0.1 in a subprocess, with its own home folder, for tests of deployments."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


RETRYABLE_STATUSES = {429, 502, 503}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrefectServer:
    """`prefect server start` on a free port; `api_url` is what clients export as PREFECT_API_URL."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = None

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for processes that talk to this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        return {
            **env, "PREFECT_HOME": str(self.home), "PREFECT_API_URL": self.api_url,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO", **extra,
        }

    def start(self, timeout: float = 120) -> PrefectServer:
        prefect = Path(sys.executable).with_name("prefect")
        self.process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prefect server exited with status {self.process.returncode}")
            try:
                if requests.get(f"{self.api_url}/health", timeout=2).ok:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"prefect server did not answer on {self.api_url} within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def get(self, path: str) -> requests.Response:
        return self._request("GET", path)

    def post(self, path: str, json: dict | None = None) -> requests.Response:
        return self._request("POST", path, json=json or {})

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        """One API call, retried like Prefect's own client does: the server answers 503 while its SQLite
        database is locked by the scheduler or a served flow, and 429 when it sheds load."""
        for attempt in range(8):
            answer = requests.request(method, f"{self.api_url}{path}", timeout=10, **kwargs)
            if answer.status_code not in RETRYABLE_STATUSES:
                return answer
            time.sleep(min(0.25 * 2**attempt, 4.0))
        return answer
