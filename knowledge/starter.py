"""The built-in "Introduction to AI" starter course: YAML files under ``knowledge/starter/``,
one per unit, written by the Erica project. Parsed into dataclasses at load time and stored as
lessons like any other (``erica forget starter/05-neural-networks`` removes one unit).
"""

from __future__ import annotations

import copy
import hashlib
import importlib.resources
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .models import PREREQUISITE, Concept, Edge, Example, Source, slugify

COURSE = "Introduction to AI (Erica starter course)"


class StarterError(ValueError):
    """A starter file is malformed; the message names the file and the field."""


@dataclass
class StarterUnit:
    id: str
    title: str
    order: int
    path: str
    sha256: str
    summary: str = ""
    concepts: list[Concept] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def starter_dir() -> Path:
    return Path(str(importlib.resources.files("knowledge") / "starter"))


def _anchor(heading: str) -> str:
    return slugify(heading)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_units(folder: Path | None = None) -> list[StarterUnit]:
    """Parse every unit; references between units are by concept title or alias.
    Parsed once per process while the files are unchanged."""
    folder = folder or starter_dir()
    files = sorted(folder.glob("*.yaml"))
    key = (str(folder), tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _parse_units(folder, files)
    return copy.deepcopy(_CACHE[key])


_CACHE: dict[tuple, list[StarterUnit]] = {}


def _parse_units(folder: Path, files: list[Path]) -> list[StarterUnit]:
    if not files:
        raise StarterError(f"no starter course files (*.yaml) in {folder}")
    raw_units = []
    for f in files:
        text = f.read_bytes()
        try:
            data = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError as exc:
            raise StarterError(f"{f.name}: not valid YAML ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("lesson"), dict):
            raise StarterError(f"{f.name}: expected a mapping with a 'lesson' section")
        raw_units.append((f, hashlib.sha256(text).hexdigest(), data))

    # names → ids across the whole course
    names: dict[str, str] = {}
    for f, _, data in raw_units:
        for i, c in enumerate(data.get("concepts") or []):
            if not isinstance(c, dict) or not c.get("title"):
                raise StarterError(f"{f.name}: concept #{i + 1} has no 'title'")
            cid = slugify(c["title"])
            for n in [c["title"], *(c.get("aliases") or [])]:
                names.setdefault(str(n).lower(), cid)

    def resolve(f: Path, who: str, ref: str) -> str:
        cid = names.get(str(ref).lower())
        if cid is None:
            raise StarterError(f"{f.name}: concept {who!r} refers to unknown concept {ref!r}")
        return cid

    units: list[StarterUnit] = []
    for f, digest, data in raw_units:
        lesson = data["lesson"]
        lesson_id = str(lesson.get("id") or f"starter/{f.stem}")
        rel = f"starter/{f.name}"
        unit = StarterUnit(
            id=lesson_id,
            title=str(lesson.get("title") or f.stem),
            order=int(lesson.get("order") or 0),
            path=rel,
            sha256=digest,
            summary=str(lesson.get("summary") or ""),
        )
        for c in data.get("concepts") or []:
            section = str(c.get("section") or unit.title)
            src = Source(path=rel, section=section, anchor=_anchor(section), lesson=lesson_id)
            examples = []
            for ex in c.get("examples") or []:
                if isinstance(ex, str):
                    ex = {"text": ex}
                examples.append(
                    Example(
                        text=str(ex.get("text", "")).strip(),
                        kind=str(ex.get("kind", "text")),
                        language=str(ex.get("language", "") or ""),
                        source=src,
                    )
                )
            try:
                concept = Concept(
                    title=str(c["title"]).strip(),
                    definition=" ".join(str(c.get("definition", "")).split()),
                    aliases=[str(a) for a in c.get("aliases") or []],
                    difficulty=str(c.get("difficulty") or "beginner"),
                    tags=[str(t) for t in c.get("tags") or []],
                    sources=[src],
                    examples=examples,
                )
            except ValueError as exc:
                raise StarterError(f"{f.name}: {exc}") from exc
            if not concept.definition:
                raise StarterError(f"{f.name}: concept {concept.title!r} has no 'definition'")
            unit.concepts.append(concept)
            for ref in c.get("prerequisites") or []:
                unit.edges.append(
                    Edge(resolve(f, concept.title, ref), concept.id, PREREQUISITE,
                         f"starter course {rel} § {section}", lesson_id)
                )
            for rel_edge in c.get("related") or []:
                if not isinstance(rel_edge, dict) or "to" not in rel_edge:
                    raise StarterError(f"{f.name}: concept {concept.title!r}: related entries need 'to'")
                try:
                    unit.edges.append(
                        Edge(concept.id, resolve(f, concept.title, rel_edge["to"]),
                             str(rel_edge.get("kind", "related_to")),
                             f"starter course {rel} § {section}", lesson_id)
                    )
                except ValueError as exc:
                    raise StarterError(f"{f.name}: concept {concept.title!r}: {exc}") from exc
        units.append(unit)
    return sorted(units, key=lambda u: (u.order, u.id))


def load_starter(kb, folder: Path | None = None) -> dict[str, int]:
    """Store the starter course in ``kb`` (idempotent: unchanged units are skipped)."""
    from .store import LessonRecord

    units = load_units(folder)
    todo = [u for u in units if (rec := kb.lesson(u.id)) is None or rec.sha256 != u.sha256]
    if not todo:
        return {"units": 0, "concepts": 0, "edges": 0, "skipped": len(units)}
    for u in todo:
        if kb.lesson(u.id) is not None:
            kb.forget_lesson(u.id)
    concepts = [c for u in todo for c in u.concepts]
    kb.upsert_concepts(concepts)
    edges = [e for u in todo for e in u.edges]
    added = kb.add_edges(edges)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    by_lesson: dict[str, list[str]] = {}
    for e in added:
        by_lesson.setdefault(e.lesson, []).append(e.id)
    kb.upsert_lessons([
        LessonRecord(
            id=u.id, path=u.path, title=u.title, course=COURSE, kind="starter", sha256=u.sha256,
            order=u.order, concepts=[c.id for c in u.concepts], edges=by_lesson.get(u.id, []),
            ingested_at=now,
        )
        for u in todo
    ])
    return {"units": len(todo), "concepts": len(concepts), "edges": len(added), "skipped": len(units) - len(todo)}


def ensure_starter(kb) -> bool:
    """Load the starter course into an empty knowledge base (the first `retrieve`/`ask`/UI open).
    Not done when the KB was created by `erica ingest` (a teacher's own course starts clean)."""
    if not kb.is_empty() or kb.store.get_flag("starter") == "declined":
        return False
    load_starter(kb)
    return True
