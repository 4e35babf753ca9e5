"""What a job's work gives back, and how it tells its progress: shared by the work
(work.py) and the code that runs it (execute.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Output:
    """What a job leaves: a file to download, or only a sentence saying what it did."""

    summary: str = ""
    data: bytes | None = None
    filename: str = ""
    content_type: str = ""
