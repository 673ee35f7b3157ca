"""Department files: decode, find the layout, and parse every row into typed columns (no validation here)."""

from sources.departments.long_layout import ParsedFile, UnreadableFile, parse_department_file

__all__ = ["ParsedFile", "UnreadableFile", "parse_department_file"]
