"""Generate every quiz question of the starter course and the shared courses, check them, and draw
a random sample for judging by hand whether each question is fair.

For each course (the built-in starter course and the shared courses of bench/courses.py) it
builds a knowledge base in a temporary data dir (the starter course with ``ensure_starter``, a
shared course by ingesting it as bench/ingest.py does), builds the :class:`QuestionBank`, asks it
for every question on every concept, counts them by kind, and runs :func:`problems` on each
(every question the bank returns should pass: the count of failures should be 0). Then it draws
``--n`` questions per course (default: 14, 13, 13 = 40 in the order of ``--courses``) with a fixed
seed and writes them as JSON lines (course, question, options, the right answer's index, code,
the passage and source shown after the answer) with empty ``"good"`` and ``"note"`` fields to fill
in. A question is good when it is answerable from its passage and exactly one option, the one
marked, is defensibly right. With ``--judged FILE`` it prints the share of lines marked
``"good": true``.

    python bench/questions.py --out docs/judged/questions.jsonl
    python bench/questions.py --judged docs/judged/questions.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import COURSES, CORPUS, STARTER, course_kb, read_judged, write_sample  # noqa: E402
from tutor.quiz import KINDS, Question, QuestionBank, problems  # noqa: E402

def course_questions(corpus: Path, course: str) -> tuple[int, list[Question]]:
    """(number of concepts, every question the bank asks) for one course, in a temporary KB."""
    with course_kb(course, corpus) as kb:
        bank = QuestionBank(kb)
        qs = [q for cid in sorted(bank.concepts) for q in bank.questions(cid)]
    return len(bank.concepts), qs


def row(course: str, q: Question) -> dict[str, object]:
    out: dict[str, object] = {"course": course, "id": q.id, "kind": q.kind, "concept_title": q.concept_title,
                              "prompt": q.prompt, "options": list(q.options), "answer": q.answer}
    if q.code:
        out["code"] = q.code
    out.update({"source": q.source.label() if q.source else "", "passage": q.passage, "good": None, "note": ""})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--courses", nargs="+", choices=(STARTER, *COURSES), default=[STARTER, *COURSES])
    ap.add_argument("--n", type=int, nargs="+", default=[14, 13, 13],
                    help="questions to draw per course, in the order of --courses (one number: the same for each)")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--judged", type=Path, help="a sample file with 'good' filled in: print the share")
    args = ap.parse_args()
    if args.judged:
        rows, judged = read_judged(args.judged, "good")
        yes = sum(r["good"] for r in judged)
        print(f"{args.judged}: {yes}/{len(judged)} questions are good ({yes / max(len(judged), 1):.0%}); "
              f"{len(rows) - len(judged)} not judged")
        for course in dict.fromkeys(r.get("course", "") for r in judged):
            mine = [r for r in judged if r.get("course", "") == course]
            print(f"  {course}: {sum(r['good'] for r in mine)}/{len(mine)}")
        by_kind = Counter(r.get("kind", "") for r in judged)
        for kind, total in sorted(by_kind.items()):
            print(f"  {kind}: {sum(r['good'] for r in judged if r.get('kind') == kind)}/{total}")
        return
    ns = args.n if len(args.n) == len(args.courses) else [args.n[0]] * len(args.courses)
    lines = []
    for course, n in zip(args.courses, ns):
        n_concepts, qs = course_questions(args.corpus, course)
        kinds = Counter(q.kind for q in qs)
        failed = [q for q in qs if problems(q)]
        print(f"{course}: {n_concepts} concepts, {len(qs)} questions ("
              + ", ".join(f"{k} {kinds.get(k, 0)}" for k in KINDS) + f"); {len(failed)} fail the checks",
              file=sys.stderr)
        for q in failed:
            print(f"  {q.id} {q.kind} {q.concept_title}: {'; '.join(problems(q))}", file=sys.stderr)
        sample = random.Random(f"{args.seed}:{course}").sample(qs, min(n, len(qs)))
        lines += [row(course, q) for q in sample]
    write_sample(lines, args.out, "questions")


if __name__ == "__main__":
    main()
