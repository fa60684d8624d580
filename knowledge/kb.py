"""The knowledge base: Chroma (truth) + an in-memory view (NetworkX graph, concept catalogue,
lexical index) that is rebuilt whenever another writer changed the store.

Write rules that keep the store consistent across crashes (see docs/architecture.md):
concepts are written before the edges that use them, edges are deleted before the concepts
they touch, and the view drops any edge whose end is missing. Every write ends by changing
the generation token, so every reader — this process or another — reloads its view.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

from .embed import Embedder, get_embedder
from .forget import forget_lesson
from .graph import CycleError, KnowledgeGraph
from .models import PREREQUISITE, Concept, Edge, Passage
from .settings import Settings
from .store import ChromaStore, LessonRecord, StoreError
from .view import View as _View

log = logging.getLogger(__name__)

__all__ = ["KnowledgeBase", "KBLockedError", "CycleError", "StoreError", "MissingConceptError", "open_kb"]


class KBLockedError(StoreError):
    """Another process owns the embedded store."""


class MissingConceptError(ValueError):
    """An edge names a concept that is not in the knowledge base."""


class KnowledgeBase:
    """Concepts and typed edges, persisted in Chroma, read through a cached in-memory view."""

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._owner: FileLock | None = None
        if not self.settings.server_mode:
            self._owner = _claim(self.settings.data_dir)
        try:
            self.store = ChromaStore(self.settings)
        except Exception:
            self.close()
            raise
        self._view: _View | None = None
        self._write_lock = threading.RLock()
        self._bulk = False  # inside bulk(): one generation bump at the end, the view follows the writes

    # -- lifecycle ------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embed_model, self.settings.embed_device)
        return self._embedder

    @property
    def location(self) -> str:
        return self.store.location

    def close(self) -> None:
        if self._owner is not None:
            self._owner.release()
            self._owner = None

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the view ----------------------------------------------------------------------
    def view(self) -> _View:
        """The in-memory view, reloaded if any writer changed the store since it was built."""
        if self._bulk and self._view is not None:
            return self._view  # kept up to date by the writes themselves
        gen = self.store.generation()
        if self._view is None or self._view.generation != gen:
            self._view = self._load_view(gen)
        return self._view

    def _load_view(self, gen: str) -> _View:
        concepts = self.store.all_concepts()
        edges = [e for e, _ in self.store.all_edges() if e.src in concepts and e.dst in concepts]
        return _View(gen, concepts, KnowledgeGraph(concepts.keys(), edges))

    @property
    def graph(self) -> KnowledgeGraph:
        return self.view().graph

    def concepts(self) -> dict[str, Concept]:
        return self.view().concepts

    def get(self, cid: str) -> Concept | None:
        return self.view().concepts.get(cid)

    def is_empty(self) -> bool:
        return self.store.count_concepts() == 0 and not self.store.all_lessons()

    def lessons(self) -> list[LessonRecord]:
        return self.store.all_lessons()

    def lesson(self, lesson_id: str) -> LessonRecord | None:
        return self.store.get_lesson(lesson_id)

    def stats(self) -> dict[str, object]:
        v = self.view()
        counts = v.graph.counts()
        lessons = self.store.all_lessons()
        return {
            "concepts": len(v.concepts),
            "edges": {k: counts.get(k, 0) for k in sorted(counts)},
            "prerequisite_edges": counts.get(PREREQUISITE, 0),
            "related_edges": sum(n for k, n in counts.items() if k != PREREQUISITE),
            "lessons": len(lessons),
            "courses": sorted({r.course for r in lessons if r.course}),
            "sources": len({s.path for c in v.concepts.values() for s in c.sources}),
            "passages": self.store.count_passages(),
            "store": self.location,
            "mode": "server" if self.settings.server_mode else "embedded",
            "embedder": self.settings.embed_model,
        }

    # -- search -----------------------------------------------------------------------
    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_one(text)

    def nearest(self, embedding: np.ndarray, n: int) -> list[tuple[str, float]]:
        return self.store.query(embedding, n)

    def search_concepts(self, query: str, limit: int = 50) -> list[str]:
        """Concept ids for a browsing search: names (title, alias, tag) containing the text first,
        then BM25 over the catalogue, at most ``limit``; every concept by title (no limit) when the
        query is empty."""
        v = self.view()
        concepts = v.concepts
        q = " ".join(query.lower().split())
        if not q:
            return sorted(concepts, key=lambda c: concepts[c].title.lower())
        named = [cid for cid, c in concepts.items() if any(q in n.lower() for n in [c.title, *c.aliases, *c.tags])]
        named.sort(key=lambda c: (not concepts[c].title.lower().startswith(q), concepts[c].title.lower()))
        lexical = [cid for cid, _ in v.lexical.bm25(query, limit) if cid in concepts]
        return list(dict.fromkeys(named + lexical))[:limit]

    def concepts_citing(self, path: str, section: str) -> list[Concept]:
        """The concepts that cite this lesson section, by title (indexed once per generation)."""
        v = self.view()
        with v._lock:
            if v._sections is None:
                index: dict[tuple[str, str], list[Concept]] = {}
                for c in v.concepts.values():
                    for key in {(s.path, s.section) for s in c.sources}:
                        index.setdefault(key, []).append(c)
                v._sections = index
        return sorted(v._sections.get((path, section), []), key=lambda c: c.title.lower())

    def neighbourhood(self, cid: str, depth: int = 1) -> tuple[list[str], list[Edge]]:
        """A concept with its prerequisites and what it unlocks (``depth`` steps), its related
        concepts, and every stored edge between them: (ids by title, edges)."""
        v = self.view()
        g, concepts = v.graph, v.concepts
        keep, frontier = {cid}, {cid}
        for _ in range(max(1, depth)):
            nxt: set[str] = set()
            for c in frontier:
                nxt.update(g.prerequisites(c))
                nxt.update(g.unlocks(c))
            keep |= nxt
            frontier = nxt
        keep.update(nb for nb, _ in g.related_to(cid))
        ids = sorted((c for c in keep if c in concepts), key=lambda c: concepts[c].title.lower())
        members = set(ids)
        return ids, [e for e in g.edges() if e.src in members and e.dst in members]

    # -- passages: the course's own words ---------------------------------------------
    def passages_for(self, concept_id: str, kind: str | None = None) -> list[Passage]:
        """The passages tied to a concept (``kind``: ``"text"`` or ``"code"``), in lesson order."""
        found = self.view().passages(self.store).by_concept.get(concept_id, [])
        return [p for p in found if kind is None or p.kind == kind]

    def search_passages(self, query: str, n: int = 5, *, concepts: Iterable[str] | None = None,
                        kind: str | None = None, paths: Iterable[str] | None = None) -> list[tuple[Passage, float]]:
        """Passages best matching ``query`` by BM25, best first (scores > 0); with ``concepts``,
        only passages tied to one of them; with ``kind``, only text or only code; with ``paths``,
        only passages of those lesson files."""
        wanted = set(concepts) if concepts is not None else None
        files = set(paths) if paths is not None else None
        whole = wanted is None and kind is None and files is None
        found = self.view().passages(self.store).index.search(query, n if whole else None)
        return [(p, s) for p, s in found  # filtered: all ranked, then filtered
                if (kind is None or p.kind == kind) and (wanted is None or wanted & set(p.concepts))
                and (files is None or p.source.path in files)][:n]

    def search_code(self, query: str, n: int | None = 10) -> list[tuple[Passage, float]]:
        """Code passages best matching ``query`` by BM25 over each block with its section and the
        prose that leads into it, best first (scores > 0; every one with ``n=None``)."""
        return self.view().passages(self.store).code_index.search(query, n)

    def add_passages(self, passages: Sequence[Passage]) -> None:
        if passages:
            with self.writing():
                self.store.upsert_passages(passages)
                self._follow(passages=True)

    # -- writes -----------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[None]:
        """Serialise writers in this process; bump the generation when done (even on error)."""
        with self._write_lock:
            try:
                yield
            finally:
                if not self._bulk:
                    self.store.bump_generation()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many writes by one writer (an ingest): the generation is bumped once, when the block
        ends (also on error), instead of after every write, and this process's view follows the
        writes instead of being read back from the store after each. Other processes see the
        changes when the block ends; a crash inside it loses nothing already written."""
        with self._write_lock:
            if self._bulk:
                yield
                return
            self._bulk = True
            try:
                yield
            finally:
                self._bulk = False
                self._view = None
                self.store.bump_generation()

    def _follow(self, concepts: Sequence[Concept] = (), graph: KnowledgeGraph | None = None,
                passages: bool = False) -> None:
        """Inside :meth:`bulk`: bring the cached view up to date with a write just made."""
        v = self._view
        if not self._bulk or v is None:
            return
        for c in concepts:
            v.concepts[c.id] = c
            if not v.graph.has_node(c.id):
                v.graph.add_node(c.id)
        if graph is not None:
            v.graph = graph
            v._ancestors = {}
        if concepts:
            v._lexical = None
            v._sections = None
        if concepts or passages:
            v._passages = None

    def _unfollow(self) -> None:
        """Inside :meth:`bulk`: a write the view cannot follow; read it back when next needed."""
        if self._bulk:
            self._view = None

    def upsert_concepts(self, concepts: Sequence[Concept], embeddings: np.ndarray | None = None) -> None:
        if not concepts:
            return
        if embeddings is None:
            embeddings = self.embedder.embed([c.embedding_text() for c in concepts])
        with self.writing():
            self.store.upsert_concepts(concepts, embeddings)
            self._follow(concepts=concepts)

    def add_edges(self, edges: Iterable[Edge], *, skip_cycles: bool = False) -> list[Edge]:
        """Add typed edges. Both ends must exist. A prerequisite edge that would close a cycle
        raises :class:`CycleError` (or is skipped with ``skip_cycles``). Returns the edges added."""
        edges = list(edges)
        if not edges:
            return []
        with self.writing():
            v = self.view()
            graph = v.graph.copy()
            ids = {c for e in edges for c in (e.src, e.dst)}
            missing = sorted(i for i in ids if i not in v.concepts)
            if missing:
                raise MissingConceptError(
                    f"edges name concepts that are not in the knowledge base: {', '.join(missing)}; "
                    "add those concepts first"
                )
            added: list[Edge] = []
            for e in edges:
                try:
                    graph.add(e, check=True)
                except CycleError:
                    if skip_cycles:
                        log.info("skipped edge that would close a cycle: %s", e.id)
                        continue
                    raise
                added.append(e)
            self.store.upsert_edges(added)
            self._follow(graph=graph)
            return added

    def remove_edges(self, edges: Iterable[Edge]) -> None:
        with self.writing():
            self.store.delete_edges([e.id for e in edges])
            self._unfollow()

    def delete_concepts(self, ids: Sequence[str]) -> None:
        """Delete concepts and every edge touching them (edges first: never a dangling edge)."""
        if not ids:
            return
        with self.writing():
            self.store.delete_edges(self.store.edges_touching(ids))
            self.store.delete_concepts(ids)
            self._unfollow()

    def upsert_lessons(self, records: Sequence[LessonRecord]) -> None:
        with self.writing():
            self.store.upsert_lessons(records)

    def upsert_lesson(self, record: LessonRecord) -> None:
        self.upsert_lessons([record])

    def forget_lesson(self, lesson_id: str) -> dict[str, int]:
        """Delete a lesson and what only it contributed (:func:`knowledge.forget.forget_lesson`).
        Returns counts of what changed."""
        if self.store.get_lesson(lesson_id) is None:
            known = ", ".join(r.id for r in self.store.all_lessons()[:8]) or "none"
            raise KeyError(f"no lesson {lesson_id!r} in the knowledge base (lessons: {known})")
        with self.writing():
            report = forget_lesson(self.store, lesson_id)
            self._unfollow()
        return report


def _claim(data_dir: Path) -> FileLock:
    """One process owns an embedded store at a time (Chroma's embedded mode is not safe
    across processes). A second process gets a clear error pointing at server mode."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "erica.lock"
    lock = FileLock(str(path), timeout=float(os.environ.get("ERICA_LOCK_TIMEOUT", "5")))
    try:
        lock.acquire()
    except Timeout:
        raise KBLockedError(
            f"the knowledge base in {data_dir} is in use by another Erica process (the UI or a CLI "
            "command); wait for it to finish or stop it — or, to share one knowledge base between "
            f"processes, run a Chroma server (`chroma run --path {data_dir / 'chroma'} --port 8000`) "
            "and set ERICA_CHROMA_HOST=127.0.0.1"
        ) from None
    return lock


_KBS: dict[tuple, KnowledgeBase] = {}
_KBS_LOCK = threading.Lock()


def open_kb(settings: Settings | None = None, embedder: Embedder | None = None) -> KnowledgeBase:
    """The process-wide knowledge base for these settings (opened once)."""
    settings = settings or Settings()
    key = (str(settings.data_dir), settings.chroma_host, settings.chroma_port, settings.collection_prefix)
    with _KBS_LOCK:
        kb = _KBS.get(key)
        if kb is None:
            kb = _KBS[key] = KnowledgeBase(settings, embedder)
        return kb
