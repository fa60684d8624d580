"""Cold ingest of a whole shared course into an empty data dir, then an unchanged re-ingest, then
one with a lesson edited (on a copy of the course, as a teacher would), with concepts/edges/passages
per second: AI-For-Beginners (Markdown lessons + notebooks, curriculum table) by default, Dive into
Deep Learning with ``--course d2l``.

Targets on 2 cores: cold ≤ 30 s (AI-For-Beginners) / ≤ 60 s (d2l), unchanged ≤ 3 s. "Cold" means an
empty knowledge base in a fresh data dir; the embedding model is loaded before the clock starts (its
load time is printed separately) because it is loaded once per process, not per ingest.

    python bench/ingest.py [--corpus ../shared/corpus] [--course ai-for-beginners|d2l]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.courses import COURSES, CORPUS, course_paths  # noqa: E402
from knowledge.embed import get_embedder  # noqa: E402
from knowledge.ingest.pipeline import ingest_paths  # noqa: E402
from knowledge.kb import KnowledgeBase  # noqa: E402
from knowledge.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--course", choices=COURSES, default="ai-for-beginners")
    args = ap.parse_args()
    paths, curriculum = course_paths(args.corpus, args.course)
    target = 60 if args.course == "d2l" else 30
    t = time.perf_counter()
    embedder = get_embedder()
    embedder.embed_batch(["warm up"])
    load = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the course, so that one lesson can be edited as a teacher would
        copies = [Path(tmp) / "course" / p.name for p in paths]
        for p, c in zip(paths, copies):
            shutil.copytree(p, c)
        paths = copies
        kb = KnowledgeBase(Settings(data_dir=Path(tmp) / "data"), embedder)
        t = time.perf_counter()
        cold = ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        t_cold = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        t_again = time.perf_counter() - t
        stats = kb.stats()
        lessons = sorted(f for f in paths[0].rglob("*.md") if f.name.lower() != "readme.md")
        edited = lessons[len(lessons) // 2]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA sentence the teacher added.\n", encoding="utf-8")
        embedder.__dict__.pop("_memo", None)  # a new `erica ingest` run remembers no text embedded before
        t = time.perf_counter()
        one = ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        t_one = time.perf_counter() - t
        kb.close()
    tot = cold.totals
    print(f"embedding model load (once per process): {load:.1f} s")
    print(f"cold ingest: {tot['ingested']} files ({tot['failed']} failed) in {t_cold:.1f} s  (target <= {target} s)")
    print(f"  concepts stored {stats['concepts']} ({stats['concepts'] / t_cold:.1f}/s), "
          f"prerequisite edges {stats['prerequisite_edges']} ({stats['prerequisite_edges'] / t_cold:.1f}/s), "
          f"passages {stats['passages']}, figures {tot['figures']}")
    print(f"unchanged re-ingest: {again.totals['unchanged']} files skipped in {t_again:.2f} s  (target <= 3 s)")
    print(f"one lesson edited ({edited.relative_to(paths[0])}): {one.totals['ingested']} file ingested, "
          f"{one.totals['unchanged']} read again for order, in {t_one:.1f} s")


if __name__ == "__main__":
    main()
