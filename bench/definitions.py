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
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import COURSES, CORPUS, course_paths  # noqa: E402
from knowledge.ingest.pipeline import ingest_paths  # noqa: E402
from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.settings import Settings  # noqa: E402


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
        rows = [json.loads(x) for x in args.judged.read_text(encoding="utf-8").splitlines() if x.strip()]
        judged = [r for r in rows if isinstance(r.get("defines"), bool)]
        yes = sum(r["defines"] for r in judged)
        print(f"{args.judged}: {yes}/{len(judged)} definitions state what the concept is "
              f"({yes / max(len(judged), 1):.0%}); {len(rows) - len(judged)} not judged")
        return
    paths, curriculum = course_paths(args.corpus, args.course)
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)))
        ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        concepts = sorted(kb.concepts().values(), key=lambda c: c.id)
        kb.close()
    sample = random.Random(args.seed).sample(concepts, min(args.n, len(concepts)))
    lines = [json.dumps({"title": c.title, "taught": c.taught, "definition": c.definition,
                         "source": c.sources[0].label() if c.sources else "", "defines": None, "note": ""},
                        ensure_ascii=False) for c in sample]
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(lines)} of {len(concepts)} concepts written to {args.out}")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
