"""dkpi docs: write the data dictionary (docs/data_dictionary.md) from the comments of a freshly built warehouse."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flows.commands._shared import UserError
from flows.settings import PROJECT_DIR

DEFAULT_OUTPUT = PROJECT_DIR / "docs" / "data_dictionary.md"


def register(subparsers) -> None:
    parser = subparsers.add_parser("docs", help="write the data dictionary of the views (docs/data_dictionary.md)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"where to write it (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is out of date")
    parser.set_defaults(handler=run)


def build() -> str:
    """Initialise a throwaway warehouse from sql/ and the catalogues and render its dictionary."""
    from contracts.catalogue import gazetteer, metric_catalogue
    from warehouse import Warehouse, dictionary

    # a folder of its own: a warehouse is a published file plus a writer's file and a lock beside it
    with tempfile.TemporaryDirectory(prefix="dkpi-docs-") as folder, Warehouse(Path(folder) / "docs.duckdb") as wh:
        wh.init(units=gazetteer().units, metrics=metric_catalogue())
        missing = dictionary.undocumented(wh.con)
        if missing:
            raise UserError("undocumented (add COMMENT ON … in sql/views): " + ", ".join(missing))
        return dictionary.render(wh.con)


def run(args) -> int:
    text = build()
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
    if args.check:
        if current != text:
            print(f"{args.output} is out of date: run `dkpi docs`")
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}" + (" (unchanged)" if current == text else ""))
    return 0
