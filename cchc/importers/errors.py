"""What an importer raises when a file cannot be read as a report.

Its own module so that the readers (xlsx_reader, docx_reader) and the function
that picks among them (reports.py) share the errors without importing each other.
"""

from __future__ import annotations

from cchc.importers.seed_text import TextDocument

__all__ = ["ImportError_", "NoTablesError"]


class ImportError_(ValueError):
    """A file that cannot be read as a report; the message names file and line."""


class NoTablesError(ImportError_):
    """A report with no statistics table: its narrative can still be read and checked."""

    def __init__(self, message: str, document: TextDocument) -> None:
        super().__init__(message)
        self.document = document
