"""Draw a random sample of concepts from an ingested shared course, for judging by hand whether
each definition states what the concept is (issue 11: ≥ 90 % on 50 per course).

Ingests the course into a temporary data dir (as bench/ingest.py does), draws ``--n`` concepts
with a fixed seed, and writes them as JSON lines (title, how the course teaches it, the
definition, where it is cited from) with an empty ``"defines"`` field to fill in. With
``--judged FILE`` it prints the share of judged lines marked ``"defines": true``.

    python bench/definitions.py --course d2l --out docs/definitions-d2l.jsonl
    python bench/definitions.py --judged docs/definitions-d2l.jsonl
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import COURSES, CORPUS, course_kb, read_judged, write_sample  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--course", choices=COURSES, default="ai-for-beginners")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--judged", type=Path, help="a sample file with 'defines' filled in: print the share")
    args = ap.parse_args()
    if args.judged:
        rows, judged = read_judged(args.judged, "defines")
        yes = sum(r["defines"] for r in judged)
        print(f"{args.judged}: {yes}/{len(judged)} definitions state what the concept is "
              f"({yes / max(len(judged), 1):.0%}); {len(rows) - len(judged)} not judged")
        return
    with course_kb(args.course, args.corpus) as kb:
        concepts = sorted(kb.concepts().values(), key=lambda c: c.id)
    sample = random.Random(args.seed).sample(concepts, min(args.n, len(concepts)))
    write_sample([{"title": c.title, "taught": c.taught, "definition": c.definition, "context": c.context,
                   "source": c.sources[0].label() if c.sources else "", "defines": None, "note": ""}
                  for c in sample], args.out, f"of {len(concepts)} concepts")


if __name__ == "__main__":
    main()
