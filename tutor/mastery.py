"""Mastery per student and concept: Bayesian knowledge tracing over the prerequisite graph.

Why BKT rather than Elo/IRT: a course graph has few answers per concept and per student (a
student answers a handful of questions on each concept, and no item is answered by enough
students to calibrate an item difficulty), and the question a tutor must answer is binary —
does the student know this concept yet? BKT models exactly that hidden yes/no state with four
interpretable parameters, and its posterior can be moved by evidence from neighbouring concepts.

Parameters (:class:`BKT`, stated and fixed, not fitted):

* ``prior`` P(L0) = 0.3 — most concepts of a course are new to a student who opens it;
* ``transit`` P(T) = 0.05 — chance of learning the concept from one answered question and its
  feedback (the passage is shown after every answer);
* ``slip`` P(S) = 0.1 — a student who knows it still picks a wrong option;
* ``guess`` P(G) = 1 / number of options (0.25 for four) — a student who does not know it
  picks the right option by chance.

After an answer on concept X the posterior of X is the BKT update. Evidence then travels along
prerequisite edges by one stated rule (:meth:`Tracer.answer`):

* a **right** answer on X is evidence that the student knows what X builds on: every
  prerequisite ancestor A at distance d moves toward its own right-answer posterior by a
  factor ``carry ** d`` (carry = 0.6);
* a **wrong** answer on X is evidence against what builds on X: every dependent D at distance d
  moves toward its own wrong-answer posterior by ``carry ** d``.

A concept is **mastered** at P(L) ≥ 0.9 and **weak** when answered and still below 0.5, or
pushed below the prior by evidence against it; "what to learn next" is the frontier: concepts not mastered whose
prerequisites all are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

MASTERED = 0.9
WEAK = 0.5


@dataclass(frozen=True)
class BKT:
    prior: float = 0.3
    transit: float = 0.05
    slip: float = 0.1
    guess: float = 0.25
    carry: float = 0.6

    def posterior(self, p: float, correct: bool, guess: float | None = None) -> float:
        """P(known | this answer), before any learning from it."""
        g = self.guess if guess is None else guess
        if correct:
            num, den = p * (1 - self.slip), p * (1 - self.slip) + (1 - p) * g
        else:
            num, den = p * self.slip, p * self.slip + (1 - p) * (1 - g)
        return num / den if den > 0 else p

    def update(self, p: float, correct: bool, guess: float | None = None) -> float:
        """P(known) after the answer and the feedback shown with it."""
        post = self.posterior(p, correct, guess)
        return post + (1 - post) * self.transit


@dataclass
class ConceptState:
    """What the tracer knows about one student and one concept."""

    p: float
    asked: int = 0
    right: int = 0
    evidence: int = 0  # updates carried in from neighbouring concepts

    @property
    def seen(self) -> bool:
        return self.asked > 0 or self.evidence > 0

    def to_dict(self) -> dict[str, float | int]:
        return {"p": round(self.p, 6), "asked": self.asked, "right": self.right, "evidence": self.evidence}

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> "ConceptState":
        return cls(p=float(d.get("p", BKT.prior)), asked=int(d.get("asked", 0) or 0),  # type: ignore[arg-type]
                   right=int(d.get("right", 0) or 0), evidence=int(d.get("evidence", 0) or 0))  # type: ignore[arg-type]


@dataclass
class Tracer:
    """BKT for one student over a prerequisite graph (edges ``prerequisite → dependent``)."""

    prereq: nx.DiGraph
    params: BKT = field(default_factory=BKT)
    states: dict[str, ConceptState] = field(default_factory=dict)

    def state(self, cid: str) -> ConceptState:
        if cid not in self.states:
            self.states[cid] = ConceptState(self.params.prior)
        return self.states[cid]

    def mastery(self, cid: str) -> float:
        return self.states[cid].p if cid in self.states else self.params.prior

    def answer(self, cid: str, correct: bool, options: int = 4) -> dict[str, float]:
        """Record one answer on ``cid``; returns the concepts whose mastery changed (new values)."""
        guess = 1.0 / max(options, 2)
        st = self.state(cid)
        st.p = self.params.update(st.p, correct, guess)
        st.asked += 1
        st.right += int(correct)
        changed = {cid: st.p}
        if cid not in self.prereq:
            return changed
        if correct:
            reach = nx.single_source_shortest_path_length(self.prereq.reverse(copy=False), cid)
        else:
            reach = nx.single_source_shortest_path_length(self.prereq, cid)
        for other, d in reach.items():
            if d == 0:
                continue
            o = self.state(other)
            target = self.params.posterior(o.p, correct, guess)
            o.p += (self.params.carry ** d) * (target - o.p)
            o.evidence += 1
            changed[other] = o.p
        return changed

    def mastered(self, cid: str) -> bool:
        return self.mastery(cid) >= MASTERED

    def weak(self, cid: str) -> bool:
        """Asked about and still below 0.5. Evidence carried in from a neighbour lowers P(known)
        but does not flag a concept: one wrong answer on an early concept would otherwise mark
        everything built on it as weak."""
        st = self.states.get(cid)
        return st is not None and st.asked > 0 and st.p < WEAK

    def frontier(self, concepts: Iterable[str]) -> list[str]:
        """Concepts not yet mastered whose prerequisites all are (reading order kept)."""
        out = []
        for cid in concepts:
            if self.mastered(cid):
                continue
            pres = self.prereq.predecessors(cid) if cid in self.prereq else ()
            if all(self.mastered(p) for p in pres):
                out.append(cid)
        return out

    def uncertainty(self, cid: str) -> float:
        """How far from decided: 1 at P = 0.5, 0 at 0 or 1."""
        p = self.mastery(cid)
        return 1 - abs(2 * p - 1)
