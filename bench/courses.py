"""The courses the benchmarks use: where the shared courses' files are, a knowledge base with
one course in it, and the judged-sample files the judging benchmarks read and write."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COURSES = ("ai-for-beginners", "d2l")
STARTER = "starter"  # the built-in starter course


def course_paths(corpus: Path, course: str) -> tuple[list[Path], Path | None]:
    """(paths to ingest, curriculum README or None) of a shared course."""
    if course == "d2l":
        return [corpus / "d2l-en"], None
    return ([corpus / "ai-for-beginners", corpus / "ai-for-beginners-notebooks"],
            corpus / "ai-for-beginners-meta" / "README.md")


@contextmanager
def course_kb(course: str, corpus: Path = CORPUS) -> Iterator[Any]:
    """A knowledge base in a temporary data dir holding only ``course`` (a shared course,
    ingested as a teacher would, or the starter course); closed and removed afterwards."""
    from knowledge.ingest.pipeline import ingest_paths
    from knowledge.kb import KnowledgeBase
    from knowledge.settings import Settings
    from knowledge.starter import ensure_starter

    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)))
        try:
            if course == STARTER:
                ensure_starter(kb)
            else:
                paths, curriculum = course_paths(corpus, course)
                ingest_paths(kb, paths, course=course, curriculum=curriculum)
            yield kb
        finally:
            kb.close()


def read_judged(path: Path, field: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(all rows, the rows whose ``field`` is judged true/false) of a JSON-lines sample."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows, [r for r in rows if isinstance(r.get(field), bool)]


def write_sample(rows: list[dict[str, Any]], out: Path | None, what: str) -> None:
    """Write a sample to ``out`` as JSON lines (stdout without ``out``)."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"{len(rows)} {what} written to {out}", file=sys.stderr)
