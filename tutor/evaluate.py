"""`erica eval`: does retrieval find the lesson / concept a question is about?

Input: JSONL, one object per line: ``{"question": ..., "lesson": ..., "concept": ...}`` with at
least one of ``lesson`` (a lesson id, or part of a lesson file path, e.g.
``lessons/4-ComputerVision/07-ConvNets``) and ``concept`` (an id, title or alias). Output: hit@k and
MRR for lessons and concepts. Concepts are ranked in the seeds' order; lessons as retrieval ranks
the files that answer the question (:attr:`~tutor.retrieval.RetrievalResult.lessons`: the seeds'
sources fused with the passages that match the question best).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.kb import KnowledgeBase
from knowledge.lexical import name_key
from knowledge.models import slugify
from tutor.retrieval import RetrievalError, RetrievalParams, Retriever


class EvalError(ValueError):
    """The question file is missing or malformed (the message names the line)."""


@dataclass
class EvalResult:
    k: int
    n: int = 0
    lesson_hits: list[int] = field(default_factory=list)  # rank (1-based) or 0
    concept_hits: list[int] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @staticmethod
    def _hit(ranks: list[int], k: int) -> float:
        return sum(1 for r in ranks if 0 < r <= k) / len(ranks) if ranks else 0.0

    @staticmethod
    def _mrr(ranks: list[int]) -> float:
        return sum(1.0 / r for r in ranks if r > 0) / len(ranks) if ranks else 0.0

    def figures(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"questions": self.n}
        if self.lesson_hits:
            out.update({"lesson questions": len(self.lesson_hits),
                        f"lesson hit@{self.k}": self._hit(self.lesson_hits, self.k),
                        "lesson hit@1": self._hit(self.lesson_hits, 1), "lesson MRR": self._mrr(self.lesson_hits)})
        if self.concept_hits:
            out.update({"concept questions": len(self.concept_hits),
                        f"concept hit@{self.k}": self._hit(self.concept_hits, self.k),
                        "concept MRR": self._mrr(self.concept_hits)})
        return out

    def to_dict(self) -> dict:
        return {**self.figures(), "k": self.k, "misses": self.misses}


def _norm(s: str) -> str:
    return s.strip().strip("/").lower()


def read_jsonl(path: Path, expected: str, check: Callable[[dict], str | None]) -> list[dict]:
    """The objects of a JSON-lines file; ``check`` returns what is wrong with one (or None).
    Errors name the file and line; ``expected`` says what the file should hold."""
    if not Path(path).is_file():
        raise EvalError(f"{path}: no such file (expected JSONL with {expected})")
    out = []
    for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{path}:{i}: not JSON ({exc.msg})") from exc
        problem = check(obj) if isinstance(obj, dict) else "needs a JSON object"
        if problem:
            raise EvalError(f"{path}:{i}: {problem}")
        out.append(obj)
    return out


def _question_problem(obj: dict) -> str | None:
    if not str(obj.get("question", "")).strip():
        return "needs a non-empty 'question'"
    if not obj.get("lesson") and not obj.get("concept"):
        return "needs 'lesson' and/or 'concept' (what should be found)"
    return None


def load_questions(path: Path) -> list[dict]:
    out = read_jsonl(path, "'question' and 'lesson'/'concept'", _question_problem)
    if not out:
        raise EvalError(f"{path}: no questions")
    return out


def evaluate(kb: KnowledgeBase, path: Path, k: int = 5, params: RetrievalParams | None = None,
             split: str | None = None) -> EvalResult:
    """``split``: only the lines whose ``"split"`` field is this (a tuning or a held-out half)."""
    questions = [q for q in load_questions(path) if split is None or q.get("split") == split]
    if not questions:
        raise EvalError(f"{path}: no question has \"split\": {split!r}")
    retriever = Retriever(kb)
    params = params or RetrievalParams(top_k=max(k, 5))
    res = EvalResult(k=k)
    names: dict[str, set[str]] = {}  # a concept may be named by its title or an alias ("LSTM")
    if any(q.get("concept") for q in questions):
        for c in kb.concepts().values():
            for n in (c.title, *c.aliases):
                names.setdefault(name_key(n), set()).add(c.id)
    for q in questions:
        res.n += 1
        try:
            r = retriever.retrieve(q["question"], params)
        except RetrievalError as exc:
            res.misses.append(f"{q['question']!r}: {exc}")
            r = None
        seeds = r.seeds if r else []
        if q.get("lesson"):
            want = _norm(str(q["lesson"]))
            lessons = [[_norm(x.lesson), _norm(x.path)] for x in (r.lessons if r else [])]
            rank = next((i + 1 for i, keys in enumerate(lessons) if any(want in key for key in keys if key)), 0)
            seen_lessons = [keys[0] or keys[1] for keys in lessons]
            res.lesson_hits.append(rank)
            if not rank or rank > k:
                top = seen_lessons[:3]
                res.misses.append(f"{q['question']!r}: wanted lesson {q['lesson']}, got {top}")
        if q.get("concept"):
            want_id = slugify(str(q["concept"]))
            wanted = {want_id} | names.get(name_key(str(q["concept"])), set())
            ids = [s.id for s in seeds]
            merged = [[s.id, *s.merged] for s in seeds]
            rank = next((i + 1 for i, group in enumerate(merged) if wanted & set(group)), 0)
            res.concept_hits.append(rank)
            if not rank or rank > k:
                res.misses.append(f"{q['question']!r}: wanted concept {want_id}, got {ids[:3]}")
    return res
