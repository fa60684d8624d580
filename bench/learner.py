"""Simulated students on the starter course graph: how well does the tracer (BKT + evidence along
prerequisite edges, :mod:`tutor.mastery`) find out what each student knows, and with how many
questions, against a naive baseline that asks k questions per concept and calls a concept
mastered at >= 50 % right?

Each simulated student has a hidden mastery consistent with the prerequisites (a concept can
be known only if all its prerequisites are): a share f ~ U(0.05, 0.95) of the course, learned one
concept at a time, each drawn at random among those whose prerequisites are already known.
A student answers a 4-option question right with probability 1 - slip (0.1) when the concept is
known and guess (0.25) when it is not.

The tracer's policy: ask about the most uncertain concept that is still undecided
(0.1 < P < 0.9) and asked fewer than 4 times; stop when none is left. A concept is classified
known when P(known) >= 0.5. Only concepts the question bank can ask about are used.

    python bench/learner.py [--students 300] [--seed 7]

The last line printed is a JSON object: mastery_accuracy, questions_per_concept, and the same
for the baseline (at the smallest k that reaches the tracer's accuracy, else its best k).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import STARTER, course_kb  # noqa: E402
from tutor.mastery import BKT, Tracer  # noqa: E402
from tutor.quiz import QuestionBank  # noqa: E402

SLIP, GUESS, MAX_ASK = 0.1, 0.25, 4


def hidden_mastery(order: list[str], g: nx.DiGraph, rng: random.Random) -> dict[str, bool]:
    """A student who has learned a share f ~ U(0.05, 0.95) of the course, one concept at a time,
    each chosen at random among those whose prerequisites they already know."""
    target = round(rng.uniform(0.05, 0.95) * len(order))
    known = dict.fromkeys(order, False)
    ready = [c for c in order if g.in_degree(c) == 0]
    for _ in range(target):
        if not ready:
            break
        c = ready.pop(rng.randrange(len(ready)))
        known[c] = True
        ready += [d for d in g.successors(c) if all(known[p] for p in g.predecessors(d)) and d not in ready]
    return known


def respond(known: bool, rng: random.Random) -> bool:
    return rng.random() < ((1 - SLIP) if known else GUESS)


def run_tracer(concepts: list[str], g: nx.DiGraph, known: dict[str, bool], rng: random.Random) -> tuple[float, int]:
    tr = Tracer(g, BKT(slip=SLIP, guess=GUESS))
    asked = dict.fromkeys(concepts, 0)
    n = 0
    while True:
        open_ = [c for c in concepts if asked[c] < MAX_ASK and 0.1 < tr.mastery(c) < 0.9]
        if not open_:
            break
        c = max(open_, key=lambda x: (tr.uncertainty(x), -asked[x]))
        tr.answer(c, respond(known[c], rng), 4)
        asked[c] += 1
        n += 1
    right = sum((tr.mastery(c) >= 0.5) == known[c] for c in concepts)
    return right / len(concepts), n


def run_baseline(concepts: list[str], known: dict[str, bool], k: int, rng: random.Random) -> float:
    right = 0
    for c in concepts:
        hits = sum(respond(known[c], rng) for _ in range(k))
        right += (hits >= 0.5 * k) == known[c]
    return right / len(concepts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with course_kb(STARTER) as kb:
        bank = QuestionBank(kb)
        askable = {c for c in bank.concepts if bank.questions(c)}
        g = kb.graph.prereq.subgraph(askable).copy()
    order = list(nx.topological_sort(g))
    print(f"starter graph: {len(order)} concepts with questions, {g.number_of_edges()} prerequisite edges")
    rng = random.Random(args.seed)
    students = [hidden_mastery(order, g, rng) for _ in range(args.students)]
    accs, counts = [], []
    for known in students:
        a, n = run_tracer(order, g, known, rng)
        accs.append(a)
        counts.append(n)
    acc = sum(accs) / len(accs)
    qpc = sum(counts) / len(counts) / len(order)
    print(f"tracer: mastery accuracy {acc:.3f} with {qpc:.2f} questions per concept")
    share = sum(sum(k.values()) for k in students) / (len(students) * len(order))
    print(f"(students know {share:.0%} of the concepts on average: calling everything unknown, with no "
          f"question, would be {1 - share:.3f} accurate)")
    base = {}
    for k in range(1, 9):
        base[k] = sum(run_baseline(order, known, k, rng) for known in students) / len(students)
        print(f"baseline k={k}: mastery accuracy {base[k]:.3f} with {k} questions per concept")
    k = next((k for k in base if base[k] >= acc), max(base, key=base.get))
    print(json.dumps({"mastery_accuracy": round(acc, 3), "questions_per_concept": round(qpc, 2),
                      "baseline": {"mastery_accuracy": round(base[k], 3), "questions_per_concept": k},
                      "students": args.students, "concepts": len(order)}))


if __name__ == "__main__":
    main()
