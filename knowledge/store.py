"""ChromaDB storage: the one source of truth for concepts, edges and lessons.

Five collections (names prefixed by ``Settings.collection_prefix``):

* ``concepts`` — one record per concept, cosine space; the embedded document is
  title + aliases + definition; the full concept is kept as JSON in the metadata.
* ``edges`` — one record per typed edge ``src|kind|dst`` (a constant 1-d vector: edges are
  looked up by metadata, never by similarity).
* ``lessons`` — one record per ingested lesson: path, content hash, what it contributed.
* ``passages`` — the lessons' own text, section-sized or smaller; metadata: its lesson record,
  kind (text/code) and the full :class:`~knowledge.models.Passage` as JSON. Found by the concepts
  they teach and by BM25 (:class:`knowledge.lexical.PassageIndex`), not by a vector: embedding
  every passage would cost ~150 s for a textbook on 2 cores (docs/benchmarks.md).
* ``meta`` — a generation token, changed by every write, so that another process (a second
  UI replica on a Chroma server, the CLI) knows its in-memory graph is stale.

Embedded ``PersistentClient`` under the data dir by default; ``HttpClient`` when
``Settings.chroma_host`` is set. Nothing else in the code knows which one is in use.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .models import Concept, Edge, Passage
from .settings import Settings

log = logging.getLogger(__name__)

_UNIT = [1.0]  # the vector of records that are never searched by similarity
_BATCH = 2000  # below Chroma's max batch size
# Reading everything back pages with limit/offset, and each page re-walks the offset: large pages
# (below SQLite's limit on query variables) read 75,000 edges in 1.7 s instead of 2.9 s.
_READ_PAGE = 20000


class StoreError(RuntimeError):
    """The store cannot be reached or used; the message says what to do."""


@dataclass
class LessonRecord:
    """One ingested lesson (a file, or a starter-course unit) and what it contributed."""

    id: str
    path: str
    title: str = ""
    course: str = ""
    kind: str = ""  # markdown | html | rst | pdf | notebook | word | slides | text | starter
    sha256: str = ""
    order: int | None = None
    concepts: list[str] = field(default_factory=list)  # concept ids it supports
    edges: list[str] = field(default_factory=list)  # edge ids it contributed
    figures: int = 0
    ingested_at: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "LessonRecord":
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        return cls(**known)


def _chunks(seq: Sequence[Any], n: int = _BATCH) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


class ChromaStore:
    """Thin typed layer over the four Chroma collections."""

    def __init__(self, settings: Settings) -> None:
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self.settings = settings
        if settings.server_mode:
            try:
                self.client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
                self.client.heartbeat()
            except Exception as exc:
                raise StoreError(
                    f"Chroma server not reachable at {settings.chroma_host}:{settings.chroma_port} "
                    f"({exc.__class__.__name__}); start it with `chroma run --path DIR --host "
                    f"{settings.chroma_host} --port {settings.chroma_port}` or unset ERICA_CHROMA_HOST "
                    "to use the embedded store"
                ) from exc
            self.location = f"http://{settings.chroma_host}:{settings.chroma_port}"
        else:
            path = settings.data_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self.location = str(path)
        p = settings.collection_prefix
        self.concepts = self.client.get_or_create_collection(
            f"{p}_concepts", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        self.edges = self.client.get_or_create_collection(f"{p}_edges", embedding_function=None)
        self.lessons = self.client.get_or_create_collection(f"{p}_lessons", embedding_function=None)
        self.meta = self.client.get_or_create_collection(f"{p}_meta", embedding_function=None)
        self.passages = self.client.get_or_create_collection(f"{p}_passages", embedding_function=None)
        self.progress = self.client.get_or_create_collection(f"{p}_progress", embedding_function=None)
        self.accounts = self.client.get_or_create_collection(f"{p}_accounts", embedding_function=None)

    # -- generation -----------------------------------------------------------------
    def generation(self) -> str:
        got = self.meta.get(ids=["generation"], include=["metadatas"])
        return str(got["metadatas"][0]["token"]) if got["ids"] else ""

    def bump_generation(self) -> str:
        token = uuid.uuid4().hex
        self.meta.upsert(ids=["generation"], embeddings=[_UNIT], metadatas=[{"token": token}])
        return token

    def get_flag(self, name: str) -> str | None:
        got = self.meta.get(ids=[f"flag:{name}"], include=["metadatas"])
        return str(got["metadatas"][0]["value"]) if got["ids"] else None

    def set_flag(self, name: str, value: str) -> None:
        self.meta.upsert(ids=[f"flag:{name}"], embeddings=[_UNIT], metadatas=[{"value": value}])

    # -- concepts -------------------------------------------------------------------
    def upsert_concepts(self, concepts: Sequence[Concept], embeddings: np.ndarray) -> None:
        if len(concepts) != len(embeddings):
            raise ValueError("one embedding per concept")
        for idx in _chunks(range(len(concepts))):
            batch = [concepts[i] for i in idx]
            self.concepts.upsert(
                ids=[c.id for c in batch],
                embeddings=[embeddings[i].tolist() for i in idx],
                documents=[c.embedding_text() for c in batch],
                metadatas=[
                    {"title": c.title, "difficulty": c.difficulty, "payload": json.dumps(c.to_dict())}
                    for c in batch
                ],
            )

    def get_concepts(self, ids: Sequence[str]) -> dict[str, Concept]:
        out: dict[str, Concept] = {}
        for batch in _chunks(list(dict.fromkeys(ids))):
            got = self.concepts.get(ids=list(batch), include=["metadatas"])
            for cid, meta in zip(got["ids"], got["metadatas"]):
                out[cid] = Concept.from_dict(json.loads(meta["payload"]))
        return out

    def all_concepts(self) -> dict[str, Concept]:
        out: dict[str, Concept] = {}
        total = self.concepts.count()
        for offset in range(0, total, _READ_PAGE):
            got = self.concepts.get(include=["metadatas"], limit=_READ_PAGE, offset=offset)
            for cid, meta in zip(got["ids"], got["metadatas"]):
                out[cid] = Concept.from_dict(json.loads(meta["payload"]))
        return out

    def concept_embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        got = self.concepts.get(ids=list(ids), include=["embeddings"])
        return {cid: np.asarray(e, dtype=np.float32) for cid, e in zip(got["ids"], got["embeddings"])}

    def delete_concepts(self, ids: Sequence[str]) -> None:
        for batch in _chunks(list(ids)):
            self.concepts.delete(ids=list(batch))

    def count_concepts(self) -> int:
        return self.concepts.count()

    def query(self, embedding: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest concepts to an embedding: ``[(id, cosine similarity)]``, best first."""
        total = self.concepts.count()
        if total == 0 or n <= 0:
            return []
        res = self.concepts.query(
            query_embeddings=[embedding.tolist()], n_results=min(n, total), include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]

    # -- edges ----------------------------------------------------------------------
    def upsert_edges(self, edges: Sequence[Edge]) -> None:
        if not edges:
            return
        existing = self._edge_lessons([e.id for e in edges])
        merged: dict[str, tuple[Edge, list[str]]] = {}
        for e in edges:
            lessons = merged.get(e.id, (e, existing.get(e.id, [])))[1]
            if e.lesson and e.lesson not in lessons:
                lessons = [*lessons, e.lesson]
            merged[e.id] = (e, lessons)
        items = list(merged.values())
        for batch in _chunks(items):
            self.edges.upsert(
                ids=[e.id for e, _ in batch],
                embeddings=[_UNIT] * len(batch),
                metadatas=[
                    {"src": e.src, "dst": e.dst, "kind": e.kind, "evidence": e.evidence,
                     "lessons": json.dumps(ls)}
                    for e, ls in batch
                ],
            )

    def _edge_lessons(self, ids: Sequence[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for batch in _chunks(list(dict.fromkeys(ids))):
            got = self.edges.get(ids=list(batch), include=["metadatas"])
            for eid, meta in zip(got["ids"], got["metadatas"]):
                out[eid] = json.loads(meta.get("lessons") or "[]")
        return out

    def all_edges(self) -> list[tuple[Edge, list[str]]]:
        out: list[tuple[Edge, list[str]]] = []
        total = self.edges.count()
        for offset in range(0, total, _READ_PAGE):
            got = self.edges.get(include=["metadatas"], limit=_READ_PAGE, offset=offset)
            for meta in got["metadatas"]:
                lessons = json.loads(meta.get("lessons") or "[]")
                edge = Edge(meta["src"], meta["dst"], meta["kind"], meta.get("evidence", ""),
                            lessons[0] if lessons else "")
                out.append((edge, lessons))
        return out

    def edges_touching(self, concept_ids: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for batch in _chunks(list(concept_ids), 500):
            where = {"$or": [{"src": {"$in": list(batch)}}, {"dst": {"$in": list(batch)}}]}
            ids.extend(self.edges.get(where=where, include=[])["ids"])
        return list(dict.fromkeys(ids))

    def set_edge_lessons(self, edge_id: str, lessons: list[str]) -> None:
        self.edges.update(ids=[edge_id], metadatas=[{"lessons": json.dumps(lessons)}])

    def delete_edges(self, ids: Sequence[str]) -> None:
        for batch in _chunks(list(ids)):
            self.edges.delete(ids=list(batch))

    # -- lessons --------------------------------------------------------------------
    def upsert_lessons(self, recs: Sequence[LessonRecord]) -> None:
        if recs:
            self.lessons.upsert(
                ids=[r.id for r in recs], embeddings=[_UNIT] * len(recs),
                metadatas=[{"path": r.path, "sha256": r.sha256, "payload": json.dumps(asdict(r))} for r in recs],
            )

    def get_lesson(self, lesson_id: str) -> LessonRecord | None:
        got = self.lessons.get(ids=[lesson_id], include=["metadatas"])
        if not got["ids"]:
            return None
        return LessonRecord.from_dict(json.loads(got["metadatas"][0]["payload"]))

    def all_lessons(self) -> list[LessonRecord]:
        got = self.lessons.get(include=["metadatas"])
        recs = [LessonRecord.from_dict(json.loads(m["payload"])) for m in got["metadatas"]]
        return sorted(recs, key=lambda r: (r.course, r.order if r.order is not None else 10**9, r.id))

    def delete_lesson(self, lesson_id: str) -> None:
        self.lessons.delete(ids=[lesson_id])

    # -- passages ---------------------------------------------------------------------
    def upsert_passages(self, passages: Sequence[Passage]) -> None:
        for part in _chunks(passages):
            self.passages.upsert(
                ids=[p.id for p in part], embeddings=[_UNIT] * len(part),
                metadatas=[{"lesson": p.source.lesson, "kind": p.kind, "payload": json.dumps(p.to_dict())}
                           for p in part],
            )

    def all_passages(self) -> list[Passage]:
        out: list[Passage] = []
        offset = 0
        while True:
            got = self.passages.get(include=["metadatas"], limit=_READ_PAGE, offset=offset)
            out += [Passage.from_dict(json.loads(m["payload"])) for m in got["metadatas"]]
            if len(got["ids"]) < _READ_PAGE:
                return out
            offset += _READ_PAGE

    def delete_passages(self, lesson_id: str) -> None:
        self.passages.delete(where={"lesson": lesson_id})

    def count_passages(self) -> int:
        return self.passages.count()

    # -- learners' progress (one record per learner and concept) ------------------------
    def get_progress(self, learner: str) -> dict[str, dict[str, Any]]:
        got = self.progress.get(where={"learner": learner}, include=["metadatas"])
        return {m["concept"]: json.loads(m["payload"]) for m in got["metadatas"]}

    def upsert_progress(self, learner: str, states: dict[str, dict[str, Any]]) -> None:
        items = sorted(states.items())
        for part in _chunks(items):
            self.progress.upsert(
                ids=[f"{learner}|{cid}" for cid, _ in part], embeddings=[_UNIT] * len(part),
                metadatas=[{"learner": learner, "concept": cid, "payload": json.dumps(st)} for cid, st in part],
            )

    def delete_progress(self, *, learner: str | None = None, concepts: Sequence[str] = ()) -> None:
        if learner is not None and not concepts:
            self.progress.delete(where={"learner": learner})
        for part in _chunks(list(concepts)):
            where: dict[str, Any] = {"concept": {"$in": list(part)}}
            self.progress.delete(where={"$and": [where, {"learner": learner}]} if learner is not None else where)

    def learners(self) -> list[str]:
        got = self.progress.get(include=["metadatas"])
        return sorted({m["learner"] for m in got["metadatas"]})

    # -- accounts for a shared server (a learner's name and password hash) ------------------
    def get_account(self, learner: str) -> str | None:
        got = self.accounts.get(ids=[learner], include=["metadatas"])
        return str(got["metadatas"][0]["hash"]) if got["ids"] else None

    def put_account(self, learner: str, password_hash: str) -> None:
        self.accounts.upsert(ids=[learner], embeddings=[_UNIT], metadatas=[{"hash": password_hash}])

    def delete_account(self, learner: str) -> None:
        self.accounts.delete(ids=[learner])

    def account_names(self) -> list[str]:
        return sorted(self.accounts.get(include=[])["ids"])

