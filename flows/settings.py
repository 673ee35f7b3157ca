"""One settings object, read from the config file (dkpi.toml) and the environment; the CLI may override."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_DIR / "dkpi.toml"
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "dkpi.duckdb"


class ConfigError(ValueError):
    """Raised when the config file is missing or wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    """Where the warehouse is and what the scheduled runs ingest."""

    warehouse: str
    config_path: Path | None
    department_inbox: tuple[Path, ...] = field(default=())
    lock_wait_seconds: float = 900.0


def load_settings(warehouse: str | None = None, config: str | None = None) -> Settings:
    """Read settings: --warehouse > DKPI_WAREHOUSE > [warehouse] path in the config > warehouse/dkpi.duckdb."""
    config_path = Path(config or os.environ.get("DKPI_CONFIG") or DEFAULT_CONFIG)
    if not config_path.exists():
        if config or os.environ.get("DKPI_CONFIG"):
            raise ConfigError(f"config file {config_path} does not exist (set by --config or DKPI_CONFIG)")
        data, config_path = {}, None
    else:
        data = _read(config_path)
    base = config_path.parent if config_path else PROJECT_DIR
    configured = data.get("warehouse", {}).get("path")
    target = warehouse or os.environ.get("DKPI_WAREHOUSE") or (str(base / configured) if configured else None)
    inbox = data.get("departments", {}).get("inbox", [])
    if not isinstance(inbox, list) or not all(isinstance(item, str) for item in inbox):
        raise ConfigError(f"{config_path}: [departments] inbox must be a list of paths")
    lock_wait = data.get("warehouse", {}).get("lock_wait_seconds", 900)
    if not isinstance(lock_wait, (int, float)) or lock_wait < 0:
        raise ConfigError(f"{config_path}: [warehouse] lock_wait_seconds must be a number of seconds >= 0")
    return Settings(
        warehouse=target or str(DEFAULT_WAREHOUSE),
        config_path=config_path,
        department_inbox=tuple(base / item for item in inbox),
        lock_wait_seconds=float(lock_wait),
    )


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from error
