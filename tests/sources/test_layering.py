import subprocess
import sys

# Parsing and the recorded twin must stay importable without an HTTP client, Prefect or DuckDB (STYLE.md).
PURE_MODULES = (
    "sources.urls",
    "sources.discovery",
    "sources.fetch.charset",
    "sources.fetch.interface",
    "sources.fetch.pacing",
    "sources.fetch.robots",
    "sources.fetch.recorded",
)
FORBIDDEN = ("requests", "urllib3", "httpx", "prefect", "duckdb")


def test_pure_modules_import_no_http_client_prefect_or_duckdb():
    probe = (
        "import importlib, sys\n"
        f"for name in {PURE_MODULES!r}: importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == ""
