"""A student's practice: questions chosen from the graph, answers graded and traced, progress
kept per learner next to the knowledge base. The CLI (`erica quiz`, `erica progress`) and the
Practice page are shells over :class:`Practice`."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from knowledge import progress
from knowledge.kb import KnowledgeBase
from tutor.mastery import MASTERED, ConceptState, Tracer
from tutor.quiz import KINDS, Graded, Question, QuestionBank, grade


class PracticeError(ValueError):
    """A concept or lesson to practise that the knowledge base does not have."""


@dataclass
class LessonProgress:
    lesson: str
    title: str
    concepts: int
    mastered: int
    practised: int
    mastery: float  # mean P(known) over its concepts


@dataclass
class ConceptStatus:
    id: str
    title: str
    mastery: float  # P(known)
    seen: bool  # asked, or moved by evidence from a neighbour
    asked: int
    right: int
    mastered: bool
    weak: bool


@dataclass
class ProgressReport:
    learner: str
    concepts: int
    mastered: list[str]
    weak: list[str]
    next: list[str]  # the frontier: not mastered, every prerequisite mastered
    mastery: dict[str, float]
    lessons: list[LessonProgress] = field(default_factory=list)

    def to_dict(self, titles: dict[str, str]) -> dict[str, object]:
        def named(ids: list[str]) -> list[dict[str, object]]:
            return [{"id": c, "title": titles.get(c, c), "mastery": round(self.mastery.get(c, 0.0), 3)} for c in ids]

        return {"learner": self.learner, "concepts": self.concepts, "mastered": named(self.mastered),
                "weak": named(self.weak), "next": named(self.next[:10]),
                "lessons": [vars(x) | {"mastery": round(x.mastery, 3)} for x in self.lessons]}


class Practice:
    """One learner practising on one knowledge base."""

    def __init__(self, kb: KnowledgeBase, learner: str = progress.DEFAULT_LEARNER,
                 bank: QuestionBank | None = None) -> None:
        self.kb = kb
        self.learner = progress.check_learner(learner)
        self.bank = bank or QuestionBank(kb)
        states = {cid: ConceptState.from_dict(d) for cid, d in progress.load(kb, self.learner).items()}
        self.tracer = Tracer(kb.graph.prereq, states=states)
        self.asked: set[str] = set()  # question ids asked in this session

    # -- what to practise -------------------------------------------------------------------
    def order(self) -> list[str]:
        """Every concept, prerequisites before what builds on them (titles break ties)."""
        g = self.kb.graph.prereq
        titles = {cid: c.title.lower() for cid, c in self.bank.concepts.items()}
        nodes = [n for n in nx.lexicographical_topological_sort(g, key=lambda n: titles.get(n, n)) if n in titles]
        return nodes + sorted(set(titles) - set(nodes), key=titles.get)

    def resolve_concept(self, name: str) -> str:
        if name in self.bank.concepts:
            return name
        low = name.strip().lower()
        for cid, c in self.bank.concepts.items():
            if low in (c.title.lower(), *(a.lower() for a in c.aliases)):
                return cid
        hits = self.kb.search_concepts(name, limit=1)
        if not hits:
            raise PracticeError(f"no concept called {name!r} in the knowledge base; see `erica retrieve` or the Knowledge page")
        return hits[0]

    def lesson_concepts(self, lesson: str) -> list[str]:
        recs = [r for r in self.kb.lessons() if r.id == lesson or r.id.startswith(lesson.rstrip("/") + "/")]
        if not recs:
            known = ", ".join(r.id for r in self.kb.lessons()[:6])
            raise PracticeError(f"no lesson {lesson!r} in the knowledge base (lessons: {known}, ...; see `erica lessons`)")
        wanted = {cid for r in recs for cid in r.concepts}
        return [cid for cid in self.order() if cid in wanted]

    def next_concepts(self) -> list[str]:
        """The frontier, the least certain first; when everything is mastered, the weakest."""
        front = self.tracer.frontier(self.order())
        if front:
            return sorted(front, key=lambda c: -self.tracer.uncertainty(c))
        return sorted(self.bank.concepts, key=self.tracer.mastery)

    def questions(self, *, concept: str | None = None, lesson: str | None = None, next_up: bool = False,
                  count: int = 5, concepts: list[str] | None = None) -> list[Question]:
        """Up to ``count`` questions never asked in this session, spread over the concepts."""
        if concepts is None:
            if concept:
                cid = self.resolve_concept(concept)
                concepts = [cid, *self.kb.graph.prerequisites(cid)]
            elif lesson:
                concepts = self.lesson_concepts(lesson)
            else:
                concepts = self.next_concepts()  # also without next_up: practise what comes next
        # one question per concept per round; each concept starts at another kind, so that a
        # short quiz mixes kinds
        pools = [sorted((q for q in self.bank.questions(c) if q.id not in self.asked),
                        key=lambda q, i=i: (KINDS.index(q.kind) - i) % len(KINDS))
                 for i, c in enumerate(concepts)]
        out: list[Question] = []
        depth = 0
        while len(out) < count and any(len(p) > depth for p in pools):
            out += [p[depth] for p in pools if depth < len(p)][: count - len(out)]
            depth += 1
        self.asked |= {q.id for q in out}
        return out

    def check_understanding(self, concept_ids: list[str], n: int = 3) -> list[Question]:
        """``n`` questions on an answer's concepts (the main one first)."""
        return self.questions(concepts=[c for c in concept_ids if c in self.bank.concepts], count=n)

    # -- answering ----------------------------------------------------------------------------
    def answer(self, q: Question, choice: int) -> Graded:
        """Grade ``choice`` (an option index), update mastery and save it."""
        correct = grade(q, choice)
        changed = self.tracer.answer(q.concept, correct, len(q.options))
        progress.save(self.kb, self.learner, {cid: self.tracer.states[cid].to_dict() for cid in changed})
        return Graded(q, choice, correct, q.options[q.answer], changed)

    # -- progress -----------------------------------------------------------------------------
    def status(self, ids: list[str]) -> list[ConceptStatus]:
        """Where the learner stands on each of these concepts (the page's mastery map)."""
        out = []
        for cid in ids:
            c = self.bank.concepts.get(cid)
            if c is None:
                continue
            st = self.tracer.states.get(cid)
            out.append(ConceptStatus(cid, c.title, self.tracer.mastery(cid), bool(st and st.seen),
                                     st.asked if st else 0, st.right if st else 0,
                                     self.tracer.mastered(cid), self.tracer.weak(cid)))
        return out

    def report(self) -> ProgressReport:
        order = self.order()
        m = {cid: self.tracer.mastery(cid) for cid in order}
        lessons = []
        for r in self.kb.lessons():
            ids = [c for c in r.concepts if c in m]
            if not ids:
                continue
            lessons.append(LessonProgress(r.id, r.title, len(ids), sum(m[c] >= MASTERED for c in ids),
                                          sum(1 for c in ids if c in self.tracer.states and self.tracer.states[c].seen),
                                          sum(m[c] for c in ids) / len(ids)))
        return ProgressReport(self.learner, len(order), [c for c in order if m[c] >= MASTERED],
                              [c for c in order if self.tracer.weak(c)], self.tracer.frontier(order), m, lessons)
