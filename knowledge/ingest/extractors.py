"""What the pipeline asks of an extractor: one small interface, two implementations.

An :class:`Extractor` reads one parsed lesson (with what the whole course says about terms,
:class:`~knowledge.ingest.introduced.CourseProfile`) and returns an :class:`Extraction`:
concepts with sources, typed edges it is sure of, and warnings for the teacher. The pipeline
runs every extractor it is given the same way, merges their concepts, and turns a failing one
into a warning (the file fails only when none succeeds).

* :class:`StructuralExtractor` — headings, emphasis, defining sentences, code; no model.
* :class:`LLMExtractor` — any ``complete(prompt) -> str`` (an Ollama model, built by
  ``tutor.llm.completer`` for the CLI and the page), section by section, bad replies skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Protocol

from knowledge.models import Concept, Edge

from .document import Document
from .extract import extract_concepts
from .introduced import CourseProfile
from .llm_extract import CompletionModel, llm_extract
from .spelling import fix_title_spelling

log = logging.getLogger(__name__)


@dataclass
class Extraction:
    concepts: list[Concept] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Extractor(Protocol):
    name: str

    def extract(self, doc: Document, lesson_id: str, profile: CourseProfile) -> Extraction: ...


class StructuralExtractor:
    name = "structural"

    def extract(self, doc: Document, lesson_id: str, profile: CourseProfile) -> Extraction:
        return Extraction(concepts=extract_concepts(doc, lesson_id, profile))


class LLMExtractor:
    name = "LLM"

    def __init__(self, model: CompletionModel) -> None:
        self.model = model

    def extract(self, doc: Document, lesson_id: str, profile: CourseProfile) -> Extraction:
        got = llm_extract(doc, lesson_id, self.model)
        return Extraction(concepts=list(got.concepts), edges=list(got.edges), warnings=list(got.warnings))


def extractors_for(llm: CompletionModel | None = None) -> list[Extractor]:
    """The structural extractor, and the LLM one when a model is given."""
    return [StructuralExtractor()] + ([LLMExtractor(llm)] if llm is not None else [])


def run_extractors(extractors: list[Extractor], doc: Document, lesson_id: str,
                   profile: CourseProfile) -> tuple[Extraction, list[str], int]:
    """Every extractor run on ``doc`` the same way: what they found together (a typo in a heading
    respelled, :mod:`knowledge.ingest.spelling`), the errors of those that failed (a bug or a model
    that went away must not stop the batch) and how many succeeded."""
    out = Extraction()
    errors: list[str] = []
    ok = 0
    for ex in extractors:
        try:
            got = ex.extract(doc, lesson_id, profile)
        except Exception as exc:
            log.exception("the %s extractor failed on %s", ex.name, doc.path)
            errors.append(f"the {ex.name} extractor failed ({exc.__class__.__name__}: {exc})")
            continue
        ok += 1
        renamed = fix_title_spelling(got.concepts, profile.words)
        out.concepts += got.concepts
        out.edges += [replace(e, src=renamed.get(e.src, e.src), dst=renamed.get(e.dst, e.dst)) for e in got.edges]
        out.warnings += got.warnings
    return out, errors, ok
