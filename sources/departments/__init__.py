"""Department files: read any encoding, layout or sheet, find the header, and parse every figure (no validation here)."""

from sources.departments.mapping import Mapping
from sources.departments.parse import ParsedFile, parse_department_file
from sources.departments.reading import UnreadableFile

__all__ = ["Mapping", "ParsedFile", "UnreadableFile", "parse_department_file"]
