"""What a teacher says about their own course, in a data file next to the lessons.

``erica-course.yaml`` at the root of an ingested folder (every key optional)::

    not_concepts: [Lithium carbonate, Data Specific]   # never concepts, whatever the text suggests
    concepts:                                          # add one, or say what it is in your words
      - title: Softmax
        definition: The softmax function turns a vector of scores into probabilities that sum to one.
        aliases: [softmax function]
    prerequisites:                                     # [first, then]: always an edge
      - [Linear Algebra, Deep Learning]
    not_prerequisites:                                 # never an edge, whatever the signals say
      - [Deep Learning, Linear Algebra]

Names are matched as concept names are everywhere (case, plural, hyphens, acronyms). The
overrides win over what ingest infers; a name no lesson has is reported, not guessed. A file
that does not read as this is reported with the field at fault and ignored as a whole (the
lessons are ingested as if it were not there).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..models import Concept, Source
from .errors import IngestError
from .merge import concept_keys
from .prereqs import LessonExtraction
from .terms import term_keys

FILENAME = "erica-course.yaml"
_KEYS = ("not_concepts", "concepts", "prerequisites", "not_prerequisites")


@dataclass
class CourseOverrides:
    sha256: str = ""
    not_concepts: list[str] = field(default_factory=list)
    concepts: list[Concept] = field(default_factory=list)
    prerequisites: list[tuple[str, str]] = field(default_factory=list)
    not_prerequisites: list[tuple[str, str]] = field(default_factory=list)


def find_overrides(roots: list[Path]) -> Path | None:
    """The overrides file at the root of the first ingested folder that has one."""
    for r in roots:
        p = r / FILENAME
        if p.is_file():
            return p
    return None


def read_overrides(path: Path) -> CourseOverrides:
    """Read and check ``path``; :class:`IngestError` names the field at fault and what to do."""
    try:
        return _read(path)
    except ValueError as exc:
        raise IngestError(path.name, str(exc)) from exc


def _read(path: Path) -> CourseOverrides:
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read it as YAML ({str(exc).splitlines()[0]}); fix the syntax") from exc
    if not isinstance(data, dict):
        raise ValueError("expected a mapping with keys " + ", ".join(_KEYS))
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; the keys are " + ", ".join(_KEYS))
    out = CourseOverrides(sha256=hashlib.sha256(raw).hexdigest())
    out.not_concepts = [_name(x, f"not_concepts[{i}]") for i, x in enumerate(_list(data, "not_concepts"))]
    for i, c in enumerate(_list(data, "concepts")):
        where = f"concepts[{i}]"
        if not isinstance(c, dict) or not isinstance(c.get("title"), str) or not c["title"].strip():
            raise ValueError(f"{where}: give each concept a 'title' (and a 'definition', optionally 'aliases')")
        bad = sorted(set(c) - {"title", "definition", "aliases"})
        if bad:
            raise ValueError(f"{where}: unknown field {bad[0]!r}; a concept has title, definition, aliases")
        definition = c.get("definition") or ""
        if not isinstance(definition, str):
            raise ValueError(f"{where}.definition: write the definition as text")
        aliases = c.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValueError(f"{where}.aliases: give a list of names, e.g. [softmax function]")
        out.concepts.append(Concept(title=c["title"].strip(), definition=" ".join(definition.split()),
                                    aliases=[a.strip() for a in aliases if a.strip()]))
    for key in ("prerequisites", "not_prerequisites"):
        pairs = []
        for i, p in enumerate(_list(data, key)):
            if not (isinstance(p, list) and len(p) == 2):
                raise ValueError(f"{key}[{i}]: write a pair [first, then], e.g. [Linear Algebra, Deep Learning]")
            pairs.append((_name(p[0], f"{key}[{i}][0]"), _name(p[1], f"{key}[{i}][1]")))
        setattr(out, key, pairs)
    return out


def _list(data: dict[str, Any], key: str) -> list[Any]:
    v = data.get(key) or []
    if not isinstance(v, list):
        raise ValueError(f"{key}: expected a list")
    return v


def _name(x: Any, where: str) -> str:
    if not isinstance(x, str) or not x.strip():
        raise ValueError(f"{where}: expected a concept name")
    return x.strip()


def place(c: Concept, documents: list[tuple[str, Any]]) -> Source | None:
    """Where a concept the teacher adds is taught: the first section (in reading order) of
    ``documents`` ((lesson id, Document) pairs) whose heading or text names it."""
    names = [n.lower() for n in (c.title, *c.aliases)]
    for lesson, doc in documents:
        for sec in doc.sections:
            text = " ".join([sec.heading, *(b.text for b in sec.blocks)]).lower()
            if any(n in text for n in names):
                return Source(path=doc.path, section=sec.heading, anchor=sec.anchor, lesson=lesson,
                              page=sec.page, cell=sec.cell)
    return None


def _keys(names: list[str]) -> set[str]:
    return set().union(*(term_keys(n) for n in names)) if names else set()


def apply_concepts(ov: CourseOverrides, lessons: list[LessonExtraction], existing: list[Concept]) -> list[str]:
    """Apply the concept overrides to ``lessons`` (in reading order; their concepts change in
    place): drop ``not_concepts``, give a teacher's concept its definition and aliases wherever a
    lesson has it, add one no lesson extracted to the first lesson that names it. Returns what
    could not be applied, for the report."""
    warnings: list[str] = []
    banned = _keys(ov.not_concepts)
    for le in lessons:
        le.concepts = [c for c in le.concepts if not (concept_keys(c) & banned)]
    for t in ov.concepts:
        keys = concept_keys(t)
        found = [c for le in lessons for c in le.concepts if concept_keys(c) & keys]
        for c in found:
            if t.definition:
                c.definition, c.taught = t.definition, "defined"
            c.aliases += [a for a in t.aliases if a not in c.aliases]
        if found or any(concept_keys(c) & keys for c in existing):
            continue
        src = place(t, [(le.lesson_id, le.document) for le in lessons])
        if src is None or not t.definition:
            warnings.append(f"concept {t.title!r}: no lesson names it" if src is None else
                            f"concept {t.title!r}: give it a definition to add it")
            continue
        le = next(le for le in lessons if le.lesson_id == src.lesson and le.document.path == src.path)
        le.concepts.append(Concept(title=t.title, definition=t.definition, aliases=list(t.aliases), sources=[src]))
    return warnings


def known_pairs(pairs: list[tuple[str, str]], lessons: list[LessonExtraction], existing: list[Concept],
                what: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The pairs whose two names are concepts of the course (or already known), and a warning
    for each other one."""
    have = set().union(*(concept_keys(c) for le in lessons for c in le.concepts), *(concept_keys(c) for c in existing))
    ok, warnings = [], []
    for a, b in pairs:
        missing = [n for n in (a, b) if not (term_keys(n) & have)]
        if missing:
            warnings.append(f"{what} [{a}, {b}]: no concept {missing[0]!r} in the course")
        else:
            ok.append((a, b))
    return ok, warnings
