"""What an ingest did, file by file: the report `erica ingest` prints and the page shows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class FileReport:
    path: str
    status: str  # ingested | unchanged | skipped (nothing to learn: a table of contents) | failed | planned (dry run)
    reason: str = ""
    lesson_id: str = ""
    concepts_added: int = 0
    concepts_updated: int = 0
    concepts_merged: int = 0
    edges_added: int = 0
    figures: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    course: str = ""
    dry_run: bool = False
    curriculum: str = ""

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def totals(self) -> dict[str, int]:
        keys = ("concepts_added", "concepts_updated", "concepts_merged", "edges_added", "figures")
        out = {k: sum(getattr(f, k) for f in self.files) for k in keys}
        for s in ("ingested", "unchanged", "skipped", "failed", "planned"):
            out[s] = self.count(s)
        return out

    def to_dict(self) -> dict:
        return {**asdict(self), "totals": self.totals}
