"""Open a DuckLake warehouse: a catalog in PostgreSQL, data as Parquet files under a data path.

The target is DuckDB's own attach string, `ducklake:postgres:<libpq conninfo>`, with the data path as one more
keyword, `data_path=…`, which is taken out before libpq sees it. The data path is needed to create the catalog
(DuckLake records it there); later it may be left out, and when given it must match.

Extensions come from the `duckdb-extension-ducklake` and `duckdb-extension-postgres` wheels, never from the
network: autoloading is off (see warehouse.connection) and each is installed from the file in its package.
Writers also attach the catalog's PostgreSQL database a second time as `dkpi_locks`, for the advisory locks
that keep two loaders from loading the same thing at once (see warehouse.transactions).
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from warehouse.errors import WarehouseError

PREFIX = "ducklake:postgres:"
CATALOG = "dkpi_lake"  # the attached DuckLake's name, used for every query (USE)
LOCKS = "dkpi_locks"  # the catalog's PostgreSQL database attached again, for advisory locks
EXTENSIONS = (("duckdb_extension_postgres", "postgres"), ("duckdb_extension_ducklake", "ducklake"))
# Data files in an object store (s3://, gs://, az://…) need httpfs: not a dependency (the tests use a folder), loaded
# when its wheel is installed (`duckdb-extension-httpfs==<duckdb version>`, see README "Scale out").
OBJECT_STORE_EXTENSION = ("duckdb_extension_httpfs", "httpfs")

_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")
_SECRET_KEYS = {"password"}


@dataclass(frozen=True)
class LakeTarget:
    """A DuckLake warehouse: the catalog's libpq keywords and the data path (None: the one the catalog records)."""

    conninfo: dict[str, str]
    data_path: str | None = None

    @property
    def libpq(self) -> str:
        """The catalog database's conninfo, as libpq and the postgres extension take it."""
        return _conninfo(self.conninfo)

    def describe(self) -> str:
        """Name the target in messages and logs, without its password."""
        return PREFIX + _conninfo({key: ("***" if key in _SECRET_KEYS else value) for key, value in self.conninfo.items()})

    def with_data_path(self, data_path: str | None) -> LakeTarget:
        """Return the target with a data path, unless it names one already."""
        return self if self.data_path or not data_path else replace(self, data_path=data_path)

    def __str__(self) -> str:
        data = {"data_path": self.data_path} if self.data_path else {}
        return PREFIX + _conninfo({**self.conninfo, **data})


def lake_target(target: str | Path) -> LakeTarget | None:
    """Parse a DuckLake target; None for anything else (a local file path).

    'ducklake:postgres:host=db dbname=dkpi data_path=/srv/lake' -> conninfo {host, dbname}, data_path '/srv/lake'
    """
    text = str(target)
    if not text.startswith(PREFIX):
        return None
    rest, pairs = text[len(PREFIX):], {}
    while rest.strip():
        match = _PAIR.match(rest)
        if not match:
            raise ValueError(f"warehouse target {PREFIX}…: cannot read {rest.strip()!r} as key=value")
        key, value = match.group(1).lower(), match.group(2)
        pairs[key] = re.sub(r"\\(.)", r"\1", value[1:-1]) if value.startswith("'") else value
        rest = rest[match.end():]
    data_path = pairs.pop("data_path", None)
    return LakeTarget(pairs, data_path or None)


def _conninfo(pairs: dict[str, str]) -> str:
    return " ".join(f"{key}={_quote(value)}" for key, value in pairs.items())


def _quote(value: str) -> str:
    if value and not re.search(r"[\s'\\]", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def extension_file(package: str, name: str) -> Path:
    """The extension file a wheel ships for this DuckDB version: '<site-packages>/<package>/extensions/v1.5.5/…'."""
    folder = importlib.resources.files(package) / "extensions" / f"v{duckdb.__version__}"
    found = sorted(Path(str(folder)).rglob(f"{name}.duckdb_extension"))
    if not found:
        raise FileNotFoundError(f"{package} has no {name} extension for DuckDB {duckdb.__version__} under {folder}")
    return found[0]


def load_extensions(con: duckdb.DuckDBPyConnection, target: LakeTarget) -> None:
    """Install the postgres and ducklake extensions (and httpfs for an object store) from their wheels' files and load
    them; no network."""
    wanted = list(EXTENSIONS)
    if target.data_path and "://" in target.data_path:
        if importlib.util.find_spec(OBJECT_STORE_EXTENSION[0]) is None:
            raise WarehouseError(
                f"warehouse {target.describe()}: data path {target.data_path} is in an object store, which needs the "
                f"httpfs extension: add duckdb-extension-httpfs=={duckdb.__version__} to the dependencies"
            )
        wanted.append(OBJECT_STORE_EXTENSION)
    for package, name in wanted:
        con.execute(f"install '{extension_file(package, name)}'")
        con.execute(f"load {name}")


CREATION_RACE_ATTEMPTS = 5
# what PostgreSQL says to the writers whose creation of a new catalog lost to another's
CREATION_RACE_SIGNS = ("already exists", "duplicate key value violates unique constraint")


def attach(con: duckdb.DuckDBPyConnection, target: LakeTarget, *, read_only: bool) -> None:
    """Attach the DuckLake (creating it when a writer names a data path) and make it the default catalog.

    Every failure names the target (password hidden) and says what to do.
    """
    options = ["read_only"] if read_only else []
    if target.data_path and not read_only:
        if "://" not in target.data_path:
            Path(target.data_path).mkdir(parents=True, exist_ok=True)
        options.append(f"data_path {_sql_string(_as_folder(target.data_path))}")
    statement = f"attach {_sql_string(PREFIX + target.libpq)} as {CATALOG}" + (f" ({', '.join(options)})" if options else "")
    try:
        for attempt in range(CREATION_RACE_ATTEMPTS):
            try:
                con.execute(statement)
                break
            except duckdb.Error as error:
                # Two writers meeting a new catalog both create it; PostgreSQL lets one finish and fails the other's
                # CREATE TABLE. The catalog then exists whole (its creation is one transaction): attach it again.
                text = str(error)
                lost_race = "Failed to initialize DuckLake" in text and any(sign in text for sign in CREATION_RACE_SIGNS)
                if not lost_race or attempt == CREATION_RACE_ATTEMPTS - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        if not read_only:
            con.execute(f"attach {_sql_string(target.libpq)} as {LOCKS} (type postgres)")
    except duckdb.Error as error:
        raise _explain(target, error, read_only) from None
    con.execute(f"use {CATALOG}")


def _explain(target: LakeTarget, error: duckdb.Error, read_only: bool) -> WarehouseError:
    text = str(error)
    where = f"warehouse {target.describe()}"
    if "data_path is not set" in text:
        return WarehouseError(
            f"{where} has no DuckLake catalog yet and no data path to create one: set DKPI_DUCKLAKE_DATA_PATH "
            "or [warehouse] data_path (a folder or an object-store URL for the Parquet files)"
        )
    if "does not exist" in text and read_only and "creating a new DuckLake" in text:
        return WarehouseError(f"{where} has no DuckLake catalog yet: run `dkpi init` first")
    if "Unable to connect to Postgres" in text or "connection to server" in text:
        reason = text.split("failed:", 1)[-1].strip().splitlines()[0] if "failed:" in text else text.splitlines()[0]
        return WarehouseError(f"{where}: cannot reach the PostgreSQL catalog: {reason}")
    return WarehouseError(f"{where}: {text.splitlines()[0]}")


def _as_folder(path: str) -> str:
    return path if path.endswith("/") else path + "/"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Tables of raw bytes (a file or page per row): DuckLake would "inline" such small inserts into PostgreSQL, and a
# multi-megabyte blob through the catalog made a file's commit take 1.6 s instead of 0.5 s. They go to Parquet.
NOT_INLINED = ("raw_files", "raw_pages")


def configure(con: duckdb.DuckDBPyConnection) -> None:
    """Set the catalog's per-table options (idempotent: writes only what is not set yet)."""
    done = {
        row[0] for row in con.execute(
            f"select scope_entry from {CATALOG}.options() where option_name = 'data_inlining_row_limit' and value = '0'"
        ).fetchall()
    }
    for table in NOT_INLINED:
        if f"main.{table}" not in done:
            con.execute(f"call {CATALOG}.set_option('data_inlining_row_limit', 0, table_name => '{table}')")
