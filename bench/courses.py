"""The shared courses the benchmarks ingest: where their files are and their lesson table."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURSES = ("ai-for-beginners", "d2l")


def course_paths(corpus: Path, course: str) -> tuple[list[Path], Path | None]:
    """(paths to ingest, curriculum README or None) of a shared course."""
    if course == "d2l":
        return [corpus / "d2l-en"], None
    return ([corpus / "ai-for-beginners", corpus / "ai-for-beginners-notebooks"],
            corpus / "ai-for-beginners-meta" / "README.md")
