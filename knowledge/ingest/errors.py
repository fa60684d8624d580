"""The one ingestion error: a file that cannot be ingested, and what to do about it."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A lesson file could not be ingested. ``path`` names the file, ``reason`` says why and
    what to do next; ``str(err)`` is ``"<path>: <reason>"``, ready for the CLI."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
