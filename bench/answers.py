"""Answer quality on the shared courses against the rubrics of tests/data/answers_{ai4b,d2l}.jsonl
(written from the course text, blind to Erica's output; the few questions taken from the issue
that asked for this are in the tuning half) and tests/data/answers_starter.jsonl: main concept, prerequisites, code,
uncovered parts and lesson cited, per split (tune / heldout) — the figures of
``erica eval --answers``. Each course is ingested into a temporary knowledge base
(bench/courses.py).

The answer's structure does not depend on the model, so by default no model writes (a silent
one: the skeleton only, fast); ``--model embedded`` runs the bundled SmolLM2 too, which adds the
share of its sentences the support check drops.

    python bench/answers.py              # structure, ~3 min with d2l's ingest
    python bench/answers.py --model embedded
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import CORPUS, course_kb  # noqa: E402
from tutor.llm.base import LLM  # noqa: E402

RUBRICS = {"ai-for-beginners": ROOT / "tests" / "data" / "answers_ai4b.jsonl",
           "d2l": ROOT / "tests" / "data" / "answers_d2l.jsonl",
           "starter": ROOT / "tests" / "data" / "answers_starter.jsonl"}  # the issue's own examples


class Silent(LLM):
    """A model that writes nothing: the answer is the course's skeleton alone."""

    name = "silent"

    def stream(self, messages, *, max_tokens=512, temperature=0.2, stop=None):  # type: ignore[no-untyped-def]
        return iter(())

    def count_tokens(self, text: str) -> int:
        return (len(text) + 3) // 4


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--model", choices=["silent", "embedded"], default="silent")
    ap.add_argument("--courses", nargs="+", default=list(RUBRICS))
    ap.add_argument("--misses", action="store_true", help="print every answer whose main concept is wrong")
    args = ap.parse_args()
    from tutor.answer import Tutor
    from tutor.evaluate_answers import evaluate_answers

    llm = None
    for course in args.courses:
        with course_kb(course, args.corpus) as kb:
            if args.model == "embedded":
                from tutor.llm.embedded import EmbeddedLLM
                llm = llm or EmbeddedLLM.from_settings(kb.settings)
            tutor = Tutor(kb, llm or Silent())
            for split in ("tune", "heldout") if course != "starter" else ("tune",):
                ev = evaluate_answers(kb, tutor, RUBRICS[course], split=split)
                print(json.dumps({"course": course, "split": split, **ev.figures()}))
                if args.misses:
                    for r in ev.rows:
                        if not r["main_right"] or r["gold_uncovered"] or r["uncovered"] or r["code_right"] is False:
                            print("   ", json.dumps({k: r[k] for k in ("question", "main", "main_right", "uncovered",
                                                                       "gold_uncovered", "code_right")}))


if __name__ == "__main__":
    main()
