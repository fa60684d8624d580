"""The records retrieval returns: the knobs of one question, its seeds, the path in explanation
order with the edges it used, and the result that holds them (:mod:`tutor.retrieval` computes them)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from knowledge.kb import KnowledgeBase
from knowledge.models import Concept, Example, Source


class RetrievalError(ValueError):
    """The question cannot be searched (empty, say); the message says what to do."""


@dataclass
class RetrievalParams:
    """Per-question knobs."""

    top_k: int = 5  # semantic seeds
    min_score: float = 0.3  # cosine similarity a seed needs (a concept named in the question: 0.15 less)
    prereq_depth: int = 2
    related_depth: int = 1
    max_concepts: int = 10

    def __post_init__(self) -> None:
        checks = {
            "top_k": (self.top_k, 1, 50),
            "prereq_depth": (self.prereq_depth, 0, 6),
            "related_depth": (self.related_depth, 0, 3),
            "max_concepts": (self.max_concepts, 1, 100),
        }
        for name, (val, lo, hi) in checks.items():
            if not lo <= val <= hi:
                raise RetrievalError(f"{name} must be between {lo} and {hi}, not {val}")
        if not -1.0 <= self.min_score <= 1.0:
            raise RetrievalError(f"min_score is a cosine similarity between -1 and 1, not {self.min_score}")


@dataclass
class Seed:
    id: str
    title: str
    score: float  # fused score used for ranking
    similarity: float  # cosine similarity to the question
    sources: list[Source]
    matched_name: bool = False
    merged: list[str] = field(default_factory=list)  # near-duplicate seeds folded into this one
    taught: float = 0.0  # the part of ``score`` from the lesson passages (which lesson, not which concept is asked)


@dataclass
class PathStep:
    id: str
    title: str
    definition: str
    difficulty: str
    relation: str  # seed | prerequisite | related
    via: str  # the concept it was reached from ('' for seeds)
    depth: int
    kind: str  # edge kind from `via` ('' for seeds)
    sources: list[Source]
    examples: list[Example]
    tags: list[str]
    aliases: list[str]
    taught: str = "defined"  # "introduced": the course names it (a heading, emphasis) but no sentence defines it
    context: str = ""  # with no definition: the sentence where the course brings it up


@dataclass
class EdgeUsed:
    src: str
    dst: str
    kind: str
    evidence: str = ""


@dataclass
class RetrievalResult:
    query: str
    seeds: list[Seed]
    path: list[PathStep]
    edges: list[EdgeUsed]
    params: RetrievalParams = field(default_factory=RetrievalParams)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # the files that answer the question, best first, each with a section
    # (:func:`tutor.citing.ranked_lessons`: the seeds' sources fused with the best passages)
    lessons: list[Source] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing in the course is close enough to the question."""
        return not self.seeds

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for seed in d["seeds"]:
            seed["score"] = round(seed["score"], 4)
            seed["similarity"] = round(seed["similarity"], 4)
        return d

    def next_steps(self, kb: KnowledgeBase, limit: int = 5) -> list[Concept]:
        """What to learn next: concepts that the seeds are prerequisites of, not in the path."""
        g = kb.graph
        on_path = {s.id for s in self.path}
        nxt: list[str] = []
        for seed in self.seeds:
            for cid in g.unlocks(seed.id):
                if cid not in on_path and cid not in nxt:
                    nxt.append(cid)
        concepts = kb.concepts()
        return [concepts[c] for c in nxt[:limit] if c in concepts]
