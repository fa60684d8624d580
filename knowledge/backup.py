"""Export a knowledge base to one JSON file and import it elsewhere (backup, moving machines).

The file holds concepts (with their vectors and the embedding model's name), typed edges with
the lessons that gave them, and lesson records with their content hashes — so that re-ingesting
an unchanged lesson after an import is still a no-op — and the lessons' passages (re-embedded on
import). Concept vectors are reused when the importing
knowledge base uses the same embedding model, and recomputed otherwise.
"""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from .kb import KnowledgeBase
from .models import Concept, Edge, Passage
from .store import LessonRecord

FORMAT = "erica-knowledge-base"
VERSION = 1


class BackupError(ValueError):
    """The file is not an Erica export, or a record in it is malformed."""


def export_kb(kb: KnowledgeBase, path: Path) -> dict[str, int]:
    concepts = kb.store.all_concepts()
    ids = sorted(concepts)
    vectors = {}
    for i in range(0, len(ids), 1000):
        vectors.update(kb.store.concept_embeddings(ids[i : i + 1000]))
    edges = kb.store.all_edges()
    lessons = kb.store.all_lessons()
    passages = sorted(kb.store.all_passages(), key=lambda p: (p.source.lesson, p.order))
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "embedder": kb.settings.embed_model,
        "concepts": [{**concepts[c].to_dict(), "vector": [round(float(x), 6) for x in vectors[c]]} for c in ids],
        "edges": [{**e.to_dict(), "lessons": ls} for e, ls in sorted(edges, key=lambda t: t[0].id)],
        "lessons": [r.__dict__ for r in lessons],
        "passages": [p.to_dict() for p in passages],  # re-embedded on import
        # learners' progress, for concepts in this export: {learner: {concept id: state}}
        "progress": {who: {c: st for c, st in kb.store.get_progress(who).items() if c in concepts}
                     for who in kb.store.learners()},
        # accounts of a shared server: {learner: bcrypt hash} (never a password)
        "accounts": {who: kb.store.get_account(who) for who in kb.store.account_names()},
    }
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    tmp.replace(path)  # never a half-written backup under the real name
    return {"concepts": len(ids), "edges": len(edges), "lessons": len(lessons), "passages": len(passages)}


def _load(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path}: not an Erica export (not JSON: {exc}); make one with `erica export FILE`") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError(f"{path}: not an Erica export (field 'format' must be {FORMAT!r})")
    if doc.get("version") != VERSION:
        raise BackupError(f"{path}: export version {doc.get('version')!r} is not supported (expected {VERSION})")
    for key in ("concepts", "edges", "lessons"):
        if not isinstance(doc.get(key), list):
            raise BackupError(f"{path}: field {key!r} must be a list")
    return doc


def import_kb(kb: KnowledgeBase, path: Path) -> dict[str, int]:
    """Add everything in the export to ``kb`` (records with the same ids are replaced).
    The whole file is validated before anything is written."""
    doc = _load(path)
    concepts, vectors = [], []
    for i, d in enumerate(doc["concepts"]):
        try:
            concepts.append(Concept.from_dict(d))
            vectors.append(d.get("vector"))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError(f"{path}: concepts[{i}] is malformed ({exc})") from exc
    edges = []
    for i, d in enumerate(doc["edges"]):
        try:
            lessons = [str(x) for x in d.get("lessons") or []]
            edges.extend(Edge(d["src"], d["dst"], d.get("kind", "prerequisite_of"), d.get("evidence", ""), ls)
                         for ls in (lessons or [""]))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackupError(f"{path}: edges[{i}] is malformed ({exc})") from exc
    known = {c.id for c in concepts} | set(kb.store.get_concepts([e.src for e in edges] + [e.dst for e in edges]))
    dangling = sorted({e.id for e in edges if e.src not in known or e.dst not in known})
    if dangling:
        raise BackupError(f"{path}: edges name concepts that are not in the file: {', '.join(dangling[:5])}")
    try:
        lessons = [LessonRecord.from_dict(d) for d in doc["lessons"]]
    except TypeError as exc:
        raise BackupError(f"{path}: a lesson record is malformed ({exc})") from exc
    try:
        passages = [Passage.from_dict(d) for d in doc.get("passages") or []]  # absent in older exports
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"{path}: a passage is malformed ({exc})") from exc
    prog = doc.get("progress") or {}  # absent in older exports
    if not isinstance(prog, dict) or not all(isinstance(v, dict) for v in prog.values()):
        raise BackupError(f"{path}: field 'progress' must map learner names to {{concept id: state}}")
    accounts = doc.get("accounts") or {}  # absent in older exports
    if not isinstance(accounts, dict) or not all(isinstance(h, str) and h.startswith("$2") for h in accounts.values()):
        raise BackupError(f"{path}: field 'accounts' must map learner names to bcrypt hashes")
    same_model = doc.get("embedder") == kb.settings.embed_model and all(
        isinstance(v, list) and len(v) == len(vectors[0] or []) for v in vectors
    )
    embeddings = np.asarray(vectors, dtype=np.float32) if same_model and vectors else None
    kb.upsert_concepts(concepts, embeddings)
    added = kb.add_edges(edges, skip_cycles=True)
    kb.upsert_lessons(lessons)
    kb.add_passages(passages)
    ids = {c.id for c in concepts}
    for who, pw_hash in accounts.items():
        kb.store.put_account(str(who), pw_hash)
    for who, states in prog.items():  # only progress on concepts the knowledge base now has
        kb.store.upsert_progress(str(who), {c: st for c, st in states.items() if c in ids and isinstance(st, dict)})
    return {"concepts": len(concepts), "edges": len({e.id for e in added}), "lessons": len(lessons),
            "passages": len(passages), "learners": len(prog),
            "reused_vectors": int(embeddings is not None)}
