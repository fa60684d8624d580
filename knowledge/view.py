"""The in-memory view of the knowledge base at one store generation: the concept catalogue,
the NetworkX graph, and indexes built lazily from them (lexical, passages)."""

from __future__ import annotations

import re
import sys
import threading

import networkx as nx
import numpy as np

from .graph import KnowledgeGraph
from .lexical import _WORD, LexicalIndex, PassageIndex, lead_of
from .models import Concept, Passage
from .store import ChromaStore

MIN_LESSONS = 8  # fewer lessons than this: no word is everyday by its share of them


class View:
    """Everything derived from the store at one generation."""

    def __init__(self, generation: str, concepts: dict[str, Concept], graph: KnowledgeGraph) -> None:
        self.generation = generation
        self.concepts = concepts
        self.graph = graph
        self._lexical: LexicalIndex | None = None
        self._passages: Passages | None = None
        self._sections: dict[tuple[str, str], list[Concept]] | None = None
        self._vectors: dict[str, np.ndarray] = {}  # concept vectors read so far (they change only with the generation)
        self._ancestors: dict[str, int] = {}  # how many concepts each builds on, over prerequisite edges
        self._lock = threading.Lock()

    def prerequisites_advanced_first(self, cid: str) -> list[str]:
        """What ``cid`` builds on directly, the most advanced first: the one that itself builds on
        the most (its ancestors over the prerequisite edges), ties by id. A teacher recalls what came
        just before (the encoder–decoder architecture before attention), not what came long ago."""
        found = self.graph.prerequisites(cid)
        if len(found) < 2:
            return found
        with self._lock:
            missing = [p for p in found if p not in self._ancestors]
        for p in missing:
            n = len(nx.ancestors(self.graph.prereq, p))
            with self._lock:
                self._ancestors[p] = n
        return sorted(found, key=lambda p: (-self._ancestors[p], p))

    @property
    def lexical(self) -> LexicalIndex:
        with self._lock:
            if self._lexical is None:
                self._lexical = LexicalIndex(self.concepts.values())
            return self._lexical

    def vectors(self, ids: list[str], store: ChromaStore) -> dict[str, np.ndarray]:
        """The stored vectors of concepts ``ids``, read from the store once per generation."""
        with self._lock:
            missing = [cid for cid in ids if cid not in self._vectors]
        if missing:
            got = store.concept_embeddings(missing)
            with self._lock:
                self._vectors.update(got)
        return {cid: self._vectors[cid] for cid in ids if cid in self._vectors}

    def passages(self, store: ChromaStore) -> "Passages":
        """The passages, indexed by concept and by BM25 (read once per generation)."""
        with self._lock:
            if self._passages is None:
                titles = {r.id: r.title for r in store.all_lessons()}
                self._passages = Passages(store.all_passages(), titles)
            return self._passages


class Passages:
    def __init__(self, passages: list[Passage], titles: dict[str, str] | None = None) -> None:
        self.all = sorted(passages, key=lambda p: (p.source.lesson, p.order))
        self.titles = titles or {}  # lesson record id → the lesson's title
        self.by_concept: dict[str, list[Passage]] = {}
        for p in self.all:
            for cid in p.concepts:
                self.by_concept.setdefault(cid, []).append(p)
        self._index: PassageIndex | None = None
        self._code_index: PassageIndex | None = None
        self._lesson_words: dict[str, int] | None = None
        self._lessons = len({p.source.lesson or p.source.path for p in self.all})
        self._next: dict[str, Passage] | None = None
        self._libraries: frozenset[str] | None = None

    def following(self, p: Passage) -> Passage | None:
        """The passage after ``p`` in its section (text or code), if any."""
        if self._next is None:
            self._next = {a.id: b for a, b in zip(self.all, self.all[1:])
                          if (a.source.lesson, a.source.path, a.source.section) == (b.source.lesson, b.source.path, b.source.section)}
        return self._next.get(p.id)

    def concept_share(self, cid: str) -> float:
        """The share of the course's lessons with a passage that names concept ``cid``: how broad a
        topic it is in this course (the IoT course's "IoT Hub": a quarter; "Consumer group": one
        lesson). 0 under :data:`MIN_LESSONS` lessons, as :meth:`lesson_share`."""
        if self._lessons < MIN_LESSONS:
            return 0.0
        return len({p.source.lesson or p.source.path for p in self.by_concept.get(cid, ())}) / self._lessons

    def lesson_share(self, word: str) -> float:
        """The share of the course's lessons whose passages use ``word`` (or its plural): how
        everyday a one-word name is in this course ("layer": half of d2l; "dropout": a seventh).
        0 for a course of fewer than :data:`MIN_LESSONS` lessons, where a share says little (one
        long PDF uses every word it names in all of its one lesson)."""
        if self._lessons < MIN_LESSONS:
            return 0.0
        if self._lesson_words is None:
            seen: dict[str, set[str]] = {}
            for p in self.all:
                for w in set(_WORD.findall(f"{p.source.section} {p.text}".lower())):
                    seen.setdefault(w, set()).add(p.source.lesson or p.source.path)
            self._lesson_words = {w: len(ls) for w, ls in seen.items()}
        n = max(self._lesson_words.get(word, 0), self._lesson_words.get(word + "s", 0))
        return n / self._lessons

    @property
    def index(self) -> PassageIndex:
        if self._index is None:
            self._index = PassageIndex(self.all, self.titles)
        return self._index

    @property
    def code_index(self) -> PassageIndex:
        """BM25 over the code passages alone, each with the end of the prose before it in its
        section (what the lesson says the code does: "we can use the cosine similarity ... to find
        the words most similar to an input word" before ``get_similar_tokens``)."""
        if self._code_index is None:
            code, leads, prose = [], {}, None
            for p in self.all:  # (in lesson order)
                where = (p.source.lesson, p.source.path, p.source.section)
                if p.kind == "text":
                    prose = (where, p.text)
                    continue
                code.append(p)
                if prose is not None and prose[0] == where:
                    leads[p.id] = lead_of(prose[1])
            self._code_index = PassageIndex(code, self.titles, leads)
        return self._code_index

    @property
    def libraries(self) -> frozenset[str]:
        """The libraries the course's code imports (``import timm``, ``from diffusers import ...``,
        R's ``library(dplyr)``), lower-case, the language's own standard library aside: what a
        student names when asking how to do something with them ("How do I load it with timm?")."""
        if self._libraries is None:
            found = {g.lower() for p in self.all if p.kind != "text" for m in _IMPORTED.finditer(p.text) for g in m.groups() if g}
            self._libraries = frozenset(found - set(sys.stdlib_module_names) - {"__future__"})
        return self._libraries


# "import timm", "import torch.nn as nn", "from transformers import pipeline", "library(dplyr)"
_IMPORTED = re.compile(r"^[ \t]*(?:import\s+([A-Za-z_]\w*)|from\s+([A-Za-z_]\w*)[\w.]*\s+import\b|library\(\s*([A-Za-z][\w.]*)\s*\))",
                       re.MULTILINE)
