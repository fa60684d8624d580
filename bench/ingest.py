"""Cold ingest of a whole shared course into an empty data dir, then an unchanged re-ingest, with
concepts/edges/passages per second: AI-For-Beginners (Markdown lessons + notebooks, curriculum
table) by default, Dive into Deep Learning with ``--course d2l``.

Targets on 2 cores: cold ≤ 30 s (AI-For-Beginners) / ≤ 60 s (d2l), unchanged ≤ 3 s. "Cold" means an empty knowledge base in a
fresh data dir; the embedding model is loaded before the clock starts (its load time is printed
separately) because it is loaded once per process, not per ingest.

    python bench/ingest.py [--corpus ../shared/corpus] [--course ai-for-beginners|d2l]
"""

from __future__ import annotations

import argparse
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
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)), embedder)
        t = time.perf_counter()
        cold = ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        t_cold = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest_paths(kb, paths, course=args.course, curriculum=curriculum)
        t_again = time.perf_counter() - t
        stats = kb.stats()
        kb.close()
    tot = cold.totals
    print(f"embedding model load (once per process): {load:.1f} s")
    print(f"cold ingest: {tot['ingested']} files ({tot['failed']} failed) in {t_cold:.1f} s  (target <= {target} s)")
    print(f"  concepts stored {stats['concepts']} ({stats['concepts'] / t_cold:.1f}/s), "
          f"prerequisite edges {stats['prerequisite_edges']} ({stats['prerequisite_edges'] / t_cold:.1f}/s), "
          f"passages {stats['passages']}, figures {tot['figures']}")
    print(f"unchanged re-ingest: {again.totals['unchanged']} files skipped in {t_again:.2f} s  (target <= 3 s)")


if __name__ == "__main__":
    main()
