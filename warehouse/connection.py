"""Open the warehouse: a local DuckDB file now; the target string leaves room for other catalogs."""

from __future__ import annotations

from pathlib import Path

import duckdb

DEFAULT_PATH = Path(__file__).resolve().with_name("dkpi.duckdb")
SQL_DIR = Path(__file__).resolve().parent.parent / "sql"

# Extensions are never downloaded at run time: air-gapped sites have no network.
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class WarehouseError(RuntimeError):
    """Raised when the warehouse cannot be opened or is not initialised; the message says what to do."""


def connect(target: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse named by `target` (a DuckDB file path) for reading or writing."""
    path = Path(target).expanduser()
    if read_only and not path.exists():
        raise WarehouseError(f"warehouse {path} does not exist yet: run `dkpi init` (or a load) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=dict(_CONFIG))
    except duckdb.IOException as error:
        raise WarehouseError(f"cannot open warehouse {path}: {error}") from error
